"""JSON API: public certificate look-up by code, and the signed-in user's certificates."""

from flask import Blueprint, jsonify, make_response, url_for
from flask_babel import gettext as _

from lms.certificates import documents, services
from lms.certificates.models import Certificate
from lms.certificates.web import LOOKUP_LIMIT, LOOKUP_SCOPE, signed_in_user
from lms.db import session
from lms.hosts import public_base_url
from lms.limits import limiter

bp = Blueprint("certificates_api", __name__, url_prefix="/api/v1")


def api_error(status: int, code: str, message: str):
    return jsonify(error={"code": code, "message": message}), status


def _too_many(_limit):
    """The JSON answer once the look-up limit is reached (a Response, as flask-limiter needs)."""
    return make_response(
        api_error(429, "rate_limited", _("Tra cứu quá nhiều lần. Vui lòng thử lại sau một phút."))
    )


@bp.get("/certificates/<code>")
@limiter.shared_limit(LOOKUP_LIMIT, scope=LOOKUP_SCOPE, on_breach=_too_many)
def certificate(code):
    """Is this certificate valid? Anyone may ask; look-ups are rate-limited per address."""
    found = services.by_code(session(), code)
    if found is None:
        return api_error(404, "not_found", _("Không có chứng nhận với mã xác minh này."))
    return jsonify(
        valid=found.revoked_at is None,
        serial=found.serial,
        holder_name=found.holder_name,
        course=found.course_title,
        issued_at=found.issued_at.isoformat() + "Z",
        revoked=found.revoked_at is not None,
        revoked_reason=found.revoked_reason,
    )


@bp.get("/me/certificates")
def my_certificates():
    """The certificates of the signed-in user (session cookie or Bearer token)."""
    user = signed_in_user()  # under /api/, a Bearer token's owner (lms/accounts/auth.py)
    if user is None:
        return api_error(401, "unauthorized", _("Cần đăng nhập để xem chứng nhận của bạn."))
    base = public_base_url()
    found = [_summary(c, base) for c in services.for_user(session(), user.id)]
    session().commit()  # a Bearer token's last use
    return jsonify(found)


def _summary(certificate: Certificate, base: str) -> dict:
    return {
        "serial": certificate.serial,
        "course": certificate.course_title,
        "issued_at": certificate.issued_at.isoformat() + "Z",
        "verify_url": documents.verify_page_url(base, certificate),
        "pdf_url": base + url_for("certificates.pdf", serial=certificate.serial),
        "revoked": certificate.revoked_at is not None,
    }
