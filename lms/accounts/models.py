"""People: registered learners, team members, officials, and guests.

A guest is a row with role "guest" and no credentials: progress always belongs to a
user row, so registering upgrades the row in place and signing in merges it.
"""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import Base, utcnow
from lms.text import keep_visible
from lms.units.models import Team, Unit

ROLES = (
    "guest",
    "citizen",
    "member",
    "team_leader",
    "commune_official",
    "district_official",
    "province_official",
    "admin",
)
OFFICIAL_ROLES = ("commune_official", "district_official", "province_official")


class User(UserMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str | None] = mapped_column(String(80), unique=True)
    phone: Mapped[str | None] = mapped_column(String(20), unique=True)
    full_name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str | None] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(20), default="citizen", index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    referred_by_team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    locale: Mapped[str | None] = mapped_column(String(5))
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_active_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship()
    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])

    @property
    def is_guest(self) -> bool:
        return self.role == "guest"

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


keep_visible(User.full_name)
