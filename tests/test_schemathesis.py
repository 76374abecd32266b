"""schemathesis against /api/v1/openapi.json on the Flask app (WSGI), with the sample course
loaded: for every operation, generated requests never get a 5xx, and every answer has a
documented status, content type and a body that fits its schema. Bounded per operation.
Run once as a visitor with a session cookie and its CSRF token (as the site's own pages
call the API), and once with an admin's Bearer token."""

import pytest
import schemathesis
from flask import g
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from lms.accounts.identity import GUEST_COOKIE
from lms.accounts.tokens import create_token
from lms.certificates.services import issue_certificate
from lms.limits import limiter
from lms.quizzes.services import start_attempt
from tests.factories import make_team, make_user
from tests.learner_helpers import load_sample, quiz_of

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 40


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


def _operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    return operations


def _visitor(app, quiz_id: int) -> tuple[dict, dict, int]:
    """A session cookie with its CSRF token (as GET /auth/csrf gives them), and the guest
    cookie of a visitor who started a quiz attempt."""
    client = app.test_client()
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    _forget_request_state()
    started = client.post(f"/api/v1/quizzes/{quiz_id}/attempts", headers={"X-CSRFToken": token})
    assert started.status_code == 201, started.get_data(as_text=True)
    names = (app.config["SESSION_COOKIE_NAME"], GUEST_COOKIE)
    cookies = {name: client.get_cookie(name).value for name in names}
    return {"X-CSRFToken": token}, cookies, started.get_json()["attempt_id"]


def _forget_request_state() -> None:
    """The tests share one application context (and so `g`): each call starts afresh."""
    for key in ("_login_user", "lms_guest", "lms_guest_cookie", "csrf_token"):
        g.pop(key, None)


def _fuzz(operation, headers: dict, cookies: dict, real: dict) -> None:
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), known=st.booleans())
    def check(case, known):
        if known and case.path_parameters:  # half the time, things that exist
            case.path_parameters = {k: real.get(k, v) for k, v in case.path_parameters.items()}
        _forget_request_state()
        response = case.call(headers=headers, cookies=cookies)
        case.validate_response(response, checks=CHECKS)

    check()


@pytest.mark.parametrize("who", ["visitor", "admin token"])
def test_generated_requests_meet_the_document(app, db, who):
    course = load_sample(db)
    quiz = quiz_of(db, "bat-dau")
    team = make_team(db)
    holder = make_user(db, role="member", team=team)
    real = {
        "course": course.slug,
        "module": "bat-dau",
        "lesson": "chao-mung",
        "quiz_id": quiz.id,
        "attempt_id": start_attempt(db, holder, quiz).id,
    }
    real["code"] = issue_certificate(db, holder, course).code
    if who == "admin token":
        admin = make_user(db, role="admin")
        headers = {"Authorization": f"Bearer {create_token(db, admin, 'schemathesis')[1]}"}
        cookies = {}
    else:
        headers, cookies, real["attempt_id"] = _visitor(app, quiz.id)
    codes = {"units": team.commune.code, "teams": team.code, "certificates": real["code"]}
    for operation in _operations(app):
        segments = operation.path.split("/")
        owner = segments[segments.index("{code}") - 1] if "{code}" in segments else ""
        _fuzz(operation, headers, cookies, real | {"code": codes.get(owner, "")})
