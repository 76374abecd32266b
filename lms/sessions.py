"""Flask's signed-cookie sessions, with the signing serializer built once per app and plain
sessions written as plain JSON.

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
    """Flask's tagged JSON, written as plain JSON when nothing in it needs a tag: most
    sessions hold only strings and flags (a CSRF token, the signed-in user's id), and tagging
    walks every value. Flask's loader reads such JSON back unchanged, except a one-key dict
    whose key is one of its tags, which is left to the tagged path."""

    def dumps(self, value: dict) -> str:
        plain = all(type(item) in PLAIN_TYPES for item in value.values())
        if plain and not (len(value) == 1 and next(iter(value)) in self.tags):
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
