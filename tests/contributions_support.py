"""Brute-force counts of team contribution, straight from the raw rows, to compare roll-ups with."""

from collections import Counter, defaultdict

from sqlalchemy import func, select

from lms.accounts.models import User
from lms.contributions.models import AssistedSession, TeamContribution, TeamDay, UnitContribution
from lms.contributions.steps import STEP_KEYS
from lms.courses.models import CourseCompletion, LessonProgress
from lms.reports.periods import vietnam_day
from lms.reports.rollups import team_placements

NAMES = ("reached", "learned", "sessions", "steps")


def brute_teams(db) -> dict[int, dict[str, int]]:
    """reached, learned, sessions and steps per team, from users and assisted_sessions."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(NAMES, 0))
    learners = set(db.scalars(select(LessonProgress.user_id)))
    for user in db.scalars(select(User).where(User.referred_by_team_id.is_not(None))):
        if user.reached_at is None:  # attributed, but no real activity yet
            continue
        counts[user.referred_by_team_id]["reached"] += 1
        counts[user.referred_by_team_id]["learned"] += int(user.id in learners)
    for session in db.scalars(select(AssistedSession)):
        counts[session.team_id]["sessions"] += 1
        counts[session.team_id]["steps"] += sum(getattr(session, k) for k in STEP_KEYS)
    return {team: dict(values) for team, values in counts.items() if any(values.values())}


def brute_units(db) -> dict[int, dict[str, int]]:
    placements = team_placements(db)
    units: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(NAMES, 0))
    for team_id, values in brute_teams(db).items():
        for unit_id in placements[team_id].values():
            if unit_id is not None:
                for name in NAMES:
                    units[unit_id][name] += values[name]
    return dict(units)


def brute_days(db) -> Counter:
    """(team, course or None, day, measure) → count."""
    days: Counter = Counter()
    for user in db.scalars(select(User).where(User.reached_at.is_not(None))):
        if user.referred_by_team_id is not None:
            days[(user.referred_by_team_id, None, vietnam_day(user.reached_at), "reached")] += 1
    for session in db.scalars(select(AssistedSession)):
        days[(session.team_id, None, session.held_on, "sessions")] += 1
        steps = sum(getattr(session, k) for k in STEP_KEYS)
        days[(session.team_id, None, session.held_on, "steps")] += steps
    completions = db.execute(
        select(User.team_id, CourseCompletion.course_id, CourseCompletion.completed_at)
        .join(User, User.id == CourseCompletion.user_id)
        .where(User.team_id.is_not(None), User.role.in_(("member", "team_leader")))
    )
    for team_id, course_id, at in completions:
        days[(team_id, course_id, vietnam_day(at), "completed")] += 1
    return +days


def rolled_teams(db) -> dict[int, dict[str, int]]:
    rows = db.scalars(select(TeamContribution)).all()
    found = {r.team_id: {n: getattr(r, n) for n in NAMES} for r in rows}
    return {team: values for team, values in found.items() if any(values.values())}


def rolled_units(db) -> dict[int, dict[str, int]]:
    rows = db.scalars(select(UnitContribution)).all()
    return {
        r.unit_id: {n: getattr(r, n) for n in NAMES}
        for r in rows
        if any(getattr(r, n) for n in NAMES)
    }


def rolled_days(db) -> Counter:
    days: Counter = Counter()
    measures = ("completed", "reached", "sessions", "steps")
    query = select(
        TeamDay.team_id,
        TeamDay.course_id,
        TeamDay.day,
        *(func.sum(getattr(TeamDay, m)) for m in measures),
    ).group_by(TeamDay.team_id, TeamDay.course_id, TeamDay.day)
    for team_id, course_id, day, *sums in db.execute(query):
        for measure, value in zip(measures, sums, strict=True):
            days[(team_id, course_id, day, measure)] += int(value or 0)
    return +days
