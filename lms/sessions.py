"""Flask's signed-cookie sessions, with the signing serializer built once per app.

Flask builds a new serializer (and its key derivation) twice per request, when the session
is opened and when it is saved; every first-time visitor gets a session for its CSRF token,
so that work shows on the busiest pages. The secret key does not change while the app runs.
"""

import json

from flask.json.tag import TaggedJSONSerializer
from flask.sessions import SecureCookieSessionInterface

from lms.signing import TimedSerializer

PLAIN_TYPES = (str, int, bool)


class SessionJSON(TaggedJSONSerializer):
    """Flask's tagged JSON, written as plain JSON when no value needs a tag: most sessions
    hold only strings and flags (a CSRF token, the signed-in user's id), and tagging walks
    every value. Flask reads both alike."""

    def dumps(self, value: dict) -> str:
        if all(type(item) in PLAIN_TYPES for item in value.values()):
            return json.dumps(value, separators=(",", ":"))
        return super().dumps(value)


class SessionInterface(SecureCookieSessionInterface):
    serializer = SessionJSON()

    def get_signing_serializer(self, app):
        serializer = app.extensions.get("lms.session_serializer")
        if serializer is None and app.secret_key:
            keys = [*(app.config.get("SECRET_KEY_FALLBACKS") or ()), app.secret_key]
            serializer = TimedSerializer(
                keys,
                salt=self.salt,
                serializer=self.serializer,
                signer_kwargs={
                    "key_derivation": self.key_derivation,
                    "digest_method": self.digest_method,
                },
            )
            app.extensions["lms.session_serializer"] = serializer
        return serializer


def init_app(app) -> None:
    app.session_interface = SessionInterface()
