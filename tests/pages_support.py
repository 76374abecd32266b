"""Helpers for page tests: a client that forgets per-request identity, CSRF tokens from forms."""

import itertools
import re
from html import unescape

import flask_babel
from flask import g
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from lms import create_app
from lms.web import forget_shared_pages

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_READ_TOKEN = re.compile(r'name="read_token" value="([^"]+)"')
LESSON = "/courses/mau/modules/bat-dau/lessons/chao-mung"
CSRF_URL = "/api/v1/auth/csrf"
WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
_addresses = itertools.count(1)


class PageClient(FlaskClient):
    """A browser-like client: the tests share one app context, so drop who was signed in.

    Like the pages' own code would, it sends the session's CSRF token (X-CSRFToken, from
    GET /api/v1/auth/csrf) with every API write that has neither that header nor a Bearer
    token; forms post their csrf_token field themselves (post_form).
    """

    def open(self, *args, **kwargs):
        self._forget()
        if _api_write(args, kwargs):
            headers = Headers(kwargs.get("headers") or {})
            headers["X-CSRFToken"] = super().open(CSRF_URL).get_json()["csrf_token"]
            kwargs["headers"] = headers
            self._forget()
        return super().open(*args, **kwargs)

    @staticmethod
    def _forget():
        for key in ("_login_user", "lms_guest", "lms_guest_cookie", "csrf_token"):
            g.pop(key, None)
        flask_babel.refresh()


def _api_write(args, kwargs) -> bool:
    method = str(kwargs.get("method", "GET")).upper()
    if method not in WRITE_METHODS or not args or not isinstance(args[0], str):
        return False
    headers = Headers(kwargs.get("headers") or {})
    return args[0].startswith("/api/") and not (
        "X-CSRFToken" in headers or "Authorization" in headers
    )


def new_client(app) -> PageClient:
    """A fresh client; pages kept for first-time visitors by earlier tests are dropped."""
    forget_shared_pages(app)
    client = PageClient(app, app.response_class, use_cookies=True)
    n = next(_addresses)  # an address of its own, so that rate limits stay per test
    client.environ_base["REMOTE_ADDR"] = f"10.88.{n // 250}.{n % 250 + 1}"
    return client


def csrf_from(html: str) -> str:
    match = _CSRF.search(html)
    assert match, "the page has no CSRF token"
    return match.group(1)


def read_token_from(page: str) -> str | None:
    """The reading proof in a lesson page's form, if any."""
    found = _READ_TOKEN.search(page)
    return unescape(found.group(1)) if found else None


def post_form(client, page_url: str, action: str, data: dict, **kwargs):
    """Open the page, take its CSRF token (and a lesson's reading proof), and post the form
    as a browser would."""
    page = client.get(page_url).get_data(as_text=True)
    hidden = {"csrf_token": csrf_from(page)}
    proof = read_token_from(page)
    if proof:
        hidden["read_token"] = proof
    return client.post(action, data={**hidden, **data}, **kwargs)


def production_app(app):
    """An app as production runs it (secure cookies, a public URL), on the tests' database."""
    return create_app(
        {
            "LMS_ENV": "production",
            "SECRET_KEY": "production-secret",
            "PUBLIC_URL": "https://localhost",
            "DATABASE_URL": app.config["DATABASE_URL"],
            "RATELIMIT_STORAGE_URI": "memory://",
        }
    )
