"""Serial numbers and verification codes, without an app."""

import pytest

from lms.certificates.serials import (
    CODE_ALPHABET,
    format_serial,
    new_code,
    normalize_code,
    parse_serial,
    track_prefix,
)


def test_prefixes_per_track():
    assert [track_prefix(t) for t in ("citizen", "member", "official")] == ["CD", "TV", "CB"]
    assert track_prefix("pilot") == "PILOT"


def test_format_and_parse_round_trip():
    assert format_serial("member", 2026, 42) == "TV-2026-000042"
    assert parse_serial("TV-2026-000042") == ("TV", 2026, 42)
    assert format_serial("citizen", 2027, 1_234_567) == "CD-2027-1234567"
    assert parse_serial("tv-2026-42") is None
    with pytest.raises(ValueError):
        format_serial("citizen", 2026, 0)


def test_codes_avoid_look_alikes():
    assert not set("0O1IL") & set(CODE_ALPHABET)
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    assert all(len(code) == 12 and set(code) <= set(CODE_ALPHABET) for code in codes)
    with pytest.raises(ValueError):
        new_code(8)


def test_codes_as_typed():
    code = new_code()
    typed = f" {code[:4].lower()}-{code[4:8]} {code[8:]} "
    assert normalize_code(typed) == code
    assert normalize_code("ABCDEFGHJK0") is None  # a zero is never in a code
    assert normalize_code("SHORT") is None
    assert normalize_code("") is None
