"""Assisted sessions and the roll-ups of what each team did for citizens.

`AssistedSession` is one visit where a member helped a citizen at home, recorded with the
citizen's consent; name and phone are optional and nothing else personal is kept.
`TeamContribution` and `UnitContribution` hold the undated totals dashboards read (one row
per team, one per unit); `TeamDay` holds the same figures per team and Vietnam-time day, and
course completions per team, course and day, for rankings over a period. All of them move
in the same transaction as the change they count (lms/contributions/tally.py).
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow
from lms.text import keep_visible

CONTRIBUTION_COUNTERS = ("reached", "learned", "sessions", "steps")
DAY_COUNTERS = ("completed", "reached", "sessions", "steps")


class AssistedSession(Base):
    __tablename__ = "assisted_sessions"
    __table_args__ = (Index("ix_assisted_sessions_team_id_held_on", "team_id", "held_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    held_on: Mapped[date] = mapped_column(Date)
    consent_at: Mapped[datetime]
    citizen_name: Mapped[str | None] = mapped_column(String(200))
    citizen_phone: Mapped[str | None] = mapped_column(String(20))
    vneid_level2: Mapped[bool] = mapped_column(default=False)
    public_service: Mapped[bool] = mapped_column(default=False)
    qr_payment: Mapped[bool] = mapped_column(default=False)
    online_purchase: Mapped[bool] = mapped_column(default=False)
    scam_protection: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamContribution(Base):
    """A team's citizens reached and learning, assisted sessions and steps, all time."""

    __tablename__ = "team_contributions"

    team_id: Mapped[int] = mapped_column(
        ForeignKey("teams.id", ondelete="CASCADE"), primary_key=True
    )
    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    reached: Mapped[int] = mapped_column(default=0)
    learned: Mapped[int] = mapped_column(default=0)
    sessions: Mapped[int] = mapped_column(default=0)
    steps: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnitContribution(Base):
    """The sums of every team's contribution under one unit."""

    __tablename__ = "unit_contributions"

    unit_id: Mapped[int] = mapped_column(
        ForeignKey("units.id", ondelete="CASCADE"), primary_key=True
    )
    reached: Mapped[int] = mapped_column(default=0)
    learned: Mapped[int] = mapped_column(default=0)
    sessions: Mapped[int] = mapped_column(default=0)
    steps: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class TeamDay(Base):
    """One team's figures on one day (Vietnam time): completions of course_id, or, in the
    rows without a course, citizens reached, assisted sessions and steps."""

    __tablename__ = "team_days"
    __table_args__ = (
        Index("ix_team_days_team_id_day", "team_id", "day"),
        Index("ix_team_days_commune_id_day", "commune_id", "day"),
        Index("ix_team_days_district_id_day", "district_id", "day"),
        Index("ix_team_days_province_id_day", "province_id", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    day: Mapped[date] = mapped_column(Date, index=True)
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id"))
    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    province_id: Mapped[int] = mapped_column(ForeignKey("units.id"))
    completed: Mapped[int] = mapped_column(default=0)
    reached: Mapped[int] = mapped_column(default=0)
    sessions: Mapped[int] = mapped_column(default=0)
    steps: Mapped[int] = mapped_column(default=0)


keep_visible(AssistedSession.citizen_name)
