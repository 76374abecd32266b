import pytest

from tests.learner_helpers import api_client, load_sample


@pytest.fixture
def api(app, db):
    load_sample(db)
    return api_client(app)


def test_an_unknown_api_path_is_a_json_404(api):
    for path in ("/api/v1/khong-co", "/api/v2/courses", "/api/"):
        response = api.get(path)
        assert response.status_code == 404 and response.is_json, path
        assert response.get_json()["error"] == {"code": "not_found", "message": "Không tìm thấy."}


def test_a_wrong_method_is_a_json_405_with_allow(api):
    response = api.delete("/api/v1/courses")
    assert response.status_code == 405 and response.is_json
    assert response.get_json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response.headers["Allow"]
    assert api.get("/api/v1/attempts/1/submit").status_code == 405


@pytest.mark.parametrize(
    ("method", "path", "payload"),
    [
        ("post", "/api/v1/auth/login", "null"),
        ("post", "/api/v1/auth/login", '"chuỗi"'),
        ("post", "/api/v1/auth/register", '{"full_name": [], "phone": {}, "password": 1}'),
        ("post", "/api/v1/attempts/1/submit", '{"answers": {"1": [{"a": 1}]}}'),
        ("post", "/api/v1/attempts/0/submit", "{}"),
        ("post", "/api/v1/quizzes/0/attempts", "\x00"),
        ("get", "/api/v1/courses/%00", None),
        ("get", "/api/v1/courses/" + "a" * 5000, None),
    ],
)
def test_garbage_never_gets_html_or_a_500(api, method, path, payload):
    response = getattr(api, method)(path, data=payload, content_type="application/json")
    assert response.is_json, response.get_data(as_text=True)[:200]
    assert 400 <= response.status_code < 500
    assert set(response.get_json()["error"]) >= {"code", "message"}


def test_pages_outside_the_api_keep_their_own_errors(api):
    response = api.get("/khong-co-trang-nay")
    assert response.status_code == 404
    assert not (response.is_json and "code" in (response.get_json().get("error") or {}))
