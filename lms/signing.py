"""Signed values (session cookie, guest and referral cookies, CSRF tokens), signed for less.

itsdangerous builds a new signer, and derives its key again, for every value it signs or
checks, and a page signs or checks three or four. The secret key does not change while the
app runs, so these serializers keep one signer per salt and derive each key once. What they
write is what itsdangerous writes and reads, short payloads left uncompressed.
"""

import zlib
from functools import partial

from flask import current_app
from itsdangerous import Serializer as PlainSerializer
from itsdangerous import Signer, TimestampSigner, URLSafeSerializer, URLSafeTimedSerializer
from itsdangerous.encoding import base64_encode

COMPRESS_OVER = 200  # bytes of JSON


def _kept(owner, slot: str, key, make):
    """make(), once per key, kept on the owner object."""
    kept = owner.__dict__.setdefault(slot, {})
    found = kept.get(key)
    if found is None:
        found = kept[key] = make()
    return found


class _KeysDerivedOnce:
    def derive_key(self, secret_key=None):
        return _kept(self, "_derived_keys", secret_key, partial(super().derive_key, secret_key))


class _SignerPerSalt:
    def make_signer(self, salt=None):
        return _kept(self, "_signers", salt, partial(super().make_signer, salt))


class _ShortPayloadsUncompressed:
    """itsdangerous tries zlib on every payload and keeps the result only when shorter.
    Setting zlib up costs some 60 µs, more than all the rest of signing, and a short payload
    (a CSRF token, a session holding one, a guest id) gains a few bytes at most: payloads up
    to COMPRESS_OVER bytes are written plain. Both forms are what itsdangerous writes and
    reads ("." marks zlib)."""

    def dump_payload(self, obj) -> bytes:
        # The JSON itself, from itsdangerous' base serializer: the URL-safe mixin's own
        # dump_payload (the one replaced here) only adds the compression and base64.
        json = PlainSerializer.dump_payload(self, obj)
        if len(json) > COMPRESS_OVER:
            compressed = zlib.compress(json)
            if len(compressed) < len(json) - 1:
                return b"." + base64_encode(compressed)
        return base64_encode(json)


class KeyedSigner(_KeysDerivedOnce, Signer):
    pass


class KeyedTimestampSigner(_KeysDerivedOnce, TimestampSigner):
    pass


class Serializer(_ShortPayloadsUncompressed, _SignerPerSalt, URLSafeSerializer):
    default_signer = KeyedSigner


class TimedSerializer(_ShortPayloadsUncompressed, _SignerPerSalt, URLSafeTimedSerializer):
    default_signer = KeyedTimestampSigner


def serializer(salt: str, timed: bool = False) -> URLSafeSerializer:
    """The app's serializer for this salt, signing with SECRET_KEY; built once per app."""
    kept = current_app.extensions.setdefault("lms.serializers", {})
    key = (salt, timed)
    found = kept.get(key)
    if found is None:
        kind = TimedSerializer if timed else Serializer
        found = kept[key] = kind(current_app.secret_key, salt=salt)
    return found
