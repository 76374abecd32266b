"""The web pages' plumbing: CSRF, cache headers, versioned static files, the app shell."""

import hashlib
import os
import re
import time
from collections.abc import Callable
from functools import cache
from pathlib import Path

import flask
from flask import Blueprint, current_app, make_response, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf.csrf import CSRFError, CSRFProtect

from lms.accounts.identity import GUEST_COOKIE
from lms.cookies import value_of
from lms.hosts import public_base_url
from lms.i18n import DEFAULT_LOCALE, LANGUAGES, LOCALE_COOKIE
from lms.security import bearer_request, csrf_failed_json, json_error
from lms.signing import serializer

csrf = CSRFProtect()
CSRF_FIELD = "csrf_token"  # flask-wtf's default field name, in forms and in the session
CSRF_SALT = "wtf-csrf-token"  # flask-wtf's salt
bp = Blueprint("web", __name__)

STATIC_DIR = Path(__file__).parent / "static"
ONE_YEAR = 365 * 24 * 3600
JSON_API_PREFIX = "/api/"
SHELL_FILES = ("app.css", "app.js", "icon.svg", "verify.js")
# Changed with the service worker's rules for what it keeps: a new cache name makes it drop
# what older rules kept (2: personal pages are no longer kept).
SW_RULES = "2"


@cache
def asset_version(filename: str) -> str:
    """A short content hash of a static file, so that its URL changes with it."""
    return hashlib.sha256((STATIC_DIR / filename).read_bytes()).hexdigest()[:10]


def _kept_url(endpoint: str, **values) -> str:
    """url_for, built once per mount point: URLs without request-dependent parts are the
    same for every request, and every page's header and footer link several of them."""
    urls = current_app.extensions.setdefault("lms.kept_urls", {})
    key = (request.script_root, endpoint, *values.items())
    url = urls.get(key)
    if url is None:
        url = urls[key] = url_for(endpoint, **values)
    return url


def static_url(filename: str) -> str:
    """The versioned URL of a static file, served with a long cache lifetime."""
    return _kept_url("static", filename=filename, v=asset_version(filename))


def page_url(endpoint: str) -> str:
    """The URL of a page that takes no arguments (home, progress, the language form)."""
    return _kept_url(endpoint)


def csrf_token() -> str:
    """This request's CSRF token: flask-wtf's generate_csrf, with the signer kept per app.

    The token is the one flask-wtf makes (a random value kept in the session, signed with a
    timestamp), so flask-wtf checks it as its own.
    """
    token = flask.g.get(CSRF_FIELD)
    if token is None:
        raw = flask.session.get(CSRF_FIELD)
        if not isinstance(raw, str):
            raw = flask.session[CSRF_FIELD] = hashlib.sha1(os.urandom(64)).hexdigest()
        token = serializer(CSRF_SALT, timed=True).dumps(raw)
        setattr(flask.g, CSRF_FIELD, token)
    return token


TOKEN_SLOT = "\x00csrf-token\x00"
_SLOTS = re.compile(rb"\x00(csrf-token|read-\d+)\x00")  # and lms.contributions.reach.PROOF_SLOT
MAX_CACHED_PAGES = 2000


def _first_visit() -> bool:
    """Nobody known: no guest cookie, nobody signed in, no message waiting to be shown."""
    if not request.cookies:
        return True
    return not (
        value_of(request.cookies, GUEST_COOKIE)
        or "_flashes" in flask.session
        or current_user.is_authenticated
    )


