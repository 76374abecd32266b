"""Text that people type, kept as it is seen: one place for invisible characters.

Names, team and unit names, reasons and the other free text that reaches a certificate, a
report or an export lose every character that shows nothing or reorders what is shown:
format characters (Unicode category Cf: zero-width spaces and joiners, bidi embeddings,
overrides and isolates, the BOM, soft hyphens), controls, private-use, unassigned and
surrogate code points, line and paragraph separators, and blank-looking letters (Hangul
fillers, the braille blank). Whitespace becomes one space and the text is NFC. Passwords are
never changed silently: `invisible_characters` lets the policy refuse them.

`keep_visible` applies the same cleaning whenever a model attribute is set, so every path
that writes one of those columns (pages, API, imports, commands) stores visible text.
"""

import unicodedata

from sqlalchemy import event

INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Co", "Cn", "Cs", "Zl", "Zp"})
BLANK_LETTERS = frozenset(
    "\u115f\u1160\u3164\uffa0\u2800\u034f"  # Hangul fillers, braille blank, grapheme joiner
    + "".join(chr(c) for c in range(0xFE00, 0xFE10))  # variation selectors
)


def is_invisible(character: str) -> bool:
    return unicodedata.category(character) in INVISIBLE_CATEGORIES or character in BLANK_LETTERS


def invisible_characters(text: str) -> list[str]:
    """The invisible characters in `text` (whitespace aside), as U+XXXX, in order of appearance."""
    found = dict.fromkeys(
        f"U+{ord(c):04X}" for c in text or "" if not c.isspace() and is_invisible(c)
    )
    return list(found)


def visible_text(text: str | None) -> str:
    """One line of visible text: NFC, invisible characters dropped, whitespace runs as one
    space, no space at either end."""
    spaced = "".join(" " if c.isspace() else c for c in unicodedata.normalize("NFC", text or ""))
    kept = "".join(c for c in spaced if not is_invisible(c))
    return " ".join(kept.split())


def _clean_on_set(_target, value, _old, _initiator):
    return visible_text(value) if isinstance(value, str) else value


def keep_visible(*attributes) -> None:
    """Clean these mapped attributes (e.g. `User.full_name`) whenever they are set."""
    for attribute in attributes:
        event.listen(attribute, "set", _clean_on_set, retval=True)
