"""Which links a lesson may hold: https to an official domain, read as a browser reads them.

A browser parses a link by the WHATWG URL standard, which differs from `urllib`: it takes `\\`
for `/`, drops tabs and newlines, decodes `%2E` in a host and ignores extra slashes, so
`https://evil.example\\@official.gov.vn/` leads to evil.example. A link is therefore refused
outright when it holds a backslash, an `@` or a `%` before its path (userinfo, an encoded
host), whitespace, a control or an invisible formatting character, and its host is the one the
WHATWG parser (ada) finds.
"""

import re
import unicodedata

import ada_url

# characters that end the authority of an https URL (after the refusals below)
_AUTHORITY_END = re.compile(r"[/?#]")


def is_official_link(href: str, domains: tuple[str, ...]) -> bool:
    """True when `href` is an https link whose host is one of `domains` or under one."""
    if not href.lower().startswith("https://") or _has_tricky_characters(href):
        return False
    authority = _AUTHORITY_END.split(href[len("https://") :], maxsplit=1)[0]
    if "@" in authority or "%" in authority or not authority:  # no userinfo, no encoded host
        return False
    try:
        parsed = ada_url.URL(href)
    except ValueError:
        return False
    if parsed.protocol != "https:" or parsed.username or parsed.password:
        return False
    host = parsed.hostname.lower().rstrip(".")
    return any(host == domain or host.endswith("." + domain) for domain in domains)


def _has_tricky_characters(href: str) -> bool:
    return "\\" in href or any(
        character.isspace() or unicodedata.category(character) in ("Cc", "Cf", "Zl", "Zp")
        for character in href
    )
