"""Keep team_rollups and unit_rollups equal to the raw progress they summarise.

The progress and quiz services call `bump` in the same transaction as the change they
record; `rebuild_rollups` recounts everything (or a few teams) with one aggregate query
per measure. `active_30d` lags: lms/reports/activity.py refreshes it incrementally.
"""

from collections.abc import Iterable

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session, aliased

from lms.accounts.models import User
from lms.courses.models import Course, CourseCompletion, Lesson, LessonProgress, Module
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizAttempt
from lms.reports.models import COUNTERS, TeamRollup, UnitRollup
from lms.units.models import Team, Unit

MEMBER_ROLES = ("member", "team_leader")
MAX_LISTED = 5000  # above this many ids, one query over everything beats a long IN list
LEVEL_COLUMNS = ("commune_id", "district_id", "province_id")


def bump(
    db: Session, team_id: int | None, course_id: int, completed_at=None, **deltas: int
) -> None:
    """Add deltas (members, started, completed, quiz_attempts, quiz_passes) to a team's rows.

    A completion is also counted on its day (completed_at, naive UTC; now by default).
    """
    if team_id is None or not deltas:
        return
    if deltas.get("completed"):
        from lms.contributions.tally import bump_completion

        bump_completion(db, team_id, course_id, completed_at or utcnow(), deltas["completed"])
    values = {name: getattr(TeamRollup, name) + delta for name, delta in deltas.items()}
    result = db.execute(
        update(TeamRollup)
        .where(TeamRollup.team_id == team_id, TeamRollup.course_id == course_id)
        .values(**values, updated_at=utcnow())
        .returning(TeamRollup.commune_id, TeamRollup.district_id, TeamRollup.province_id)
    )
    placement = result.first()
    if placement is None:
        row = _new_team_row(db, team_id, course_id, deltas)
        db.add(row)
        db.flush()
        unit_ids = [row.commune_id, row.district_id, row.province_id]
        unit_deltas = {name: getattr(row, name) for name in COUNTERS} | {"teams": 1}
    else:
        unit_ids, unit_deltas = list(placement), deltas
    _bump_units(db, [u for u in unit_ids if u is not None], course_id, unit_deltas)


def _new_team_row(db: Session, team_id: int, course_id: int, deltas: dict) -> TeamRollup:
    """A first row for (team, course): members counted once, the deltas as the first values."""
    members = db.scalar(
        select(func.count())
        .select_from(User)
        .where(User.team_id == team_id, User.role.in_(MEMBER_ROLES))
    )
    counters = {name: max(delta, 0) for name, delta in deltas.items()}
    counters["members"] = members
    return TeamRollup(
        team_id=team_id, course_id=course_id, **team_placements(db, [team_id])[team_id], **counters
    )


def _bump_units(db: Session, unit_ids: list[int], course_id: int, deltas: dict) -> None:
    values = {name: getattr(UnitRollup, name) + delta for name, delta in deltas.items()}
    result = db.execute(
        update(UnitRollup)
        .where(UnitRollup.unit_id.in_(unit_ids), UnitRollup.course_id == course_id)
        .values(**values, updated_at=utcnow())
        .returning(UnitRollup.unit_id)
    )
    missing = set(unit_ids) - set(result.scalars())
    if missing:
        recount_units(db, missing, [course_id])


def team_placements(db: Session, team_ids: Iterable[int] | None = None) -> dict[int, dict]:
    """Each team's commune, district and province ids, from one joined query."""
    parent, grandparent = aliased(Unit), aliased(Unit)
    query = (
        select(Team.id, Team.commune_id, parent.id, parent.level, grandparent.id)
        .join(Unit, Unit.id == Team.commune_id)
        .outerjoin(parent, parent.id == Unit.parent_id)
        .outerjoin(grandparent, grandparent.id == parent.parent_id)
    )
    wanted = None if team_ids is None else set(team_ids)
    if wanted is not None and len(wanted) <= MAX_LISTED:
        query = query.where(Team.id.in_(sorted(wanted)))
    placements = {}
    for team_id, commune_id, parent_id, parent_level, grandparent_id in db.execute(query):
        if wanted is not None and team_id not in wanted:
            continue
        district_id = parent_id if parent_level == "district" else None
        province_id = grandparent_id or parent_id or commune_id
        placements[team_id] = {
            "commune_id": commune_id,
            "district_id": district_id,
            "province_id": province_id,
        }
    return placements


