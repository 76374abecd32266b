"""Keep the contribution roll-ups equal to the rows they count.

Citizens reached: learners attributed to a team (`users.referred_by_team_id`) who did real
activity (`users.reached_at`, lms/contributions/reach.py), dated by that day. Learned: those
of them who read at least one lesson. Sessions
and steps: assisted sessions, dated by the day they were held. Completions per team, course
and day feed period rankings. Callers bump in the same transaction as the change;
`rebuild_contributions` recounts everything from the raw rows (repair).
"""

from collections import defaultdict
from datetime import date

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.contributions.models import (
    CONTRIBUTION_COUNTERS,
    DAY_COUNTERS,
    AssistedSession,
    TeamContribution,
    TeamDay,
    UnitContribution,
)
from lms.contributions.steps import STEP_KEYS
from lms.courses.models import CourseCompletion, LessonProgress
from lms.db import utcnow
from lms.reports.periods import vietnam_day
from lms.reports.rollups import LEVEL_COLUMNS, MEMBER_ROLES, team_placements


def bump(db: Session, team_id: int | None, day: date | None = None, **deltas: int) -> None:
    """Add deltas (reached, learned, sessions, steps) to a team, its units and its day."""
    deltas = {name: delta for name, delta in deltas.items() if delta}
    if team_id is None or not deltas:
        return
    values = {name: getattr(TeamContribution, name) + d for name, d in deltas.items()}
    placement = db.execute(
        update(TeamContribution)
        .where(TeamContribution.team_id == team_id)
        .values(**values, updated_at=utcnow())
        .returning(*(getattr(TeamContribution, c) for c in LEVEL_COLUMNS))
    ).first()
    if placement is None:
        placed = team_placements(db, [team_id]).get(team_id)
        if placed is None:
            return
        db.add(TeamContribution(team_id=team_id, **placed, **(_zero() | deltas)))
        db.flush()
        placement = tuple(placed[c] for c in LEVEL_COLUMNS)
    _bump_units(db, sorted({u for u in placement if u is not None}), deltas)
    dated = {k: v for k, v in deltas.items() if k in ("reached", "sessions", "steps")}
    if dated:
        _bump_day(db, team_id, None, day or vietnam_day(utcnow()), placement, dated)


def _zero() -> dict:
    return {name: 0 for name in CONTRIBUTION_COUNTERS}


def _zero_day() -> dict:
    return {name: 0 for name in DAY_COUNTERS}


def _bump_units(db: Session, unit_ids: list[int], deltas: dict) -> None:
    values = {name: getattr(UnitContribution, name) + d for name, d in deltas.items()}
    found = db.execute(
        update(UnitContribution)
        .where(UnitContribution.unit_id.in_(unit_ids))
        .values(**values, updated_at=utcnow())
        .returning(UnitContribution.unit_id)
    ).scalars()
    missing = set(unit_ids) - set(found)
    if missing:
        recount_units(db, missing)


def _bump_day(db: Session, team_id: int, course_id, day: date, placement, deltas: dict) -> None:
    """Add to the team's row of that day (and course); rows are only ever summed."""
    course = TeamDay.course_id.is_(None) if course_id is None else TeamDay.course_id == course_id
    values = {name: getattr(TeamDay, name) + d for name, d in deltas.items()}
    result = db.execute(
        update(TeamDay)
        .where(TeamDay.team_id == team_id, TeamDay.day == day, course)
        .values(**values)
        .returning(TeamDay.id)
    ).first()
    if result is None:
        placed = dict(zip(LEVEL_COLUMNS, placement, strict=True))
        counters = {"completed": 0, "reached": 0, "sessions": 0, "steps": 0} | deltas
        db.add(TeamDay(team_id=team_id, day=day, course_id=course_id, **placed, **counters))
        db.flush()


def bump_completion(db: Session, team_id: int | None, course_id: int, at, delta: int = 1):
    """Count a member's course completion (at: naive UTC) on its day, for period rankings."""
    if team_id is None or not delta:
        return
    placed = team_placements(db, [team_id]).get(team_id)
    if placed is not None:
        placement = tuple(placed[c] for c in LEVEL_COLUMNS)
        _bump_day(db, team_id, course_id, vietnam_day(at), placement, {"completed": delta})


def has_lessons(db: Session, user_id: int) -> bool:
    return bool(db.scalar(select(exists().where(LessonProgress.user_id == user_id))))


