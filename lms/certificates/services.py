"""Issuing, finding and revoking certificates; services flush, callers commit."""

from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.certificates.models import Certificate, SerialCounter
from lms.certificates.serials import format_serial, new_code, normalize_code
from lms.courses.models import Course
from lms.db import utcnow
from lms.text import visible_text
from lms.units.models import Team

# Vietnam keeps UTC+7 all year: the certificate date and serial year are local.
VIETNAM_OFFSET = timedelta(hours=7)


class CertificateError(ValueError):
    """A request about a certificate that cannot be carried out; the message is for people."""


def local_date(moment: datetime):
    """The calendar date in Vietnam of a naive UTC time."""
    return (moment + VIETNAM_OFFSET).date()


def issue_certificate(db: Session, user: User, course: Course) -> Certificate | None:
    """The user's certificate for the course, issued now if none exists; guests get none."""
    if user.is_guest:
        return None
    existing = find_for(db, user.id, course.id)
    if existing is not None:
        return existing
    try:
        with db.begin_nested():
            certificate = _new_certificate(db, user, course)
    except IntegrityError:
        # Another request issued it meanwhile: the unique (user, course) pair refused ours.
        existing = find_for(db, user.id, course.id)
        if existing is None:
            raise
        return existing
    return certificate


def find_for(db: Session, user_id: int, course_id: int) -> Certificate | None:
    """The certificate of a user for a course, if any."""
    return db.scalar(
        select(Certificate).where(
            Certificate.user_id == user_id, Certificate.course_id == course_id
        )
    )


def _new_certificate(db: Session, user: User, course: Course) -> Certificate:
    issued_at = utcnow()
    year = local_date(issued_at).year
    number = _next_number(db, course.track, year)
    team = user.team or _referring_team(db, user)
    commune = team.commune if team else (user.unit if _is_commune(user.unit) else None)
    certificate = Certificate(
        serial=format_serial(course.track, year, number),
        code=new_code(),
        user_id=user.id,
        course_id=course.id,
        holder_name=user.full_name,
        course_title=course.title,
        team_id=team.id if team else None,
        team_name=team.name if team else None,
        commune_name=commune.name if commune else None,
        issued_at=issued_at,
    )
    db.add(certificate)
    db.flush()
    return certificate


def _referring_team(db: Session, user: User) -> Team | None:
    return db.get(Team, user.referred_by_team_id) if user.referred_by_team_id else None


def _is_commune(unit) -> bool:
    return unit is not None and unit.level == "commune"


def _next_number(db: Session, track: str, year: int) -> int:
    """Take the next number of a track and year, holding the counter row until commit."""
    counter = _locked_counter(db, track, year)
    if counter is None:
        try:
            with db.begin_nested():
                db.add(SerialCounter(track=track, year=year, last_number=0))
        except IntegrityError:
            pass  # created by a concurrent request; lock theirs below
        counter = _locked_counter(db, track, year)
    counter.last_number += 1
    db.flush()
    return counter.last_number


def _locked_counter(db: Session, track: str, year: int) -> SerialCounter | None:
    return db.scalar(
        select(SerialCounter)
        .where(SerialCounter.track == track, SerialCounter.year == year)
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def by_serial(db: Session, serial: str) -> Certificate | None:
    """The certificate with this serial, if any."""
    return db.scalar(select(Certificate).where(Certificate.serial == (serial or "").upper()))


def by_code(db: Session, text: str) -> Certificate | None:
    """The certificate with this verification code (as typed), if any."""
    code = normalize_code(text)
    if code is None:
        return None
    return db.scalar(select(Certificate).where(Certificate.code == code))


def revoke(db: Session, certificate: Certificate, reason: str, by: User | None) -> Certificate:
    """Mark a certificate revoked, keeping who, when and why."""
    reason = visible_text(reason)
    if not reason:
        raise CertificateError(_("Cần ghi lý do thu hồi (trường “lý do”)."))
    if len(reason) > 1000:
        raise CertificateError(_("Lý do thu hồi dài quá 1000 ký tự (trường “lý do”)."))
    if certificate.revoked_at is not None:
        raise CertificateError(
            _("Chứng nhận %(serial)s đã bị thu hồi trước đó.", serial=certificate.serial)
        )
    certificate.revoked_at = utcnow()
    certificate.revoked_by_id = by.id if by else None
    certificate.revoked_reason = reason
    db.flush()
    return certificate


def for_user(db: Session, user_id: int) -> list[Certificate]:
    """A user's certificates, newest first."""
    return list(
        db.scalars(
            select(Certificate)
            .where(Certificate.user_id == user_id)
            .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        )
    )
