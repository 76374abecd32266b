"""Languages: Vietnamese by default, English second; chosen in a cookie and on the user."""

import unicodedata
from pathlib import Path
from urllib.parse import urlsplit

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Blueprint, current_app, has_request_context, redirect, request
from flask_babel import Babel, get_locale, get_translations
from flask_login import current_user
from markupsafe import Markup

from lms.cookies import value_of
from lms.db import session

LANGUAGES = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT_LOCALE = "vi"
LOCALE_COOKIE = "lang"
TRANSLATIONS = Path(__file__).parent / "translations"
_REQUEST_TRANSLATIONS = "lms.translations"

bp = Blueprint("i18n", __name__)


def _signed_in_user():
    """The signed-in (registered) user, if flask-login is set up and someone is."""
    if not hasattr(current_app, "login_manager"):
        return None
    user = current_user
    return user if user.is_authenticated and not user.is_guest else None


def select_locale() -> str:
    """The cookie's language, else the signed-in user's, else Vietnamese (also outside a
    request: command-line tools speak Vietnamese)."""
    if not has_request_context():
        return DEFAULT_LOCALE
    chosen = value_of(request.cookies, LOCALE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    user = _signed_in_user()
    if user is not None and user.locale in LANGUAGES:
        return user.locale
    return DEFAULT_LOCALE


def request_translations():
    """This request's message catalog, looked up once: flask-babel looks it up again for
    every message, and a page shows twenty of them."""
    if not has_request_context():
        return get_translations()
    found = request.environ.get(_REQUEST_TRANSLATIONS)
    if found is None:
        found = request.environ[_REQUEST_TRANSLATIONS] = get_translations()
    return found


def _install_template_gettext(app) -> None:
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: request_translations().ugettext(s),
        ngettext=lambda s, p, n: request_translations().ungettext(s, p, n),
        pgettext=lambda c, s: request_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: request_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )


def vi(text) -> Markup:
    """Text that stays Vietnamese in every language (a name, a place, lesson content), marked
    lang="vi" so that screen readers pronounce it right; escaped like any other value."""
    return Markup('<span lang="vi">{}</span>').format(text)


def with_values(message: str, **values) -> Markup:
    """A translated message with its values put in and escaped, except those already marked
    up, such as names passed through vi(): flash(with_values(_("Hello %(name)s"), name=vi(n)))."""
    return Markup(message) % values


def current_locale() -> str:
    return str(get_locale() or DEFAULT_LOCALE)


def safe_next(target: str | None, default: str = "/") -> str:
    """A local path to go back to; anything else becomes the default.

    Browsers drop tabs and newlines from a URL and read a backslash as a slash, so
    `/<tab>/evil.example` would lead off-site: a target with whitespace, control or invisible
    characters, or a backslash anywhere, is refused; what is left must parse as a path with
    neither scheme nor host."""
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(_invisible(ch) for ch in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        return default
    return target


def _invisible(ch: str) -> bool:
    """Whitespace, control, format (zero-width, bidi) and unassigned characters."""
    return ch.isspace() or unicodedata.category(ch).startswith("C")


@bp.post("/language")
def choose_language():
    """Remember the language chosen in the footer form."""
    lang = request.form.get("lang", "")
    response = redirect(safe_next(request.form.get("next")))
    if lang not in LANGUAGES:
        return response
    response.set_cookie(
        LOCALE_COOKIE,
        lang,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=current_app.config["SESSION_COOKIE_SECURE"],
    )
    user = _signed_in_user()
    if user is not None:
        user.locale = lang
        session().commit()
    return response


def compile_catalogs(directory: Path = TRANSLATIONS) -> list[Path]:
    """Compile each messages.po whose messages.mo is missing or older; returns what it wrote."""
    written = []
    for po_path in directory.glob("*/LC_MESSAGES/messages.po"):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        try:
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
        except OSError:  # a read-only install keeps the committed .mo files
            continue
        written.append(mo_path)
    return written


def init_app(app):
    app.config.setdefault("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", str(TRANSLATIONS))
    compile_catalogs()
    Babel(app, locale_selector=select_locale)
    _install_template_gettext(app)
    app.jinja_env.globals.update(current_locale=current_locale, languages=LANGUAGES)
    app.jinja_env.filters["vi"] = vi
    app.register_blueprint(bp)
