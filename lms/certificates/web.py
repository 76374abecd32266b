"""Request helpers shared by the certificate pages and API: who asks, and the look-up limit."""

from flask_login import current_user

from lms.accounts.models import User

LOOKUP_LIMIT = "30/minute"
LOOKUP_SCOPE = "certificate-lookup"


def signed_in_user() -> User | None:
    """The signed-in account, never a guest."""
    if current_user and current_user.is_authenticated and not current_user.is_guest:
        return current_user._get_current_object()
    return None
