"""Officials' reports: roll-ups, scope, dashboards, exports, member import and API tokens."""


def init_app(app):
    """Register the report pages, and the first sign-in with a one-time code they hand out."""
    from lms.accounts import code_views
    from lms.reports import (  # noqa: F401
        goal_views,
        honours_views,
        manage_views,
        recovery_views,
        views,
    )

    app.register_blueprint(views.bp)
    app.register_blueprint(code_views.bp)
