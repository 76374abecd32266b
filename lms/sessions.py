"""Flask's signed-cookie sessions, with the signing serializer built once per app.

Flask builds a new serializer (and its key derivation) twice per request, when the session
is opened and when it is saved; every first-time visitor gets a session for its CSRF token,
so that work shows on the busiest pages. The secret key does not change while the app runs.
"""

from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    def get_signing_serializer(self, app):
        serializer = app.extensions.get("lms.session_serializer")
        if serializer is None:
            serializer = super().get_signing_serializer(app)
            app.extensions["lms.session_serializer"] = serializer
        return serializer


def init_app(app) -> None:
    app.session_interface = SessionInterface()
