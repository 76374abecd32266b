"""A learner's own data: everything kept about them as JSON, and deleting their account.

Deleting removes the person (name, phone, login, password) and their learning records
(lessons, module and course completions, quiz attempts, API tokens, one-time codes);
the team's roll-ups are recounted without them. An issued certificate keeps what
verification needs (serial, code, holder's name as printed, course, date, team and
commune at issue) and loses its link to the account. Assisted sessions the person
recorded stay with their team, without the link. Services flush; the caller commits.
"""

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash

from lms.accounts.models import User, UserSession
from lms.accounts.services import AccountError
from lms.audit import services as audit
from lms.certificates.models import Certificate
from lms.contributions import tally
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
from lms.quizzes.grading import feedback
from lms.quizzes.models import Quiz, QuizAttempt
from lms.reports.rollups import MEMBER_ROLES, rebuild_rollups
from lms.units.models import Team

SELF_SERVICE_ROLES = ("citizen", "member", "team_leader")


class NotDeletable(AccountError):
    """Officials' and admins' accounts are removed by an admin, not by themselves."""


def _time(moment: datetime | None) -> str | None:
    return moment.isoformat() + "Z" if moment else None


def export_data(db: Session, user: User) -> dict:
    """Everything kept about the user, as plain JSON values."""
    return {
        "exported_at": _time(utcnow()),
        "profile": _profile(db, user),
        "lessons": _lessons(db, user.id),
        "modules": _modules(db, user.id),
        "courses": _courses(db, user.id),
        "attempts": _attempts(db, user.id),
        "certificates": _certificates(db, user.id),
        "assisted_sessions": _sessions(db, user.id),
    }


def _place(row) -> dict | None:
    return row and {"code": row.code, "name": row.name}


def _profile(db: Session, user: User) -> dict:
    referred = db.get(Team, user.referred_by_team_id) if user.referred_by_team_id else None
    return {
        "id": user.id,
        "full_name": user.full_name,
        "phone": user.phone,
        "login": user.login,
        "role": user.role,
        "locale": user.locale,
        "team": _place(user.team),
        "unit": _place(user.unit),
        "referred_by_team": _place(referred),
        "created_at": _time(user.created_at),
        "last_active_at": _time(user.last_active_at),
    }


