"""Requests: CSRF on every form and every cookie-authenticated API write (taken from the URL
map), security headers on every kind of response, no inline script or style in templates,
and uploads over the size limit refused with a message naming it."""

import io
import re
from pathlib import Path

from werkzeug.routing import IntegerConverter

from lms.accounts.services import create_user
from lms.accounts.tokens import create_token
from lms.security import CONTENT_SECURITY_POLICY
from tests.certificates_support import sign_in
from tests.factories import make_unit, make_user
from tests.learner_helpers import api_client, load_sample
from tests.pages_support import LESSON, csrf_from, new_client

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
LMS = Path(__file__).parent.parent / "lms"
PASSWORD = "mat-khau-dai-1"
SIX_MEGABYTES = 6 * 1024 * 1024


def _writes(app, api: bool) -> list[tuple[str, str]]:
    """(method, URL) of every write route, its path parameters filled with sample values."""
    adapter = app.url_map.bind("localhost")
    found = []
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") != api:
            continue
        values = {
            name: 1 if isinstance(converter, IntegerConverter) else "x"
            for name, converter in rule._converters.items()
        }
        values.update({"kind": "csv"} if "kind" in rule.arguments else {})
        for method in sorted(rule.methods & WRITES):
            found.append((method, adapter.build(rule.endpoint, values, method=method)))
    return found


def test_every_form_route_refuses_a_post_without_its_token(app, db):
    admin = make_user(db, role="admin")
    writes = _writes(app, api=False)
    assert ("POST", "/login") in writes and len(writes) >= 15
    for method, url in writes:
        client = new_client(app)
        sign_in(client, admin)
        client.get("/")  # the session holds a token; the request does not send it
        response = client.open(url, method=method, data={"note": "x"})
        assert response.status_code == 400, (method, url)
        assert "Phiên làm việc đã hết hạn" in response.get_data(as_text=True), (method, url)


def test_every_cookie_api_write_needs_the_header_token(app, db):
    citizen = create_user(db, full_name="Hoa", password=PASSWORD, role="citizen", login="hoa")
    writes = _writes(app, api=True)
    assert ("POST", "/api/v1/auth/login") in writes and ("DELETE", "/api/v1/me") in writes
    for method, url in writes:
        for headers in ({}, {"X-CSRFToken": "not-the-token"}):
            client = app.test_client()
            sign_in(client, citizen)
            response = client.open(url, method=method, json={}, headers=headers)
            assert response.status_code == 400 and response.is_json, (method, url, headers)
            assert response.get_json()["error"]["code"] == "csrf_failed", (method, url)


def test_the_token_from_the_api_lets_a_cookie_write_through(app, db):
    load_sample(db)
    client = app.test_client()
    answer = client.get("/api/v1/auth/csrf")
    assert answer.headers["Cache-Control"] == "no-store"
    token = answer.get_json()["csrf_token"]
    url = "/api/v1/courses/mau/modules/bat-dau/lessons/chao-mung/complete"
    assert client.post(url, headers={"X-CSRFToken": token}).get_json() == {"completed": True}
    other = app.test_client()  # a token is worth nothing without its own session
    assert other.post(url, headers={"X-CSRFToken": token}).status_code == 400


def test_a_bearer_token_needs_no_csrf_token(app, db):
    official = make_user(db, role="province_official", unit=make_unit(db, "province"))
    secret = create_token(db, official, "công cụ")[1]
    client = app.test_client()
    bearer = {"Authorization": f"Bearer {secret}"}
    assert client.post("/api/v1/auth/logout-everywhere", headers=bearer).status_code == 204
    assert client.get_cookie("session") is None  # a Bearer call starts no session
    assert client.post("/api/v1/auth/logout-everywhere").status_code == 400


def _assert_security_headers(response, what):
    headers = response.headers
    assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, what
    assert headers["X-Content-Type-Options"] == "nosniff", what
    assert headers["X-Frame-Options"] == "DENY", what
    assert headers["Referrer-Policy"] == "same-origin", what
    assert "Strict-Transport-Security" not in headers, what  # only in production


def test_every_kind_of_response_carries_the_security_headers(app, db):
    load_sample(db)
    client = new_client(app)
    css = re.search(r'href="(/static/app\.css\?v=\w+)"', client.get("/").get_data(as_text=True))
    responses = {
        "page": client.get(LESSON),
        "static": client.get(css.group(1)),
        "service worker": client.get("/sw.js"),
        "manifest": client.get("/manifest.webmanifest"),
        "json": client.get("/api/v1/courses"),
        "json 404": client.get("/api/v1/khong-co"),
        "json 405": client.delete("/api/v1/courses"),
        "page 404": client.get("/khong-co"),
        "csrf 400": client.post("/login"),
        "health": client.get("/healthz"),
        "public key": client.get("/.well-known/hocso-certificates.pub"),
    }
    for what, response in responses.items():
        _assert_security_headers(response, what)
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert "'unsafe-inline'" not in CONTENT_SECURITY_POLICY


def _browser_templates():
    for path in LMS.rglob("templates/**/*.html"):
        if path.name != "certificate_pdf.html":  # rendered into a PDF, never sent to a browser
            yield path


def test_templates_have_no_inline_script_handler_or_style():
    inline = re.compile(
        r"<script(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:", re.I
    )
    templates = list(_browser_templates())
    assert len(templates) > 30
    found = [
        f"{path.relative_to(LMS)}: {m.group(0)}"
        for path in templates
        for m in inline.finditer(path.read_text())
    ]
    assert not found, found


def test_an_upload_over_the_limit_gets_a_page_naming_it(app, db):
    commune = make_unit(db, "commune", parent=make_unit(db, "province"))
    client = new_client(app)
    sign_in(client, make_user(db, role="commune_official", unit=commune))
    token = csrf_from(client.get("/reports/import").get_data(as_text=True))
    upload = (io.BytesIO(b"full_name,phone,team_code\n" + b"x" * SIX_MEGABYTES), "members.csv")
    response = client.post("/reports/import", data={"csrf_token": token, "file": upload})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "Dữ liệu quá lớn" in page and "tối đa 5 MB" in page


def test_an_api_write_over_the_limit_gets_json_naming_it(app, db):
    body = '{"answers": {"1": [1]}, "note": "' + "x" * SIX_MEGABYTES + '"}'
    response = api_client(app).post(
        "/api/v1/attempts/1/submit", data=body, content_type="application/json"
    )
    assert response.status_code == 413
    assert response.get_json()["error"] == {
        "code": "too_large",
        "message": "Dữ liệu gửi lên quá lớn: tối đa 5 MB.",
    }


def test_a_form_field_over_the_memory_limit_is_named_too(app, db):
    client = new_client(app)
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"csrf_token": token, "login": "x" * 600_000}
    response = client.post("/login", data=data, content_type="multipart/form-data")
    assert response.status_code == 413
    assert "Một ô của biểu mẫu quá dài: tối đa 500 KB" in response.get_data(as_text=True)
