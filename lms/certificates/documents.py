"""A certificate as a document: its signed facts, its URLs, and its stored PDF."""

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy.orm import Session

from lms.certificates.models import Certificate
from lms.certificates.pdf import render_pdf
from lms.certificates.services import local_date
from lms.certificates.signing import SignedFacts, sign


def signed_facts(certificate: Certificate) -> SignedFacts:
    """What the QR code vouches for: serial, date in Vietnam, holder's name, course."""
    return SignedFacts(
        serial=certificate.serial,
        date=local_date(certificate.issued_at).isoformat(),
        holder_name=" ".join(certificate.holder_name.split()),
        course=" ".join(certificate.course_title.split()),
    )


def verify_page_url(base_url: str, certificate: Certificate) -> str:
    """The public verification page of a certificate."""
    return f"{base_url.rstrip('/')}/verify/{certificate.code}"


def qr_url(base_url: str, certificate: Certificate, key: Ed25519PrivateKey) -> str:
    """The verification page with the signed payload in the fragment (never sent to a server)."""
    return f"{verify_page_url(base_url, certificate)}#{sign(signed_facts(certificate), key)}"


def date_text(certificate: Certificate) -> str:
    day = local_date(certificate.issued_at)
    return f"ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"


def pdf_context(certificate: Certificate, base_url: str, key: Ed25519PrivateKey) -> dict:
    """The plain values the PDF template needs (no ORM objects reach the template)."""
    return {
        "serial": certificate.serial,
        "code": certificate.code,
        "holder_name": certificate.holder_name,
        "course": certificate.course_title,
        "team_name": certificate.team_name,
        "commune_name": certificate.commune_name,
        "date_text": date_text(certificate),
        "verify_page": verify_page_url(base_url, certificate),
        "qr_text": qr_url(base_url, certificate, key),
    }


def ensure_pdf(
    db: Session, certificate: Certificate, base_url: str, key: Ed25519PrivateKey
) -> bytes:
    """The stored PDF, rendered and stored on first use."""
    if certificate.pdf is None:
        certificate.pdf = render_pdf(pdf_context(certificate, base_url, key))
        db.flush()
    return certificate.pdf
