"""Recording assisted sessions; services flush, the view commits."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.contributions import tally
from lms.contributions.models import AssistedSession, TeamContribution
from lms.contributions.steps import STEP_KEYS, SessionForm
from lms.db import utcnow
from lms.reports.rollups import MEMBER_ROLES
from lms.units.models import Team


def team_of_member(db: Session, user: User, code: str) -> Team | None:
    """The team with this code if the user is one of its members (else None)."""
    if not getattr(user, "is_authenticated", False) or user.role not in MEMBER_ROLES:
        return None
    team = db.scalar(select(Team).where(Team.code == code))
    return team if team is not None and user.team_id == team.id else None


def record_session(db: Session, member: User, team: Team, form: SessionForm) -> AssistedSession:
    """Add a consented assisted session and count it for the team."""
    if form.errors:
        raise ValueError("the form has errors")
    record = AssistedSession(
        team_id=team.id,
        member_id=member.id,
        held_on=form.held_on,
        consent_at=utcnow(),
        citizen_name=form.citizen_name,
        citizen_phone=form.citizen_phone,
        **{key: key in form.steps for key in STEP_KEYS},
    )
    db.add(record)
    db.flush()
    tally.bump(db, team.id, form.held_on, sessions=1, steps=len(form.steps))
    return record


def member_sessions(db: Session, member: User, team: Team) -> int:
    """How many sessions this member recorded for the team."""
    query = select(func.count()).where(
        AssistedSession.member_id == member.id, AssistedSession.team_id == team.id
    )
    return db.scalar(query.select_from(AssistedSession))


def team_contribution(db: Session, team: Team) -> dict[str, int]:
    found = db.get(TeamContribution, team.id)
    names = ("reached", "learned", "sessions", "steps")
    return {name: getattr(found, name) if found else 0 for name in names}
