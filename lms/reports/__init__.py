"""Officials' reports: roll-ups, scope, dashboards, exports, member import and API tokens."""


def init_app(app):
    """Register the report pages, the first sign-in with a one-time code they hand out, and
    the header's link to the signed-in person's reports."""
    from flask_login import current_user

    from lms.accounts import code_views
    from lms.reports import (  # noqa: F401
        goal_views,
        honours_views,
        manage_views,
        recovery_views,
        views,
    )
    from lms.reports.landing import reports_home

    app.jinja_env.globals["reports_home"] = lambda: reports_home(current_user)

    app.register_blueprint(views.bp)
    app.register_blueprint(code_views.bp)
