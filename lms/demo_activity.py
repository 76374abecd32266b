"""What `lms demo` adds on top of members' progress, so that a dashboard has every column
filled: quiz attempts (some failed first), certificates, assisted sessions, citizens
reached through the teams' links (some of whom read a lesson) and targets."""

import random
from datetime import timedelta

from sqlalchemy import insert, select, update

from lms.accounts.models import User
from lms.certificates.services import issue_certificate
from lms.contributions.models import AssistedSession
from lms.contributions.steps import STEP_KEYS
from lms.courses.models import (
    Course,
    CourseCompletion,
    Lesson,
    LessonProgress,
    Module,
    ModuleCompletion,
)
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizAttempt
from lms.reports.periods import vietnam_day
from lms.reports.targets import set_target
from lms.units.models import Team, Unit

CERTIFIED_TEAMS = 20  # completers of the first teams get their certificate at once


def add_quiz_attempts(db, course: Course | None, rng: random.Random) -> None:
    """A passed attempt for each completed module (after a failed one, now and then), and a
    failed attempt at the next module for some who are still learning."""
    if course is None:
        return
    in_course = select(Quiz.module_id, Quiz.id).join(Module).where(Module.course_id == course.id)
    quizzes = dict(db.execute(in_course).all())
    done = db.execute(
        select(ModuleCompletion.user_id, ModuleCompletion.module_id)
        .join(User, User.id == ModuleCompletion.user_id)
        .where(User.login.like("demo-%"), ModuleCompletion.module_id.in_(list(quizzes)))
    ).all()
    now, rows = utcnow(), []
    for user_id, module_id in done:
        if rng.random() < 0.3:
            rows.append(_attempt(user_id, quizzes[module_id], rng.randint(40, 70), now))
        rows.append(_attempt(user_id, quizzes[module_id], rng.randint(80, 100), now))
    ordered = [m.id for m in course.modules if not m.retired and m.id in quizzes]
    finished = {user_id for user_id, _m in done}
    learning = db.scalars(select(User.id).where(User.login.like("demo-%"))).all()
    for user_id in learning:
        if user_id not in finished and ordered and rng.random() < 0.4:
            rows.append(_attempt(user_id, quizzes[ordered[0]], rng.randint(20, 70), now))
    if rows:
        db.execute(insert(QuizAttempt), rows)


def _attempt(user_id: int, quiz_id: int, score: int, at) -> dict:
    return {
        "user_id": user_id,
        "quiz_id": quiz_id,
        "layout": [],
        "answers": {},
        "results": [],
        "score_percent": score,
        "passed": score >= 80,
        "started_at": at,
        "submitted_at": at,
    }


def issue_certificates(db, course: Course | None, teams: list[Team]) -> int:
    """Certificates for the members of the first teams who completed the course."""
    if course is None:
        return 0
    team_ids = [team.id for team in teams[:CERTIFIED_TEAMS]]
    completers = db.scalars(
        select(User)
        .join(CourseCompletion, CourseCompletion.user_id == User.id)
        .where(CourseCompletion.course_id == course.id, User.team_id.in_(team_ids))
    ).all()
    for user in completers:
        issue_certificate(db, user, course)
    return len(completers)


def add_sessions_and_citizens(db, teams: list[Team], rng: random.Random) -> None:
    """Assisted sessions recorded by members, and citizens each team's link brought in (the
    first team always has some of both)."""
    lesson_ids = (
        db.scalars(
            select(Lesson.id).join(Module).join(Course).where(Course.track == "citizen").limit(3)
        ).all()
        or db.scalars(select(Lesson.id).limit(3)).all()
    )
    today, now = vietnam_day(utcnow()), utcnow()
    sessions, citizens = [], []
    members = _members_by_team(db, [team.id for team in teams])
    for index, team in enumerate(teams):
        for _ in range(max(rng.randint(0, 4), 2 if index == 0 else 0)):
            steps = {key: rng.random() < 0.5 for key in STEP_KEYS}
            steps[STEP_KEYS[0]] = True
            sessions.append(
                {
                    "team_id": team.id,
                    "member_id": rng.choice(members[team.id]) if members[team.id] else None,
                    "held_on": today - timedelta(days=rng.randint(0, 60)),
                    "consent_at": now,
                    **steps,
                }
            )
        for number in range(1, max(rng.randint(0, 6), 3 if index == 0 else 0) + 1):
            joined = now - timedelta(days=rng.randint(0, 80))
            citizens.append(
                {
                    "full_name": f"Người dân {team.code[-7:]}-{number}",
                    "role": "citizen",
                    "referred_by_team_id": team.id,
                    "login": f"nd-{team.code.lower()}-{number}",
                    "created_at": joined,
                }
            )
    if sessions:
        db.execute(insert(AssistedSession), sessions)
    if citizens:
        db.execute(insert(User), citizens)
    _citizens_read(db, lesson_ids, rng)


def _members_by_team(db, team_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {team_id: [] for team_id in team_ids}
    for user_id, team_id in db.execute(
        select(User.id, User.team_id).where(User.team_id.in_(team_ids))
    ):
        found[team_id].append(user_id)
    return found


def _citizens_read(db, lesson_ids: list[int], rng: random.Random) -> None:
    """About two citizens in three read the first lessons (every first one of a team); a
    citizen who read counts as reached from the day they came."""
    if not lesson_ids:
        return
    rows, readers = [], []
    for user_id, login in db.execute(
        select(User.id, User.login).where(User.login.like("nd-demo-%"))
    ):
        if login.endswith("-1") or rng.random() < 0.6:
            readers.append(user_id)
            rows += [
                {"user_id": user_id, "lesson_id": lesson_id, "completed_at": utcnow()}
                for lesson_id in lesson_ids[: rng.randint(1, len(lesson_ids))]
            ]
    if rows:
        db.execute(insert(LessonProgress), rows)
        db.execute(update(User).where(User.id.in_(readers)).values(reached_at=User.created_at))


def add_targets(db, course: Course | None, places: list[Unit], by: User) -> None:
    """A target for each demo place: 80 % of members in 60 days, and 100 % in a year."""
    if course is None:
        return
    today = vietnam_day(utcnow())
    for index, unit in enumerate(places):
        percent, days = (80, 60) if index % 2 == 0 else (100, 365)
        set_target(db, unit, course, percent, today + timedelta(days=days), by, today)