def _page_language() -> str:
    chosen = value_of(request.cookies, LOCALE_COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT_LOCALE


def shared_page(render: Callable[[], str]) -> str | bytes:
    """A page that is the same for every first-time visitor, rendered once per worker while
    fresh (PAGE_CACHE_SECONDS, default 60); only the CSRF token and a lesson's reading proof
    are filled in per request.

    The page is kept encoded, in pieces around those values, so that a request joins bytes
    rather than replacing and encoding the whole text."""
    lifetime = current_app.config.get("PAGE_CACHE_SECONDS", 60)
    if not lifetime or not _first_visit():
        return render()
    pages = current_app.extensions.setdefault("lms.shared_pages", {})
    # Pages carry absolute share URLs: without PUBLIC_URL they name the request's own site.
    key = (public_base_url(), request.full_path, _page_language())
    now = time.monotonic()
    cached = pages.get(key)
    if cached is None or now - cached[0] >= lifetime:
        if len(pages) >= MAX_CACHED_PAGES:
            pages.clear()
        cached = pages[key] = (now, _render_around_slots(render))
    filled: dict[bytes, bytes] = {}  # a slot named twice (two forms of one lesson) is made once
    return b"".join(
        piece if n % 2 == 0 else filled.get(piece) or filled.setdefault(piece, _slot_value(piece))
        for n, piece in enumerate(cached[1])
    )


def _render_around_slots(render: Callable[[], str]) -> list[bytes]:
    """The page in pieces: text, a slot's name, text... Rendered with placeholders that no
    request can put in the page (NUL characters, refused in paths and queries), so only
    the slots' own places are split."""
    setattr(flask.g, CSRF_FIELD, TOKEN_SLOT)
    flask.g.lms_page_kept = True
    try:
        page = render()
    finally:
        delattr(flask.g, CSRF_FIELD)
        flask.g.pop("lms_page_kept", None)
    return _SLOTS.split(page.encode())


def _slot_value(name: bytes) -> bytes:
    if name == b"csrf-token":
        return csrf_token().encode()
    from lms.contributions.reach import reading_proof

    return reading_proof(int(name.removeprefix(b"read-"))).encode()


def forget_shared_pages(app) -> None:
    """Drop the pages kept for first-time visitors (after a content change, in tests)."""
    app.extensions.pop("lms.shared_pages", None)
    app.extensions.pop("lms.reading_orders", None)


@bp.get("/sw.js")
def service_worker():
    shell = [static_url(name) for name in SHELL_FILES]
    version = hashlib.sha256("".join([SW_RULES, *shell]).encode()).hexdigest()[:10]
    sign_out = [url_for("accounts.logout"), url_for("privacy.delete_me")]
    body = render_template("sw.js", shell=shell, version=version, sign_out=sign_out)
    response = make_response(body)
    response.headers["Content-Type"] = "text/javascript; charset=utf-8"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/manifest.webmanifest")
def manifest():
    response = make_response(render_template("manifest.webmanifest"))
    response.headers["Content-Type"] = "application/manifest+json; charset=utf-8"
    response.headers["Cache-Control"] = "public, max-age=86400"
    return response


@bp.get("/offline")
def offline():
    return render_template("offline.html")


def _protect_forms():
    """CSRF on every form and every API write a cookie authenticates (X-CSRFToken header);
    an API request that a valid Bearer token authenticated is exempt."""
    if request.method in current_app.config["WTF_CSRF_METHODS"] and not bearer_request():
        csrf.protect()


def _keep_csrf_to_ourselves(app) -> None:
    """Templates get csrf_token() from here, and _protect_forms is the one check: flask-wtf's
    own context processor and before_request hook would run on every page for nothing."""
    app.jinja_env.globals["csrf_token"] = csrf_token
    processors = app.template_context_processors[None]
    processors[:] = [p for p in processors if not _from_flask_wtf(p)]
    hooks = app.before_request_funcs[None]
    hooks[:] = [hook for hook in hooks if not _from_flask_wtf(hook)]


def _from_flask_wtf(function) -> bool:
    return getattr(function, "__qualname__", "").startswith("CSRFProtect.init_app.")


def _cache_headers(response):
    """Versioned static files for a year; an answer about a known person (signed in, a guest,
    an API token) is never stored by the browser or a proxy, so that nobody reads it later
    from the disk of a shared phone or computer; other pages are checked again each time."""
    if request.endpoint == "static" and value_of(request.args, "v"):
        response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    elif "Cache-Control" in response.headers:
        pass  # the view chose (a certificate's PDF, the public key, the service worker)
    elif _about_a_person():
        response.headers["Cache-Control"] = "no-store"
    elif response.content_type.startswith("text/html"):
        response.headers["Cache-Control"] = "no-cache, private"
    return response


def _about_a_person() -> bool:
    return (
        "_user_id" in flask.session
        or bool(value_of(request.cookies, GUEST_COOKIE))
        or bearer_request()
    )


def _csrf_error(error: CSRFError):
    if request.path.startswith(JSON_API_PREFIX):
        return csrf_failed_json()
    return render_template("error.html", code=400, reason="csrf"), 400


def _not_found(error):
    if request.path.startswith(JSON_API_PREFIX):
        return json_error(404, "not_found", _("Không tìm thấy."))
    return render_template("error.html", code=404, reason="not_found"), 404


def init_app(app):
    app.config.setdefault("WTF_CSRF_CHECK_DEFAULT", False)
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)
    csrf.init_app(app)
    _keep_csrf_to_ourselves(app)
    app.before_request(_protect_forms)
    app.after_request(_cache_headers)
    app.register_error_handler(CSRFError, _csrf_error)
    app.register_error_handler(404, _not_found)
    app.jinja_env.globals.update(static_url=static_url, page_url=page_url)
    app.register_blueprint(bp)
    _register_pages(app)


def _register_pages(app):
    from lms.accounts.views import bp as accounts_pages
    from lms.courses.views import bp as course_pages
    from lms.quizzes.views import bp as quiz_pages

    for blueprint in (course_pages, quiz_pages, accounts_pages):
        app.register_blueprint(blueprint)
