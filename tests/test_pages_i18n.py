"""Translations: every message has an English text, and the .mo is current."""

import shutil
from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from flask_babel import gettext

from lms.i18n import TRANSLATIONS, compile_catalogs

LMS = Path(__file__).parent.parent / "lms"
METHODS = [
    ("**/templates/**.html", "jinja2"),
    ("**/templates/**.webmanifest", "jinja2"),
    ("**.py", "python"),
]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None}
HOW = "add them with the commands in the README's Languages part, then translate them"


def _english():
    with (TRANSLATIONS / "en/LC_MESSAGES/messages.po").open("rb") as po_file:
        return read_po(po_file, locale="en")


def test_every_message_has_an_english_translation():
    catalog = _english()
    missing = []
    for filename, _line, message, _comments, _context in extract_from_dir(
        LMS, METHODS, keywords=KEYWORDS
    ):
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        if entry is None or not entry.string or entry.fuzzy:
            missing.append(f"{filename}: {msgid}")
    assert not missing, f"messages without English ({HOW}):\n" + "\n".join(missing)


def test_the_compiled_catalog_matches_the_po_file():
    with (TRANSLATIONS / "en/LC_MESSAGES/messages.mo").open("rb") as mo_file:
        compiled = read_mo(mo_file)
    source = {m.id: m.string for m in _english() if m.id}
    assert {m.id: m.string for m in compiled if m.id} == source


def test_missing_catalogs_are_compiled_at_start(tmp_path):
    shutil.copytree(TRANSLATIONS, tmp_path / "translations")
    mo_path = tmp_path / "translations/en/LC_MESSAGES/messages.mo"
    mo_path.unlink()
    assert compile_catalogs(tmp_path / "translations") == [mo_path]
    assert compile_catalogs(tmp_path / "translations") == []
    with mo_path.open("rb") as mo_file:
        assert read_mo(mo_file).get("Đánh dấu đã học").string == "Mark as read"


def test_messages_outside_a_request_are_vietnamese(app):
    """Command-line tools run in an app context without a request: no language to read."""
    with app.app_context():
        assert gettext("Tệp trống.") == "Tệp trống."
