"""Team contribution: share links that attribute new learners, assisted sessions, roll-ups."""


def init_app(app):
    """Register the share and assisted-session pages and the referral cookie hooks."""
    from lms.contributions import reach, referrals, views

    app.register_blueprint(views.bp)
    referrals.init_app(app)
    app.jinja_env.globals["reading_proof"] = reach.reading_proof
