"""Keep team_rollups equal to the raw progress they summarise.

`rebuild_rollups` recounts everything (a repair job and the demo loader); the progress
services call `bump` in the same transaction as the change they record.
"""

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.courses.models import Course, CourseCompletion, Lesson, LessonProgress, Module
from lms.db import utcnow
from lms.reports.models import TeamRollup
from lms.units.models import Team, Unit

MEMBER_ROLES = ("member", "team_leader")


def bump(db: Session, team_id: int | None, course_id: int, **deltas: int) -> None:
    """Add deltas (members, started, completed, quiz_attempts, quiz_passes) to one row."""
    if team_id is None:
        return
    values = {name: getattr(TeamRollup, name) + delta for name, delta in deltas.items()}
    result = db.execute(
        update(TeamRollup)
        .where(TeamRollup.team_id == team_id, TeamRollup.course_id == course_id)
        .values(**values, updated_at=utcnow())
    )
    if result.rowcount == 0:
        db.add(
            TeamRollup(
                team_id=team_id,
                course_id=course_id,
                **_placement(db, team_id),
                **{name: max(delta, 0) for name, delta in deltas.items()},
            )
        )
        db.flush()


def _placement(db: Session, team_id: int) -> dict:
    commune = db.scalar(
        select(Unit).join(Team, Team.commune_id == Unit.id).where(Team.id == team_id)
    )
    ids = {"commune_id": commune.id, "district_id": None, "province_id": commune.id}
    parent = commune.parent
    while parent is not None:
        ids[f"{parent.level}_id"] = parent.id
        parent = parent.parent
    return ids


def rebuild_rollups(db: Session) -> int:
    """Recount every team and course from raw progress; returns the number of rows."""
    db.execute(delete(TeamRollup))
    courses = db.scalars(select(Course.id)).all()
    members = _member_counts(db)
    started = _started_counts(db)
    completed = _completed_counts(db)
    rows = []
    placements = {}
    for team_id, count in members.items():
        placements[team_id] = _placement(db, team_id)
        for course_id in courses:
            rows.append(
                {
                    "team_id": team_id,
                    "course_id": course_id,
                    **placements[team_id],
                    "members": count,
                    "started": started.get((team_id, course_id), 0),
                    "completed": completed.get((team_id, course_id), 0),
                    "quiz_attempts": 0,
                    "quiz_passes": 0,
                    "updated_at": utcnow(),
                }
            )
    if rows:
        db.execute(insert(TeamRollup), rows)
    return len(rows)


def _member_counts(db: Session) -> dict[int, int]:
    query = (
        select(User.team_id, func.count())
        .where(User.team_id.is_not(None), User.role.in_(MEMBER_ROLES))
        .group_by(User.team_id)
    )
    return dict(db.execute(query).all())


def _started_counts(db: Session) -> dict[tuple[int, int], int]:
    query = (
        select(User.team_id, Module.course_id, func.count(func.distinct(User.id)))
        .join(LessonProgress, LessonProgress.user_id == User.id)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .where(User.team_id.is_not(None), User.role.in_(MEMBER_ROLES))
        .group_by(User.team_id, Module.course_id)
    )
    return {(team, course): n for team, course, n in db.execute(query)}


def _completed_counts(db: Session) -> dict[tuple[int, int], int]:
    query = (
        select(User.team_id, CourseCompletion.course_id, func.count())
        .join(CourseCompletion, CourseCompletion.user_id == User.id)
        .where(User.team_id.is_not(None), User.role.in_(MEMBER_ROLES))
        .group_by(User.team_id, CourseCompletion.course_id)
    )
    return {(team, course): n for team, course, n in db.execute(query)}
