"""Links built from the pieces of known allow-list bypasses: whatever the checker accepts, a
browser (the WHATWG parser), urllib and the rendered lesson agree that it leads to an official
host, with no userinfo and nothing invisible in it."""

import unicodedata
from urllib.parse import urlsplit

import ada_url
from hypothesis import given, settings
from hypothesis import strategies as st

from lms.content import markdown
from lms.content.links import is_official_link

DOMAINS = ("dichvucong.gov.vn",)
PIECES = st.sampled_from(
    [
        "https://",
        "https:",
        "http://",
        "/",
        "//",
        "\\",
        "@",
        ":",
        ".",
        "#",
        "?",
        "%2E",
        "%2F",
        "%40",
        "%5C",
        "%00",
        "\t",
        "\n",
        " ",
        "\u00a0",
        "\u200b",
        "\u202e",
        "\u2066",
        "\x00",
        "evil.example",
        "user:pw",
        "dichvucong.gov.vn",
        "DICHVUCONG.GOV.VN",
        "xn--dchvcng-",
        "443",
    ]
)
HREFS = st.lists(
    st.one_of(PIECES, st.characters(blacklist_categories=("Cs",))), min_size=1, max_size=12
).map("".join)  # a lesson file is UTF-8: no lone surrogates


def _official(host: str | None) -> bool:
    host = (host or "").lower().rstrip(".")
    return any(host == d or host.endswith("." + d) for d in DOMAINS)


def _assert_plain_and_official(href: str) -> None:
    browser = ada_url.URL(href)
    assert browser.protocol == "https:" and not browser.username and not browser.password
    assert _official(browser.hostname)
    split = urlsplit(href)
    assert split.scheme == "https" and split.username is None and _official(split.hostname)
    assert "\\" not in href and not any(c.isspace() for c in href)
    assert not any(unicodedata.category(c) in ("Cc", "Cf") for c in href)


@settings(max_examples=3000, deadline=None)
@given(href=st.one_of(HREFS, st.builds("https://{}".format, HREFS)))
def test_an_accepted_link_leads_to_an_official_host_for_every_parser(href):
    if is_official_link(href, DOMAINS):
        _assert_plain_and_official(href)


@settings(max_examples=500, deadline=None)
@given(href=st.builds("https://{}".format, HREFS))
def test_what_a_lesson_renders_is_checked_as_rendered(href):
    """The checker reads the hrefs of the rendered lesson, after Markdown's escapes."""
    for rendered in markdown.links(markdown.render(f"[x]({href}) <{href}>")):
        if is_official_link(rendered, DOMAINS):
            _assert_plain_and_official(rendered)
