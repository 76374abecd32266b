"""Request helpers shared by the certificate pages and API: who asks, from which site."""

from flask import current_app, has_request_context, request
from flask_login import current_user

from lms.accounts.models import User

LOOKUP_LIMIT = "30/minute"
LOOKUP_SCOPE = "certificate-lookup"


def public_base_url() -> str:
    """PUBLIC_URL (LMS_PUBLIC_URL) when set, else the site this request came to."""
    configured = current_app.config.get("PUBLIC_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.url_root.rstrip("/")
    return "http://localhost:5000"


def signed_in_user() -> User | None:
    """The signed-in account, never a guest."""
    if current_user and current_user.is_authenticated and not current_user.is_guest:
        return current_user._get_current_object()
    return None
