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
    # No longer read: signed-in sessions are rows of user_sessions. Kept because dropping a
    # column rebuilds the table on SQLite, and that would cascade through every user's rows.
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_active_at: Mapped[datetime | None]
    # When a learner referred by a team first did something a script cannot fake cheaply
    # (a lesson read for its minimum time, or a passed quiz): from then on they count as
    # a citizen reached (lms/contributions/reach.py).
    reached_at: Mapped[datetime | None]

    unit: Mapped[Unit | None] = relationship()
    team: Mapped[Team | None] = relationship(foreign_keys=[team_id])

    @property
    def is_guest(self) -> bool:
        return self.role == "guest"

    # The key of the signed-in session this row was loaded for (lms/accounts/auth.py);
    # flask-login keeps it in the session cookie as the user's id.
    session_key = None

    def get_id(self) -> str | None:
        return self.session_key

    def __repr__(self) -> str:
        return f"<User {self.id} {self.role}>"


class UserSession(Base):
    """One signed-in browser: its cookie holds a random key, stored here only as a digest.
    Signing out deletes the row, so a copy of the cookie taken earlier stops working."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_digest: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


keep_visible(User.full_name)
