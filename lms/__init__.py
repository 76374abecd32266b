"""Học Số: mobile-first microlearning for Vietnam's community digital technology teams."""

from flask import Flask

from lms import (
    api,
    certificates,
    cli,
    contributions,
    db,
    errors,
    health,
    hosts,
    i18n,
    input_guard,
    limits,
    reports,
    security,
    sessions,
    web,
)
from lms.accounts import auth, privacy_views
from lms.audit import views as audit_views
from lms.config import load_config


def create_app(test_config=None) -> Flask:
    """Build the application: configuration, extensions, commands and blueprints."""
    app = Flask(__name__, instance_relative_config=True)
    load_config(app, test_config)
    input_guard.init_app(app)  # before any route: it sets the <int:…> converter
    sessions.init_app(app)
    db.init_app(app)
    limits.init_app(app)
    cli.init_app(app)
    auth.init_app(app)
    api.init_app(app)
    certificates.init_app(app)
    reports.init_app(app)
    contributions.init_app(app)
    i18n.init_app(app)
    web.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    app.register_blueprint(health.bp)
    app.register_blueprint(audit_views.bp)
    app.register_blueprint(privacy_views.bp)
    hosts.init_app(app)
    return app
