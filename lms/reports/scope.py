"""Who sees which units and teams: the one place where report scope is enforced.

An admin sees the whole country; a commune, district or province official sees their unit
and everything under it (units whose materialised path starts with theirs); a team leader
sees their own team; everyone else sees no report. Every report query finds its unit, team
or member through the functions below, so nothing outside the scope can be named.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, true
from sqlalchemy.orm import Session

from lms.accounts.models import OFFICIAL_ROLES, User
from lms.units.models import Team, Unit

NATIONAL_CODE = "VN"
NATIONAL_NAME = _l("Toàn quốc")
MEMBER_ROLES = ("member", "team_leader")


@dataclass(frozen=True)
class Scope:
    """What one person may see: everything, a unit's subtree, or one team."""

    everything: bool = False
    unit_path: str | None = None
    unit_code: str | None = None
    team_id: int | None = None
    team_code: str | None = None

    def unit_condition(self):
        """SQL: the units this scope covers."""
        if self.everything:
            return true()
        if self.unit_path:
            return Unit.path.startswith(self.unit_path, autoescape=True)
        return Unit.id.is_(None)  # a team leader sees no unit page

    def team_condition(self):
        """SQL (over Team joined to its commune Unit): the teams this scope covers."""
        if self.team_id is not None:
            return Team.id == self.team_id
        return self.unit_condition()

    def covers_path(self, path: str) -> bool:
        """Whether a unit with this materialised path is in scope (same rule as the SQL)."""
        return self.everything or bool(self.unit_path and path.startswith(self.unit_path))

    @property
    def home(self) -> tuple[str, str]:
        """Where the reports start: ("unit", code) or ("team", code)."""
        if self.everything:
            return "unit", NATIONAL_CODE
        if self.unit_code:
            return "unit", self.unit_code
        return "team", self.team_code or ""


def scope_for(user: User | None) -> Scope | None:
    """The user's scope, or None when they see no report at all."""
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    if user.role == "admin":
        return Scope(everything=True)
    if user.role in OFFICIAL_ROLES and user.unit is not None:
        return Scope(unit_path=user.unit.path, unit_code=user.unit.code)
    if user.role == "team_leader" and user.team is not None:
        return Scope(team_id=user.team.id, team_code=user.team.code)
    return None


def find_unit(db: Session, scope: Scope, code: str) -> Unit | None:
    """The unit with this code if the scope covers it (the country is not a Unit row)."""
    return db.scalar(select(Unit).where(Unit.code == code, scope.unit_condition()))


def sees_country(scope: Scope) -> bool:
    return scope.everything


def find_team(db: Session, scope: Scope, code: str) -> Team | None:
    """The team with this code if the scope covers it."""
    query = (
        select(Team)
        .join(Unit, Unit.id == Team.commune_id)
        .where(Team.code == code, scope.team_condition())
    )
    return db.scalar(query)


def teams_in_scope(db: Session, scope: Scope, codes: set[str]) -> dict[str, Team]:
    """Of these team codes, the teams the scope covers, by code."""
    if not codes:
        return {}
    query = (
        select(Team)
        .join(Unit, Unit.id == Team.commune_id)
        .where(Team.code.in_(sorted(codes)), scope.team_condition())
    )
    return {team.code: team for team in db.scalars(query)}


def find_member(db: Session, scope: Scope, team: Team, user_id: int) -> User | None:
    """A member of a team already found in scope."""
    if find_team(db, scope, team.code) is None:
        return None
    return db.scalar(
        select(User).where(User.id == user_id, User.team_id == team.id, User.role.in_(MEMBER_ROLES))
    )
