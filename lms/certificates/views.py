"""Certificate pages: public verification, revocation, my certificates, the PDF download."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import select

from lms.audit import services as audit
from lms.certificates import documents, files, keys, services
from lms.certificates.models import Certificate
from lms.certificates.scope import may_see, oversees
from lms.certificates.serials import normalize_code
from lms.certificates.signing import public_pem, public_raw_b64url
from lms.certificates.web import LOOKUP_LIMIT, LOOKUP_SCOPE, signed_in_user
from lms.db import session
from lms.hosts import public_base_url
from lms.limits import limiter

bp = Blueprint("certificates", __name__, template_folder="templates")


def _too_many(_limit):
    return make_response(render_template("certificates/too_many.html"), 429)


lookup_limit = limiter.shared_limit(LOOKUP_LIMIT, scope=LOOKUP_SCOPE, on_breach=_too_many)


def _checker_values() -> dict:
    return {"public_key": public_raw_b64url(keys.public_key())}


@bp.get("/verify")
def verify_form():
    """Type a code, or check a QR payload offline (this page is kept by the service worker)."""
    typed = request.args.get("code")
    if typed is not None:
        code = normalize_code(typed)
        if code:
            return redirect(url_for("certificates.verify", code=code))
        error = _("Mã xác minh không đúng dạng: cần 10 đến 20 chữ cái và chữ số.")
        return render_template(
            "certificates/verify_form.html", error=error, typed=typed, **_checker_values()
        ), 400
    return render_template(
        "certificates/verify_form.html", error=None, typed="", **_checker_values()
    )


@bp.get("/verify/<code>")
@lookup_limit
def verify(code):
    certificate = services.by_code(session(), code)
    if certificate is None:
        page = render_template("certificates/verify_unknown.html", code=code, **_checker_values())
        return page, 404
    return _verify_page(certificate, errors={})


def issued_on(certificate: Certificate) -> str:
    """The day of issue in the page's language (the PDF keeps its own Vietnamese wording)."""
    return format_date(services.local_date(certificate.issued_at), "long")


def _verify_page(certificate: Certificate, errors: dict, status: int = 200, form=None):
    user = signed_in_user()
    return render_template(
        "certificates/verify.html",
        certificate=certificate,
        issued_on=issued_on(certificate),
        revoked_on=services.local_date(certificate.revoked_at) if certificate.revoked_at else None,
        may_revoke=user is not None and user.role == "admin",
        may_download=may_see(session(), user, certificate),
        errors=errors,
        form=form or {},
        **_checker_values(),
    ), status


@bp.post("/verify/<code>/revoke")
def revoke(code):
    user = signed_in_user()
    if user is None or user.role != "admin":
        abort(403)
    db = session()
    certificate = services.by_code(db, code) or abort(404)
    try:
        services.revoke(db, certificate, request.form.get("reason", ""), by=user)
    except services.CertificateError as exc:
        return _verify_page(certificate, {"reason": str(exc)}, 400, request.form)
    audit.record(db, user, "certificates.revoke", certificate.serial)
    db.commit()
    flash(_("Đã thu hồi chứng nhận %(serial)s.", serial=certificate.serial), "success")
    return redirect(url_for("certificates.verify", code=certificate.code), code=303)


@bp.get("/certificates/<serial>.pdf")
@limiter.exempt
def pdf(serial):
    """The stored PDF for its holder, an admin, or an official over the team."""
    user = signed_in_user()
    if user is None:
        return redirect(url_for("accounts.login", next=request.full_path))
    db = session()
    serial = serial.upper()
    # The common case, a holder fetching a stored PDF, costs one narrow query.
    stored = db.execute(
        select(Certificate.user_id, Certificate.pdf).where(Certificate.serial == serial)
    ).first()
    if stored is None:
        abort(404)
    body = stored.pdf
    if stored.user_id != user.id or body is None:
        certificate = services.by_serial(db, serial)
        if not may_see(db, user, certificate):
            abort(404)
        if body is None:
            body = documents.ensure_pdf(db, certificate, public_base_url(), keys.signing_key())
            db.commit()
    return _pdf_response(serial, body)


def _pdf_response(serial: str, body: bytes):
    return files.pdf_response(request, serial, body)


def pdf_link(certificate: Certificate) -> str:
    """A signed link to the stored PDF, for pages shown to someone allowed to download it."""
    return files.signed_path(current_app.config["SECRET_KEY"], certificate.serial, certificate.code)


@bp.get("/me/certificates")
def mine():
    user = signed_in_user()
    if user is None:
        return redirect(url_for("accounts.login", next=request.full_path))
    certificates = services.for_user(session(), user.id)
    return render_template(
        "certificates/mine.html",
        certificates=[(c, issued_on(c)) for c in certificates],
        oversees=oversees(user),
    )


@bp.get("/.well-known/hocso-certificates.pub")
def public_key():
    response = make_response(public_pem(keys.public_key()))
    response.headers["Content-Type"] = "application/x-pem-file"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response
