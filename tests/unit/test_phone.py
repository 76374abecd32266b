import pytest

from lms.accounts.phone import normalize_phone


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("0912345678", "0912345678"),
        ("+84 912 345 678", "0912345678"),
        ("84912345678", "0912345678"),
        ("091.234.5678", "0912345678"),
        ("0312345678", "0312345678"),
    ],
)
def test_vietnamese_mobiles_are_normalised(raw, normal):
    assert normalize_phone(raw) == normal


@pytest.mark.parametrize("raw", ["", "12345", "0212345678", "09123456789", "abc0912345678"])
def test_other_strings_are_not_phones(raw):
    assert normalize_phone(raw) is None
