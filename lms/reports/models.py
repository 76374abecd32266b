"""Roll-ups that reports read instead of recounting raw progress.

`TeamRollup` holds one row per team and course, carrying its commune, district (where one
exists) and province; `UnitRollup` holds the same sums per unit and course, so that a
report at any level reads one row per child. `MemberActivity` keeps each member's last
learning activity, and `RollupJob` the watermarks of the incremental refresh job.
`Target` is an official's goal for a unit and course; `FeaturedTopic` the module of the
citizen course that learners' home shows in a month.
"""

from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow

COUNTERS = ("members", "started", "completed", "quiz_attempts", "quiz_passes", "active_30d")


class TeamRollup(Base):
    __tablename__ = "team_rollups"
    __table_args__ = (UniqueConstraint("team_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("units.id"), index=True)
    members: Mapped[int] = mapped_column(default=0)
    started: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    quiz_attempts: Mapped[int] = mapped_column(default=0)
    quiz_passes: Mapped[int] = mapped_column(default=0)
    active_30d: Mapped[int] = mapped_column(default=0, server_default="0")
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class UnitRollup(Base):
    """The sums of every team under one unit, for one course."""

    __tablename__ = "unit_rollups"
    __table_args__ = (UniqueConstraint("unit_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    teams: Mapped[int] = mapped_column(default=0)
    members: Mapped[int] = mapped_column(default=0)
    started: Mapped[int] = mapped_column(default=0)
    completed: Mapped[int] = mapped_column(default=0)
    quiz_attempts: Mapped[int] = mapped_column(default=0)
    quiz_passes: Mapped[int] = mapped_column(default=0)
    active_30d: Mapped[int] = mapped_column(default=0)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class MemberActivity(Base):
    """A member's latest lesson read or quiz attempt, folded in by the refresh job."""

    __tablename__ = "member_activity"
    __table_args__ = (Index("ix_member_activity_last_active_at", "last_active_at"),)

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_active_at: Mapped[datetime]


class RollupJob(Base):
    """Where the incremental refresh job stopped: its time and the last rows it read."""

    __tablename__ = "rollup_jobs"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    refreshed_at: Mapped[datetime]
    lesson_progress_id: Mapped[int] = mapped_column(default=0)
    quiz_attempt_id: Mapped[int] = mapped_column(default=0)


class Target(Base):
    """A unit's goal: percent of members completing a course by a date."""

    __tablename__ = "targets"
    __table_args__ = (UniqueConstraint("unit_id", "course_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"))
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id"), index=True)
    percent: Mapped[int]
    due_on: Mapped[date] = mapped_column(Date)
    set_on: Mapped[date] = mapped_column(Date)
    baseline_percent: Mapped[float] = mapped_column(default=0.0)
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)


class FeaturedTopic(Base):
    """The module every learner's home features in one month ("YYYY-MM", Vietnam time)."""

    __tablename__ = "featured_topics"

    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    module_id: Mapped[int] = mapped_column(ForeignKey("modules.id"))
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
