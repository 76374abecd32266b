"""The app's serializers write what itsdangerous reads, and read what it writes."""

import pytest
from itsdangerous import BadSignature, URLSafeSerializer, URLSafeTimedSerializer

from lms.signing import COMPRESS_OVER, Serializer, TimedSerializer

PAIRS = [
    (Serializer("secret", salt="lms.guest"), URLSafeSerializer("secret", salt="lms.guest")),
    (
        TimedSerializer("secret", salt="cookie-session"),
        URLSafeTimedSerializer("secret", salt="cookie-session"),
    ),
]
VALUES = [
    [42, "2026-11-30T07:00:00+00:00"],
    {"csrf_token": "a" * 40},
    {"_flashes": [["ok", "Đã ghi nhận: bạn đã học bài “Chào mừng”."]] * 20},
]


@pytest.mark.parametrize(("ours", "theirs"), PAIRS)
@pytest.mark.parametrize("value", VALUES)
def test_values_cross_between_our_serializers_and_itsdangerous(ours, theirs, value):
    assert theirs.loads(ours.dumps(value)) == value
    assert ours.loads(theirs.dumps(value)) == value


@pytest.mark.parametrize(("ours", "_theirs"), PAIRS)
def test_short_payloads_are_plain_and_long_ones_compressed(ours, _theirs):
    short, long = ours.dumps({"csrf_token": "a" * 40}), ours.dumps(VALUES[2])
    assert not short.startswith(".")
    assert long.startswith(".") and len(long) < len(str(VALUES[2]))
    assert len(str(VALUES[2])) > COMPRESS_OVER


@pytest.mark.parametrize(("ours", "_theirs"), PAIRS)
def test_another_key_is_refused(ours, _theirs):
    forged = type(ours)("another secret", salt=ours.salt).dumps([42, "x"])
    with pytest.raises(BadSignature):
        ours.loads(forged)
