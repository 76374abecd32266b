"""Lesson Markdown to safe HTML, rendered once at sync."""

import re
from html import unescape

import markdown
import nh3

BOX_KINDS = frozenset({"ghi-nho", "sms", "call", "fakepage", "canh-bao", "meo", "tinh-huong"})

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "a",
    "h2",
    "h3",
    "h4",
    "blockquote",
    "code",
    "pre",
    "div",
    "span",
    "hr",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "del",
    "s",
    "mark",
    "small",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "div": {"class"}, "p": {"class"}, "ol": {"start"}}

_BOX_CLASS = re.compile(r'<div class="admonition ([a-z-]+)">')
_HREF = re.compile(r'<a [^>]*href="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def render(body: str) -> str:
    """Render Markdown to sanitized HTML (raw HTML in the source is removed)."""
    html = markdown.markdown(body, extensions=["admonition", "sane_lists"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"https", "http", "tel", "mailto"},
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def boxes(html: str) -> frozenset[str]:
    return frozenset(_BOX_CLASS.findall(html))


def links(html: str) -> tuple[str, ...]:
    return tuple(unescape(href) for href in _HREF.findall(html))


def word_count(html: str) -> int:
    return len(unescape(_TAG.sub(" ", html)).split())
