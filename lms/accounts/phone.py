"""Vietnamese mobile numbers, stored in one normal form: 0 followed by nine digits."""

import re

_SEPARATORS = re.compile(r"[\s.\-()]")
_MOBILE = re.compile(r"0[35789][0-9]{8}")


def normalize_phone(raw: str) -> str | None:
    """Return the number as 0XXXXXXXXX, or None when it is not a Vietnamese mobile number."""
    digits = _SEPARATORS.sub("", raw or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _MOBILE.fullmatch(digits) else None