def _lessons(db: Session, user_id: int) -> list[dict]:
    rows = db.execute(
        select(Course.slug, Module.slug, Lesson.slug, Lesson.title, LessonProgress.completed_at)
        .join(Lesson, Lesson.id == LessonProgress.lesson_id)
        .join(Module, Module.id == Lesson.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(LessonProgress.user_id == user_id)
        .order_by(LessonProgress.completed_at, LessonProgress.id)
    )
    return [
        {"course": c, "module": m, "lesson": slug, "title": title, "completed_at": _time(at)}
        for c, m, slug, title, at in rows
    ]


def _modules(db: Session, user_id: int) -> list[dict]:
    rows = db.execute(
        select(Course.slug, Module.slug, ModuleCompletion.completed_at)
        .join(Module, Module.id == ModuleCompletion.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(ModuleCompletion.user_id == user_id)
        .order_by(ModuleCompletion.completed_at, ModuleCompletion.id)
    )
    return [{"course": c, "module": m, "completed_at": _time(at)} for c, m, at in rows]


def _courses(db: Session, user_id: int) -> list[dict]:
    rows = db.execute(
        select(Course.slug, Course.title, CourseCompletion.completed_at)
        .join(Course, Course.id == CourseCompletion.course_id)
        .where(CourseCompletion.user_id == user_id)
        .order_by(CourseCompletion.completed_at, CourseCompletion.id)
    )
    return [{"course": c, "title": t, "completed_at": _time(at)} for c, t, at in rows]


def _attempts(db: Session, user_id: int) -> list[dict]:
    rows = db.execute(
        select(QuizAttempt, Course.slug, Module.slug)
        .join(Quiz, Quiz.id == QuizAttempt.quiz_id)
        .join(Module, Module.id == Quiz.module_id)
        .join(Course, Course.id == Module.course_id)
        .where(QuizAttempt.user_id == user_id)
        .order_by(QuizAttempt.id)
    )
    attempts = list(rows)
    passed = {attempt.quiz_id for attempt, _course, _module in attempts if attempt.passed}
    return [
        {
            "id": attempt.id,
            "course": course,
            "module": module,
            "started_at": _time(attempt.started_at),
            "submitted_at": _time(attempt.submitted_at),
            "question_ids": [item["question_id"] for item in attempt.layout],
            # answers and grading exist only once submitted, and the correct options only
            # once the quiz is passed (as on the result page): no answer key before that
            "answers": attempt.answers,
            "score_percent": attempt.score_percent,
            "passed": attempt.passed,
            "results": feedback(attempt.results, attempt.quiz_id in passed)
            if attempt.results is not None
            else None,
        }
        for attempt, course, module in attempts
    ]


def _certificates(db: Session, user_id: int) -> list[dict]:
    rows = db.scalars(
        select(Certificate).where(Certificate.user_id == user_id).order_by(Certificate.id)
    )
    return [
        {
            "serial": c.serial,
            "code": c.code,
            "holder_name": c.holder_name,
            "course": c.course_title,
            "team": c.team_name,
            "commune": c.commune_name,
            "issued_at": _time(c.issued_at),
            "revoked": c.revoked_at is not None,
        }
        for c in rows
    ]


def _sessions(db: Session, user_id: int) -> list[dict]:
    """Sessions the user recorded; the citizen's own name and phone are theirs, not exported."""
    rows = db.execute(
        select(AssistedSession, Team.code)
        .join(Team, Team.id == AssistedSession.team_id)
        .where(AssistedSession.member_id == user_id)
        .order_by(AssistedSession.id)
    )
    return [
        {
            "team": team_code,
            "held_on": item.held_on.isoformat(),
            "consent_at": _time(item.consent_at),
            "steps": [key for key in STEP_KEYS if getattr(item, key)],
            "citizen_name_given": bool(item.citizen_name),
            "citizen_phone_given": bool(item.citizen_phone),
        }
        for item, team_code in rows
    ]


def check_deletion(user: User, password: str) -> None:
    """Only learners delete themselves, and only with their password."""
    if user.role not in SELF_SERVICE_ROLES:
        raise NotDeletable(
            _("Tài khoản cán bộ và quản trị viên do quản trị viên xoá, không tự xoá được."),
            field="role",
        )
    if not (password and user.password_hash and check_password_hash(user.password_hash, password)):
        raise AccountError(_("Mật khẩu không đúng."), field="password")


def delete_account(db: Session, user: User, password: str) -> None:
    """Remove the person and their learning records; certificates stay verifiable."""
    check_deletion(user, password)
    team_id = user.team_id if user.role in MEMBER_ROLES else None
    role, user_id = user.role, user.id
    tally.guest_leaves(db, user)  # an attributed learner no longer counts as reached
    db.execute(
        update(Certificate)
        .where(Certificate.user_id == user_id)
        .values(user_id=None)
        .execution_options(synchronize_session=False)
    )
    db.execute(
        update(AssistedSession)
        .where(AssistedSession.member_id == user_id)
        .values(member_id=None)
        .execution_options(synchronize_session=False)
    )
    # Its signed-in sessions end here, not only by ON DELETE CASCADE: a session left behind
    # would name whoever gets the row's id next.
    db.execute(delete(UserSession).where(UserSession.user_id == user_id))
    # progress, attempts, tokens and codes go with the row (ON DELETE CASCADE)
    db.execute(delete(User).where(User.id == user_id).execution_options(synchronize_session=False))
    if user in db:
        db.expunge(user)
    if team_id is not None:
        rebuild_rollups(db, [team_id])
    audit.record(db, None, "accounts.delete", "", role=role)
    db.flush()