def rebuild_rollups(db: Session, team_ids: Iterable[int] | None = None) -> int:
    """Recount every team (or only team_ids) and the units above; returns the team rows."""
    from lms.contributions.tally import rebuild_completion_days, rebuild_contributions
    from lms.reports.activity import rebuild_activity

    only = None if team_ids is None else sorted(set(team_ids))
    if only is not None and len(only) > MAX_LISTED:
        only = None
    if only is None:
        db.execute(delete(TeamRollup))
        rebuild_activity(db)
    else:
        db.execute(delete(TeamRollup).where(TeamRollup.team_id.in_(only)))
    rows = _team_rows(db, only)
    if rows:
        db.execute(insert(TeamRollup), rows)
    if only is None:
        db.execute(delete(UnitRollup))
        recount_units(db, None)
    else:
        placements = team_placements(db, only)
        units = {u for p in placements.values() for u in p.values() if u is not None}
        recount_units(db, units)
    if only is None:
        rebuild_contributions(db)
    else:
        rebuild_completion_days(db, only)
    db.flush()
    return len(rows)


def _team_rows(db: Session, only: list[int] | None) -> list[dict]:
    from lms.reports.activity import active_counts

    courses = db.scalars(select(Course.id)).all()
    members = _member_counts(db, only)
    placements = team_placements(db, only)
    counts = {
        "started": _started_counts(db, only),
        "completed": _completed_counts(db, only),
        "quiz_attempts": _quiz_counts(db, only, passed_only=False),
        "quiz_passes": _quiz_counts(db, only, passed_only=True),
    }
    active = active_counts(db, only)
    now = utcnow()
    return [
        {
            "team_id": team_id,
            "course_id": course_id,
            **placements[team_id],
            "members": count,
            **{name: found.get((team_id, course_id), 0) for name, found in counts.items()},
            "active_30d": active.get(team_id, 0),
            "updated_at": now,
        }
        for team_id, count in members.items()
        for course_id in courses
    ]


def _members(query, only: list[int] | None):
    query = query.where(User.team_id.is_not(None), User.role.in_(MEMBER_ROLES))
    return query.where(User.team_id.in_(only)) if only is not None else query


def _member_counts(db: Session, only: list[int] | None) -> dict[int, int]:
    query = _members(select(User.team_id, func.count()), only).group_by(User.team_id)
    return dict(db.execute(query).all())


def _started_counts(db: Session, only: list[int] | None) -> dict[tuple[int, int], int]:
    query = _members(
        select(User.team_id, Module.course_id, func.count(func.distinct(User.id)))
        .join(LessonProgress, LessonProgress.user_id == User.id)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Module, Module.id == Lesson.module_id),
        only,
    ).group_by(User.team_id, Module.course_id)
    return {(team, course): n for team, course, n in db.execute(query)}


def _completed_counts(db: Session, only: list[int] | None) -> dict[tuple[int, int], int]:
    query = _members(
        select(User.team_id, CourseCompletion.course_id, func.count()).join(
            CourseCompletion, CourseCompletion.user_id == User.id
        ),
        only,
    ).group_by(User.team_id, CourseCompletion.course_id)
    return {(team, course): n for team, course, n in db.execute(query)}


def _quiz_counts(db: Session, only, passed_only: bool) -> dict[tuple[int, int], int]:
    query = _members(
        select(User.team_id, Module.course_id, func.count())
        .join(QuizAttempt, QuizAttempt.user_id == User.id)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Module, Module.id == Quiz.module_id)
        .where(QuizAttempt.submitted_at.is_not(None)),
        only,
    ).group_by(User.team_id, Module.course_id)
    if passed_only:
        query = query.where(QuizAttempt.passed.is_(True))
    return {(team, course): n for team, course, n in db.execute(query)}


def recount_units(
    db: Session, unit_ids: Iterable[int] | None, course_ids: Iterable[int] | None = None
) -> None:
    """Replace the unit roll-ups of unit_ids (all when None) by sums of their team rows."""
    units = None if unit_ids is None else sorted(set(unit_ids))
    courses = None if course_ids is None else sorted(set(course_ids))
    if units is not None:
        stale = delete(UnitRollup).where(UnitRollup.unit_id.in_(units))
        if courses is not None:
            stale = stale.where(UnitRollup.course_id.in_(courses))
        db.execute(stale)
    for column_name in LEVEL_COLUMNS:
        column = getattr(TeamRollup, column_name)
        sums = [func.sum(getattr(TeamRollup, name)) for name in COUNTERS]
        query = select(
            column, TeamRollup.course_id, func.count(), *sums, func.max(TeamRollup.updated_at)
        ).where(column.is_not(None))
        if units is not None:
            query = query.where(column.in_(units))
        if courses is not None:
            query = query.where(TeamRollup.course_id.in_(courses))
        query = query.group_by(column, TeamRollup.course_id)
        target = ["unit_id", "course_id", "teams", *COUNTERS, "updated_at"]
        db.execute(insert(UnitRollup).from_select(target, query))
