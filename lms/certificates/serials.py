"""Serial numbers and verification codes (pure: no Flask, no SQLAlchemy).

A serial reads `<PREFIX>-<YEAR>-<NNNNNN>`, numbered from 1 per track and year:
CD for citizens (công dân), TV for team members (thành viên), CB for officials
(cán bộ); an unknown track is written in upper case. A verification code is a
random string over an alphabet without the look-alikes 0/O, 1/I/L.
"""

import re
import secrets

TRACK_PREFIXES = {"citizen": "CD", "member": "TV", "official": "CB"}
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
SERIAL_RE = re.compile(r"^([A-Z]{2,10})-(\d{4})-(\d{6,})$")
_CODE_RE = re.compile(f"^[{CODE_ALPHABET}]{{10,20}}$")


def track_prefix(track: str) -> str:
    """The serial prefix of a course track."""
    return TRACK_PREFIXES.get(track, track.upper())


def format_serial(track: str, year: int, number: int) -> str:
    """The serial of the number-th certificate of a track in a year."""
    if number < 1:
        raise ValueError("serial numbers start at 1")
    return f"{track_prefix(track)}-{year:04d}-{number:06d}"


def parse_serial(serial: str) -> tuple[str, int, int] | None:
    """(prefix, year, number) of a well-formed serial, else None."""
    match = SERIAL_RE.match(serial or "")
    if match is None:
        return None
    return match[1], int(match[2]), int(match[3])


def new_code(length: int = CODE_LENGTH) -> str:
    """A random verification code over the unambiguous alphabet."""
    if length < 10:
        raise ValueError("verification codes have at least 10 characters")
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(length))


def normalize_code(text: str) -> str | None:
    """The code as typed by a person (spaces, dashes, lower case), or None if malformed."""
    code = re.sub(r"[\s-]", "", text or "").upper()
    return code if _CODE_RE.match(code) else None
