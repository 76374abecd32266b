"""Members active in the last 30 days, kept by an incremental job.

A member is active when they read a lesson or submitted a quiz attempt in the last 30
days. `refresh_activity` (run by `flask lms reports refresh`, e.g. every 10 minutes)
reads only the lesson_progress and quiz_attempts rows added since its last run (their ids
are its watermarks), folds them into member_activity, and recounts `active_30d` only for
the teams where something changed: members newly active, or members whose last activity
fell out of the 30-day window since the last run. Reports show the last run's time as
"data as of".
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete, func, insert, select, union_all, update
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.courses.models import LessonProgress
from lms.db import utcnow
from lms.quizzes.models import QuizAttempt
from lms.reports.models import MemberActivity, RollupJob, TeamRollup
from lms.reports.rollups import MAX_LISTED, MEMBER_ROLES, recount_units, team_placements

JOB_NAME = "activity"
WINDOW = timedelta(days=30)


@dataclass
class RefreshResult:
    members: int
    teams: int
    refreshed_at: datetime


def _job(db: Session) -> RollupJob | None:
    return db.get(RollupJob, JOB_NAME)


def as_of(db: Session) -> datetime | None:
    """When active_30d was last refreshed (None before the first run)."""
    job = _job(db)
    return job.refreshed_at if job else None


def _latest_activity(db: Session, progress_after: int, attempts_after: int):
    """(user_id, last activity) of members, from rows past the watermarks."""
    lessons = select(
        LessonProgress.user_id.label("user_id"), LessonProgress.completed_at.label("at")
    )
    lessons = lessons.where(LessonProgress.id > progress_after)
    attempts = select(QuizAttempt.user_id, QuizAttempt.submitted_at).where(
        QuizAttempt.id > attempts_after, QuizAttempt.submitted_at.is_not(None)
    )
    events = union_all(lessons, attempts).subquery()
    query = (
        select(events.c.user_id, func.max(events.c.at))
        .join(User, User.id == events.c.user_id)
        .where(User.team_id.is_not(None), User.role.in_(MEMBER_ROLES))
        .group_by(events.c.user_id)
    )
    return query


def _watermarks(db: Session) -> tuple[int, int]:
    return (
        db.scalar(select(func.coalesce(func.max(LessonProgress.id), 0))),
        db.scalar(select(func.coalesce(func.max(QuizAttempt.id), 0))),
    )


def _save_job(db: Session, now: datetime, marks: tuple[int, int]) -> None:
    job = _job(db) or RollupJob(name=JOB_NAME)
    job.refreshed_at = now
    job.lesson_progress_id, job.quiz_attempt_id = marks
    db.add(job)


def rebuild_activity(db: Session, now: datetime | None = None) -> None:
    """Recount member_activity from all raw progress (part of rebuild_rollups)."""
    now = now or utcnow()
    marks = _watermarks(db)
    db.execute(delete(MemberActivity))
    db.execute(
        insert(MemberActivity).from_select(
            ["user_id", "last_active_at"], _latest_activity(db, 0, 0)
        )
    )
    _save_job(db, now, marks)
    db.flush()


def active_counts(db: Session, only: list[int] | None, now: datetime | None = None) -> dict:
    """Members per team (all teams, or only these) active in the 30 days before now."""
    since = (now or as_of(db) or utcnow()) - WINDOW
    query = (
        select(User.team_id, func.count())
        .join(MemberActivity, MemberActivity.user_id == User.id)
        .where(User.team_id.is_not(None), User.role.in_(MEMBER_ROLES))
        .where(MemberActivity.last_active_at >= since)
        .group_by(User.team_id)
    )
    if only is not None and len(only) <= MAX_LISTED:
        query = query.where(User.team_id.in_(only))
    counts = dict(db.execute(query).all())
    if only is not None and len(only) > MAX_LISTED:
        wanted = set(only)
        counts = {team: n for team, n in counts.items() if team in wanted}
    return counts


def refresh_activity(db: Session, now: datetime | None = None) -> RefreshResult:
    """Fold in activity since the last run and recount active_30d where it may have moved."""
    now = now or utcnow()
    job = _job(db)
    if job is None:
        from lms.reports.rollups import rebuild_rollups

        rebuild_rollups(db)
        return RefreshResult(members=0, teams=-1, refreshed_at=now)
    marks = _watermarks(db)
    fresh = dict(
        db.execute(_latest_activity(db, job.lesson_progress_id, job.quiz_attempt_id)).all()
    )
    _fold(db, fresh)
    dropped = db.scalars(
        select(User.team_id)
        .join(MemberActivity, MemberActivity.user_id == User.id)
        .where(
            MemberActivity.last_active_at >= job.refreshed_at - WINDOW,
            MemberActivity.last_active_at < now - WINDOW,
            User.team_id.is_not(None),
        )
    ).all()
    changed = set(dropped)
    for ids in _chunks(list(fresh)):
        changed |= set(db.scalars(select(User.team_id).where(User.id.in_(ids))))
    changed.discard(None)
    _recount_active(db, sorted(changed), now)
    _save_job(db, now, marks)
    db.flush()
    return RefreshResult(members=len(fresh), teams=len(changed), refreshed_at=now)


def _chunks(ids: list[int]):
    for start in range(0, len(ids), MAX_LISTED):
        yield ids[start : start + MAX_LISTED]


def _fold(db: Session, fresh: dict[int, datetime]) -> None:
    """Raise each member's last activity to the newest seen."""
    if not fresh:
        return
    known = {}
    for ids in _chunks(list(fresh)):
        query = select(MemberActivity.user_id, MemberActivity.last_active_at).where(
            MemberActivity.user_id.in_(ids)
        )
        known.update(db.execute(query).all())
    for user_id, at in fresh.items():
        if user_id not in known:
            db.add(MemberActivity(user_id=user_id, last_active_at=at))
        elif at > known[user_id]:
            db.execute(
                update(MemberActivity)
                .where(MemberActivity.user_id == user_id)
                .values(last_active_at=at)
            )
    db.flush()


def _recount_active(db: Session, team_ids: list[int], now: datetime) -> None:
    if not team_ids:
        return
    counts = active_counts(db, team_ids, now)
    statement = (
        update(TeamRollup.__table__)
        .where(TeamRollup.__table__.c.team_id == bindparam("team"))
        .values(active_30d=bindparam("active"))
    )
    db.connection().execute(
        statement, [{"team": team, "active": counts.get(team, 0)} for team in team_ids]
    )
    placements = team_placements(db, team_ids)
    units = {u for p in placements.values() for u in p.values() if u is not None}
    recount_units(db, units)
