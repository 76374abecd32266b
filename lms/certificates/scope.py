"""Who may see which certificates: the holder, admins, and officials over the team's commune.

An official's scope is every team whose commune's path starts with the path of the
official's unit (a province sees all its communes, a commune only itself).
"""

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from lms.accounts.models import OFFICIAL_ROLES, User
from lms.certificates.models import Certificate
from lms.units.models import Team, Unit


def oversees(user: User | None) -> bool:
    """Whether the user looks after other people's certificates (admin or official)."""
    return user is not None and (
        user.role == "admin" or (user.role in OFFICIAL_ROLES and user.unit is not None)
    )


def scoped_certificates(user: User) -> Select:
    """A query of the certificates the admin or official may see, by serial."""
    query = select(Certificate).order_by(Certificate.serial)
    if user.role == "admin":
        return query
    if not oversees(user):
        return query.where(Certificate.id.is_(None))
    return (
        query.join(Team, Team.id == Certificate.team_id)
        .join(Unit, Unit.id == Team.commune_id)
        .where(Unit.path.startswith(user.unit.path, autoescape=True))
    )


def may_see(db: Session, user: User | None, certificate: Certificate) -> bool:
    """The holder, an admin, or an official over the certificate's team."""
    if user is None or user.is_guest:
        return False
    if certificate.user_id == user.id or user.role == "admin":
        return True
    if not oversees(user):
        return False
    query = scoped_certificates(user).where(Certificate.id == certificate.id)
    return db.scalar(query.with_only_columns(Certificate.id)) is not None


def team_in_scope(db: Session, user: User, team_code: str) -> Team | None:
    """The team with this code if the admin or official oversees it."""
    team = db.scalar(select(Team).where(Team.code == team_code))
    if team is None or not oversees(user):
        return None
    if user.role == "admin" or team.commune.path.startswith(user.unit.path):
        return team
    return None


def team_counts(db: Session, user: User) -> list:
    """(team code, team name, commune name, certificates) for each team in scope."""
    query = (
        select(Team.code, Team.name, Unit.name, func.count(Certificate.id))
        .join(Certificate, Certificate.team_id == Team.id)
        .join(Unit, Unit.id == Team.commune_id)
        .group_by(Team.id, Team.code, Team.name, Unit.name)
        .order_by(Unit.name, Team.name)
    )
    if user.role != "admin":
        if not oversees(user):
            return []
        query = query.where(Unit.path.startswith(user.unit.path, autoescape=True))
    return list(db.execute(query).all())
