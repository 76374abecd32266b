"""What a person reading the English site sees, and the Vietnamese left in it.

Vietnamese is told by its letters with diacritics (ă â đ ê ô ơ ư and the five tone marks).
Lesson content, people's names, units, teams and certificate titles are legitimately
Vietnamese: the templates mark them with lang="vi", and such elements are left out here.
A page's <title> and the attributes people read (alt, aria-label...) cannot hold markup:
there, the texts the page marks lang="vi" elsewhere (a lesson's title in its heading) are
taken out first. The product's own name, Học Số, is a name in every language.
"""

import csv
import io
import json
import re
import unicodedata
from html.parser import HTMLParser

from openpyxl import load_workbook

_VOWELS = "aăâeêioôơuưy"
_TONES = "\u0300\u0301\u0303\u0309\u0323"  # huyền, sắc, ngã, hỏi, nặng


def _vietnamese_letters() -> str:
    letters = {"đ", "ă", "â", "ê", "ô", "ơ", "ư"}
    for vowel in _VOWELS:
        for tone in _TONES:
            letters.add(unicodedata.normalize("NFC", vowel + tone))
    letters |= {letter.upper() for letter in letters}
    return "".join(sorted(letters))


VIETNAMESE = re.compile(f"[{_vietnamese_letters()}]")
VOID = {
    "area", "base", "br", "col", "embed", "hr", "img", "input",
    "link", "meta", "source", "track", "wbr",
}  # fmt: skip
HIDDEN = {"script", "style", "template", "noscript"}
BRAND = "Học Số"
# Attributes a person reads or hears: tooltips, image texts, hints, screen-reader labels.
READ_ATTRIBUTES = ("title", "alt", "placeholder", "aria-label")


def is_vietnamese(text: str) -> bool:
    return bool(VIETNAMESE.search(unicodedata.normalize("NFC", text)))


class VisibleText(HTMLParser):
    """The text and read attributes of a page, without elements marked lang="vi" (and all
    inside them), scripts and styles."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open: list[tuple[str, bool]] = []  # (tag, left out)
        self.texts: list[str] = []  # text between tags, outside lang="vi"
        self.quoted: list[str] = []  # the title and read attributes, which may quote names
        self.marked: set[str] = set()  # the texts inside lang="vi"
        self.html_lang: str | None = None

    def _left_out(self) -> bool:
        return any(skipped for _tag, skipped in self.open)

    def _marked(self) -> bool:
        return any(skipped for tag, skipped in self.open if tag not in HIDDEN)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        skipped = (attrs.get("lang") or "").lower().startswith("vi") or tag in HIDDEN
        if not (skipped or self._left_out()):
            self._attributes(tag, attrs)
        if tag not in VOID:
            self.open.append((tag, skipped))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def _attributes(self, tag, attrs):
        self.quoted.extend(attrs[name] for name in READ_ATTRIBUTES if attrs.get(name))
        if tag == "input" and attrs.get("type") in ("submit", "button") and attrs.get("value"):
            self.texts.append(attrs["value"])
        if tag == "meta" and attrs.get("name") == "description":
            self.quoted.append(attrs.get("content") or "")

    def handle_endtag(self, tag):
        for index in range(len(self.open) - 1, -1, -1):
            if self.open[index][0] == tag:
                del self.open[index:]
                return

    def handle_data(self, data):
        text = " ".join(data.split())
        if not text:
            return
        if self.open and self.open[-1][0] == "title":
            self.quoted.append(text)
        elif self._marked():
            self.marked.add(text)
        elif not self._left_out():
            self.texts.append(text)

    def unquoted(self) -> list[str]:
        """The title and read attributes without the texts marked lang="vi" on the page."""
        names = sorted(self.marked, key=len, reverse=True)
        found = []
        for text in self.quoted:
            for name in names:
                text = text.replace(name, "")
            found.append(text)
        return found


def vietnamese_in_html(html: str) -> list[str]:
    """The visible Vietnamese pieces of a page (outside lang="vi"), and a wrong <html lang>."""
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    texts = [*parser.texts, *parser.unquoted()]
    found = [text for text in texts if is_vietnamese(text.replace(BRAND, ""))]
    if parser.html_lang != "en":
        found.append(f'<html lang="{parser.html_lang}">')
    return found


def _messages(value) -> list[str]:
    """Every "message" of a JSON body (error messages and any other message for people)."""
    if isinstance(value, dict):
        own = [value["message"]] if isinstance(value.get("message"), str) else []
        return own + [m for item in value.values() for m in _messages(item)]
    if isinstance(value, list):
        return [m for item in value for m in _messages(item)]
    return []


def _headers_of_csv(body: bytes) -> list[str]:
    return next(csv.reader(io.StringIO(body.decode("utf-8-sig"))), [])


def _headers_of_xlsx(body: bytes) -> list[str]:
    sheet = load_workbook(io.BytesIO(body), read_only=True).active
    first = next(sheet.iter_rows(max_row=1, values_only=True), ())
    return [str(cell) for cell in first if cell is not None]


# Files whose words are Vietnamese by design (a certificate is an official Vietnamese paper,
# and a team's ZIP holds such papers), or carry no words for people.
NOT_READ = (
    "application/pdf",
    "application/x-pem-file",
    "application/zip",
    "text/css",
    "text/javascript",
    "application/javascript",
    "image/",
    "font/",
)


def vietnamese_in(response) -> list[str]:
    """The Vietnamese a person reads in an answer: a page's text, a JSON body's messages,
    a table file's header row. Any other kind of answer must be listed in NOT_READ."""
    mimetype = response.mimetype or ""
    body = response.get_data()
    if not body:  # 204 No Content, an empty redirect
        return []
    if mimetype == "text/html":
        return vietnamese_in_html(body.decode())
    if mimetype.endswith("json"):
        if mimetype == "application/manifest+json":
            return [text for text in [json.loads(body)["description"]] if is_vietnamese(text)]
        return [text for text in _messages(json.loads(body)) if is_vietnamese(text)]
    if mimetype == "text/csv":
        return [text for text in _headers_of_csv(body) if is_vietnamese(text)]
    if mimetype.endswith("spreadsheetml.sheet"):
        return [text for text in _headers_of_xlsx(body) if is_vietnamese(text)]
    if mimetype.startswith(NOT_READ):
        return []
    return [f"an answer of type {mimetype!r} that this test does not read"]
