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


def test_plain_sessions_are_written_untagged_and_read_back_by_flask():
    from flask import Flask
    from flask.sessions import session_json_serializer

    from lms.sessions import SessionJSON

    plain = {"csrf_token": "f" * 40, "_user_id": "7:0", "_fresh": True}
    flashed = {"_flashes": [("ok", "Đã lưu.")], "csrf_token": "f" * 40}
    with Flask(__name__).app_context():  # Flask's tagged JSON needs an app for its JSON
        assert SessionJSON().dumps(plain) == (
            '{"csrf_token":"ffffffffffffffffffffffffffffffffffffffff","_user_id":"7:0","_fresh":true}'
        )
        assert session_json_serializer.loads(SessionJSON().dumps(plain)) == plain
        assert session_json_serializer.loads(SessionJSON().dumps(flashed)) == flashed
        assert SessionJSON().dumps(flashed) == session_json_serializer.dumps(flashed)
        tag_named = {" t": "a"}  # a key Flask's loader would read as a tag
        assert session_json_serializer.loads(SessionJSON().dumps(tag_named)) == tag_named
