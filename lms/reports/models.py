"""Per-team roll-ups that reports read instead of recounting raw progress.

Each row carries its commune and province (and district where one exists) so that a
report for any unit is a single indexed aggregate over this table.
"""

from datetime import datetime

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import Base, utcnow


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
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
