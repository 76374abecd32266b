"""The way back into an account: a one-time code from someone who knows the person.

A team leader gives a code to a person of their team, an official to a person in their
scope, the admin to anyone but another admin. The person signs in with it on /login/code and
sets a new password. Who may be given a code is decided here, in the query, from the giver's
report scope; every code given is audited.
"""

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from lms.accounts import onetime
from lms.accounts.models import OFFICIAL_ROLES, User
from lms.accounts.phone import normalize_phone
from lms.audit import services as audit
from lms.reports.scope import Scope
from lms.units.models import Team, Unit

RECOVERY_DAYS = 3
LEARNER_ROLES = ("citizen", "member", "team_leader")
AUDIT_ACTION = "codes.recover"


def people_in_scope(scope: Scope, giver: User):
    """SQL over User: the people this giver may give a code to (never themselves).

    Learners of a team in scope (its members, and citizens it brought who are in no team),
    officials of a unit strictly under the giver's unit, and for the admin every account but
    admins and guests.
    """
    if scope.everything:
        allowed = User.role.notin_(("admin", "guest"))
    else:
        teams = select(Team.id).join(Unit, Unit.id == Team.commune_id).where(scope.team_condition())
        learners = or_(
            and_(User.role.in_(LEARNER_ROLES), User.team_id.in_(teams)),
            # a citizen the team brought, as long as they have joined no team of their own
            and_(
                User.role == "citizen",
                User.team_id.is_(None),
                User.referred_by_team_id.in_(teams),
            ),
        )
        allowed = learners
        if scope.unit_path:
            below = select(Unit.id).where(
                Unit.path.startswith(scope.unit_path, autoescape=True),
                Unit.path != scope.unit_path,
            )
            officials = and_(User.role.in_(OFFICIAL_ROLES), User.unit_id.in_(below))
            allowed = or_(learners, officials)
    return and_(allowed, User.id != giver.id)


def find_by_id(db: Session, scope: Scope, giver: User, user_id: int) -> User | None:
    return db.scalar(select(User).where(User.id == user_id, people_in_scope(scope, giver)))


def find_by_phone(db: Session, scope: Scope, giver: User, phone: str) -> User | None:
    normal = normalize_phone(phone or "")
    if normal is None:
        return None
    return db.scalar(select(User).where(User.phone == normal, people_in_scope(scope, giver)))


def give_code(db: Session, key: str, giver: User, person: User) -> str:
    """A new one-time code for the person (their earlier open codes are spent), audited."""
    code = onetime.issue_code(db, key, person, days=RECOVERY_DAYS)
    audit.record(db, giver, AUDIT_ACTION, f"user:{person.id}", role=person.role)
    return code
