"""Signed values (session cookie, guest and referral cookies, CSRF tokens), signed for less.

itsdangerous builds a new signer, and derives its key again, for every value it signs or
checks, and a page signs or checks three or four. The secret key does not change while the
app runs, so these serializers keep one signer per salt and derive each key once; what they
write is exactly what itsdangerous writes.
"""

from flask import current_app
from itsdangerous import Signer, TimestampSigner, URLSafeSerializer, URLSafeTimedSerializer


class _KeysDerivedOnce:
    def derive_key(self, secret_key=None):
        derived = self.__dict__.setdefault("_derived_keys", {})
        key = derived.get(secret_key)
        if key is None:
            key = derived[secret_key] = super().derive_key(secret_key)
        return key


class _SignerPerSalt:
    def make_signer(self, salt=None):
        signers = self.__dict__.setdefault("_signers", {})
        signer = signers.get(salt)
        if signer is None:
            signer = signers[salt] = super().make_signer(salt)
        return signer


class KeyedSigner(_KeysDerivedOnce, Signer):
    pass


class KeyedTimestampSigner(_KeysDerivedOnce, TimestampSigner):
    pass


class Serializer(_SignerPerSalt, URLSafeSerializer):
    default_signer = KeyedSigner


class TimedSerializer(_SignerPerSalt, URLSafeTimedSerializer):
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
