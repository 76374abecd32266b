"""Every error a page can answer wears the site's layout and speaks the chosen language; a GET
on a form's POST-only address leads back to the page holding the form; API paths stay JSON."""

from urllib.parse import urlsplit

import pytest
from flask import request
from werkzeug.routing import IntegerConverter

from lms import create_app
from lms.errors import FORM_PAGES
from lms.i18n import LOCALE_COOKIE
from tests.pages_support import csrf_from, new_client, post_form

LAYOUT = ('<header class="top">', 'rel="stylesheet" href="/static/app.css?v=', "<footer>")
FRAMEWORK_PAGE = ("The method is not allowed", "Not Found</h1>", "<title>40", "<title>50")


def assert_site_page(response, status: int, heading: str) -> str:
    html = response.get_data(as_text=True)
    assert response.status_code == status
    assert response.content_type.startswith("text/html")
    for part in LAYOUT:
        assert part in html, part
    for part in FRAMEWORK_PAGE:
        assert part not in html, part
    assert f"<h1>{heading}</h1>" in html
    return html


def english(client):
    client.set_cookie(LOCALE_COOKIE, "en")
    return client


def _sample_values(rule) -> dict:
    return {
        name: 1 if isinstance(rule._converters[name], IntegerConverter) else "abc"
        for name in rule.arguments
    }


def _post_only_page_rules(app):
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/") or "GET" in rule.methods:
            continue
        yield rule


def test_every_post_only_form_address_leads_back_to_its_form_on_get(app, db):
    adapter = app.url_map.bind("localhost")
    rules = list(_post_only_page_rules(app))
    assert len(rules) >= 8
    for rule in rules:
        url = adapter.build(rule.endpoint, _sample_values(rule), method="POST")
        response = new_client(app).get(url)
        if response.status_code == 405 or rule.endpoint in FORM_PAGES:
            assert rule.endpoint in FORM_PAGES, f"GET {url}: no form page for {rule.endpoint}"
            assert response.status_code == 303, url
            target = urlsplit(response.headers["Location"]).path
            endpoint, _values = adapter.match(target, method="GET")
            assert endpoint == FORM_PAGES[rule.endpoint], url
        else:  # another rule answers GET on the same address: the form's own page
            assert response.status_code != 405, url


def test_get_on_the_team_form_address_leads_to_the_profile(app, db):
    response = new_client(app).get("/profile/team")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == "/profile"


def test_get_on_a_lesson_done_address_leads_to_the_lesson(app, db):
    lesson = "/courses/mau/modules/bat-dau/lessons/chao-mung"
    response = new_client(app).get(lesson + "/done")
    assert response.status_code == 303
    assert urlsplit(response.headers["Location"]).path == lesson


@pytest.mark.parametrize(
    ("locale", "heading"), [("vi", "Không tìm thấy trang"), ("en", "Page not found")]
)
def test_404_in_the_site_layout_and_language(app, db, locale, heading):
    client = new_client(app)
    client.set_cookie(LOCALE_COOKIE, locale)
    html = assert_site_page(client.get("/no/such/page"), 404, heading)
    assert f'<html lang="{locale}">' in html


@pytest.mark.parametrize(
    ("locale", "heading"),
    [("vi", "Không mở được địa chỉ này"), ("en", "This address cannot be opened")],
)
def test_405_in_the_site_layout_and_language(app, db, locale, heading):
    client = new_client(app)
    client.set_cookie(LOCALE_COOKIE, locale)
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/me/progress", data={"csrf_token": token})
    assert_site_page(response, 405, heading)
    assert response.headers["Allow"] == "GET, HEAD, OPTIONS"


def test_405_under_the_api_stays_json(app, db):
    response = new_client(app).get("/api/v1/auth/login")
    assert response.status_code == 405
    assert response.get_json()["error"]["code"] == "method_not_allowed"


@pytest.mark.parametrize(
    ("locale", "heading"), [("vi", "Dữ liệu quá lớn"), ("en", "Too much data")]
)
def test_413_in_the_site_layout_and_language(app, db, locale, heading):
    client = new_client(app)
    client.set_cookie(LOCALE_COOKIE, locale)
    limit = app.config["MAX_CONTENT_LENGTH"]
    response = post_form(client, "/login", "/login", {"login": "x" * (limit + 10)})
    html = assert_site_page(response, 413, heading)
    assert ("tối đa 5 MB" if locale == "vi" else "at most 5 MB") in html


@pytest.mark.parametrize(
    ("locale", "heading"), [("vi", "Thử quá nhiều lần"), ("en", "Too many tries")]
)
def test_429_in_the_site_layout_and_language(app, db, locale, heading):
    client = english(new_client(app)) if locale == "en" else new_client(app)
    answers = [
        post_form(client, "/login", "/login", {"login": f"nobody-{locale}", "password": "sai"})
        for _ in range(11)
    ]
    assert [answer.status_code for answer in answers[:10]] == [401] * 10
    assert_site_page(answers[10], 429, heading)


@pytest.fixture(scope="module")
def failing_app(tmp_path_factory):
    """An application with one address that fails, as a bug would, and exceptions not
    propagated to the test (as in production)."""
    folder = tmp_path_factory.mktemp("failing")
    failing = create_app(
        {
            "DATABASE_URL": f"sqlite:///{folder / 'lms.sqlite3'}",
            "SECRET_KEY": "test-secret",
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
    failing.instance_path = str(folder)

    @failing.get("/broken")
    def broken():
        raise RuntimeError("a bug")

    @failing.get("/api/v1/broken")
    def broken_api():
        raise RuntimeError("a bug")

    @failing.get("/broken-layout")
    def broken_layout():
        raise RuntimeError("a bug")

    @failing.context_processor
    def layout_fails_on_one_address():  # as when the database is down
        if request.path == "/broken-layout":
            raise RuntimeError("the layout fails too")
        return {}

    return failing


@pytest.mark.parametrize(
    ("locale", "heading"), [("vi", "Có lỗi ở máy chủ"), ("en", "Something went wrong on our side")]
)
def test_500_in_the_site_layout_and_language(failing_app, locale, heading):
    client = failing_app.test_client()
    client.set_cookie(LOCALE_COOKIE, locale)
    html = assert_site_page(client.get("/broken"), 500, heading)
    assert "a bug" not in html and "RuntimeError" not in html


def test_500_under_the_api_is_json(failing_app):
    response = failing_app.test_client().get("/api/v1/broken")
    assert response.status_code == 500
    assert response.get_json()["error"]["code"] == "internal_error"


def test_500_when_even_the_layout_fails_is_still_the_sites_page(failing_app):
    response = failing_app.test_client().get("/broken-layout")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "<h1>Có lỗi ở máy chủ</h1>" in html and 'href="/"' in html
    assert '<div lang="en"><h2>Something went wrong on our side</h2>' in html
    assert '<header class="top">' not in html  # the bare page: the layout could not be drawn
    assert "Internal Server Error" not in html