def recount_units(db: Session, unit_ids) -> None:
    """Replace the unit rows of unit_ids (all when None) by sums of their team rows."""
    units = None if unit_ids is None else sorted(set(unit_ids))
    stale = delete(UnitContribution)
    db.execute(stale if units is None else stale.where(UnitContribution.unit_id.in_(units)))
    for column_name in LEVEL_COLUMNS:
        column = getattr(TeamContribution, column_name)
        sums = [func.sum(getattr(TeamContribution, n)) for n in CONTRIBUTION_COUNTERS]
        query = select(column, *sums, func.max(TeamContribution.updated_at)).where(
            column.is_not(None)
        )
        if column_name != "commune_id":  # a commune without a province is its own top
            query = query.where(column != TeamContribution.commune_id)
        if units is not None:
            query = query.where(column.in_(units))
        target = ["unit_id", *CONTRIBUTION_COUNTERS, "updated_at"]
        db.execute(insert(UnitContribution).from_select(target, query.group_by(column)))


def rebuild_contributions(db: Session) -> int:
    """Recount every contribution roll-up and day row from raw rows; returns the team rows."""
    placements = team_placements(db)
    teams: dict[int, dict] = defaultdict(_zero)
    days: dict[tuple, dict] = defaultdict(_zero_day)
    learned = exists().where(LessonProgress.user_id == User.id)
    reached = select(User.referred_by_team_id, User.reached_at, learned).where(
        User.referred_by_team_id.is_not(None), User.reached_at.is_not(None)
    )
    for team_id, reached_at, has_learned in db.execute(reached):
        teams[team_id]["reached"] += 1
        teams[team_id]["learned"] += int(bool(has_learned))
        days[(team_id, None, vietnam_day(reached_at))]["reached"] += 1
    for team_id, held_on, *flags in db.execute(
        select(
            AssistedSession.team_id,
            AssistedSession.held_on,
            *(getattr(AssistedSession, k) for k in STEP_KEYS),
        )
    ):
        teams[team_id]["sessions"] += 1
        teams[team_id]["steps"] += sum(map(bool, flags))
        days[(team_id, None, held_on)]["sessions"] += 1
        days[(team_id, None, held_on)]["steps"] += sum(map(bool, flags))
    for team_id, course_id, at in db.execute(
        select(User.team_id, CourseCompletion.course_id, CourseCompletion.completed_at)
        .join(User, User.id == CourseCompletion.user_id)
        .where(User.team_id.is_not(None), User.role.in_(MEMBER_ROLES))
    ):
        days[(team_id, course_id, vietnam_day(at))]["completed"] += 1
    _replace(db, placements, teams, days)
    return len(teams)


def _replace(db: Session, placements: dict, teams: dict, days: dict) -> None:
    db.execute(delete(TeamDay))
    db.execute(delete(TeamContribution))
    now = utcnow()
    team_rows = [
        {"team_id": t, **placements[t], **counts, "updated_at": now}
        for t, counts in teams.items()
        if t in placements
    ]
    if team_rows:
        db.execute(insert(TeamContribution), team_rows)
    day_rows = [
        {"team_id": t, "course_id": c, "day": d, **placements[t], **counts}
        for (t, c, d), counts in days.items()
        if t in placements
    ]
    if day_rows:
        db.execute(insert(TeamDay), day_rows)
    recount_units(db, None)
    db.flush()


def rebuild_completion_days(db: Session, team_ids: list[int]) -> None:
    """Recount the completion day rows of a few teams (after members moved between teams)."""
    if not team_ids:
        return
    db.execute(delete(TeamDay).where(TeamDay.team_id.in_(team_ids), TeamDay.course_id.is_not(None)))
    placements = team_placements(db, team_ids)
    counts: dict[tuple, int] = defaultdict(int)
    for team_id, course_id, at in db.execute(
        select(User.team_id, CourseCompletion.course_id, CourseCompletion.completed_at)
        .join(User, User.id == CourseCompletion.user_id)
        .where(User.team_id.in_(team_ids), User.role.in_(MEMBER_ROLES))
    ):
        counts[(team_id, course_id, vietnam_day(at))] += 1
    rows = [
        {"team_id": t, "course_id": c, "day": d, **placements[t], **_zero_day(), "completed": n}
        for (t, c, d), n in counts.items()
        if t in placements
    ]
    if rows:
        db.execute(insert(TeamDay), rows)


def guest_leaves(db: Session, guest: User) -> None:
    """A guest merged into an existing account (or a deleted learner): what it counted for
    its team goes with its row."""
    if guest.referred_by_team_id is None or guest.reached_at is None:
        return
    learned = int(has_lessons(db, guest.id))
    day = vietnam_day(guest.reached_at)
    bump(db, guest.referred_by_team_id, day, reached=-1, learned=-learned)


def count_learned(db: Session, user: User, learned_before: bool) -> None:
    """A reached learner's first lesson (read, or brought in by a merge) counts once."""
    if user.referred_by_team_id is None or user.reached_at is None or learned_before:
        return
    if has_lessons(db, user.id):
        bump(db, user.referred_by_team_id, learned=1)
