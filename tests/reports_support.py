"""A small country for report tests: two provinces, a district, communes, teams, members
with progress recorded through the real services, and brute-force counts to compare with."""

import random
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from lms.accounts.models import User
from lms.courses.models import Course, CourseCompletion, Lesson, LessonProgress, Module
from lms.courses.services import record_lesson_done
from lms.db import utcnow
from lms.quizzes.models import Quiz, QuizAttempt
from lms.quizzes.services import start_attempt, submit_attempt
from lms.units.models import Team, Unit
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import answer_key, load_sample, quiz_of

MEMBER_ROLES = ("member", "team_leader")


@dataclass
class Country:
    course: Course
    units: dict[str, Unit] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    members: dict[str, list[User]] = field(default_factory=dict)


def build_country(db) -> Country:
    """P1 > D1 > C1 (teams A, B); P1 > C2 (team C); P2 > C3 (team D); members with progress."""
    country = Country(course=load_sample(db))
    u = country.units
    u["P1"] = make_unit(db, "province", code="R01", name="Tỉnh Một")
    u["D1"] = make_unit(db, "district", parent=u["P1"], code="R011", name="Huyện Một")
    u["C1"] = make_unit(db, "commune", parent=u["D1"], code="R0111", name="Xã Một")
    u["C2"] = make_unit(db, "commune", parent=u["P1"], code="R012", name="Phường Hai")
    u["P2"] = make_unit(db, "province", code="R02", name="Tỉnh Hai")
    u["C3"] = make_unit(db, "commune", parent=u["P2"], code="R021", name="Xã Ba")
    for key, commune, size in (("A", "C1", 4), ("B", "C1", 2), ("C", "C2", 3), ("D", "C3", 2)):
        team = make_team(db, commune=u[commune], code=f"TO-{key}")
        team.name = f"Thôn {key}"
        country.teams[key] = team
        country.members[key] = [
            make_user(db, role="team_leader" if i == 0 else "member", team=team, phone=None)
            for i in range(size)
        ]
    make_user(db, role="citizen", referred_by_team_id=country.teams["A"].id, reached_at=utcnow())
    _progress(db, country)
    return country


def _progress(db, country: Country) -> None:
    """Varied progress: nothing, one lesson, a failed quiz, a passed module, the whole course."""
    lessons = db.scalars(
        select(Lesson)
        .join(Module)
        .where(Module.course_id == country.course.id)
        .order_by(Module.position, Lesson.position)
    ).all()
    plans = {"A": [0, 1, 2, 3], "B": [3, 1], "C": [2, 0, 3], "D": [1, 1]}
    for key, levels in plans.items():
        for member, level in zip(country.members[key], levels, strict=True):
            if level >= 1:
                record_lesson_done(db, member, lessons[0])
            if level >= 2:
                _quiz(db, member, "bat-dau", right=False)
                _quiz(db, member, "bat-dau", right=True)
            if level >= 3:
                for lesson in lessons:
                    record_lesson_done(db, member, lesson)
                _quiz(db, member, "an-toan", right=True)


def _quiz(db, user, module_slug: str, right: bool) -> None:
    attempt = start_attempt(db, user, quiz_of(db, module_slug), random.Random(user.id))
    submit_attempt(db, user, attempt.id, answer_key(db, attempt, right=right))


def brute_force(db, team_ids: list[int], course: Course, now=None) -> dict[str, int]:
    """Counts straight from the raw tables, for members of these teams."""
    since = (now or utcnow()) - timedelta(days=30)
    members = db.scalars(
        select(User).where(User.team_id.in_(team_ids), User.role.in_(MEMBER_ROLES))
    ).all()
    ids = {m.id for m in members}
    progress = db.execute(
        select(LessonProgress.user_id, LessonProgress.completed_at, Module.course_id)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
    ).all()
    attempts = db.execute(
        select(QuizAttempt.user_id, QuizAttempt.passed, QuizAttempt.submitted_at, Module.course_id)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Module, Module.id == Quiz.module_id)
        .where(QuizAttempt.submitted_at.is_not(None))
    ).all()
    completed = db.scalars(
        select(CourseCompletion.user_id).where(CourseCompletion.course_id == course.id)
    ).all()
    active = {u for u, at, _c in progress if at >= since} | {
        u for u, _p, at, _c in attempts if at >= since
    }
    return {
        "members": len(ids),
        "started": len({u for u, _at, c in progress if c == course.id} & ids),
        "completed": len(set(completed) & ids),
        "quiz_attempts": sum(1 for u, _p, _at, c in attempts if c == course.id and u in ids),
        "quiz_passes": sum(1 for u, p, _at, c in attempts if c == course.id and u in ids and p),
        "active_30d": len(active & ids),
    }


def counts_of(row) -> dict[str, int]:
    names = ("members", "started", "completed", "quiz_attempts", "quiz_passes", "active_30d")
    return {name: getattr(row, name) for name in names}
