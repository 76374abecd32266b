"""Rate-limit headers come with the routes that have a limit, and only with them (the
limiter's per-request hooks are skipped elsewhere, see lms/limits.py)."""

from tests.learner_helpers import api_client, switch_person


def test_a_limited_route_answers_with_its_limit(app, db):
    switch_person()
    api = api_client(app)
    response = api.post("/api/v1/auth/login", json={"login": "0987654321", "password": "sai-roi"})
    assert response.status_code == 401
    assert response.headers["X-RateLimit-Limit"].isdigit()
    assert int(response.headers["X-RateLimit-Remaining"]) >= 0
    assert response.headers["X-RateLimit-Reset"]


def test_other_routes_carry_no_limit_headers(app, db):
    api = api_client(app)
    for response in (api.get("/"), api.get("/api/v1/courses"), api.get("/healthz")):
        assert response.status_code in (200, 503)
        assert not [name for name, _value in response.headers if name.startswith("X-RateLimit")]
