"""The JSON API at /api/v1, and its OpenAPI document."""

from lms.api import auth, courses, me, openapi, privacy, quizzes, reports  # noqa: F401  (views)
from lms.api.blueprint import bp
from lms.api.errors import register_json_errors, routing_error_as_json

register_json_errors(bp)


def init_app(app) -> None:
    app.before_request(routing_error_as_json)
    app.register_blueprint(bp)
