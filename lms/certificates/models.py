"""Certificates: issued once per learner and course, verifiable by anyone."""

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow
from lms.text import keep_visible


class Certificate(Base):
    __tablename__ = "certificates"
    __table_args__ = (UniqueConstraint("user_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(30), unique=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    holder_name: Mapped[str] = mapped_column(String(200))
    course_title: Mapped[str] = mapped_column(String(300))
    # The team at issue (the holder's, or the one that referred a citizen): officials' scope.
    team_id: Mapped[int | None] = mapped_column(
        ForeignKey("teams.id", ondelete="SET NULL"), index=True
    )
    team_name: Mapped[str | None] = mapped_column(String(200))
    commune_name: Mapped[str | None] = mapped_column(String(200))
    issued_at: Mapped[datetime] = mapped_column(default=utcnow)
    pdf: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_reason: Mapped[str | None] = mapped_column(Text)


class SerialCounter(Base):
    """The last serial number issued per track and year (row-locked while issuing)."""

    __tablename__ = "serial_counters"
    __table_args__ = (UniqueConstraint("track", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    track: Mapped[str] = mapped_column(String(10))
    year: Mapped[int]
    last_number: Mapped[int] = mapped_column(default=0)


keep_visible(
    Certificate.holder_name,
    Certificate.course_title,
    Certificate.team_name,
    Certificate.commune_name,
    Certificate.revoked_reason,
)
