"""Who is learning: the signed-in user, or a guest known by a signed cookie.

A guest is a User row with role "guest", created at the first progress it records.
Registering upgrades that row in place; signing in to an existing account merges it.
"""

import unicodedata
from contextlib import suppress

from flask import abort, g, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.accounts.phone import normalize_phone
from lms.accounts.services import (
    AccountError,
    check_password_policy,
    create_user,
    hash_password,
    user_by_id,
)
from lms.certificates.services import issue_certificate
from lms.contributions import tally
from lms.cookies import value_of, write_queued_cookie
from lms.courses import progress
from lms.courses.models import Course, CourseCompletion, LessonProgress, Module, ModuleCompletion
from lms.courses.services import started_course_ids
from lms.db import session
from lms.quizzes.models import Quiz, QuizAttempt
from lms.reports import rollups
from lms.signing import serializer
from lms.text import visible_text

GUEST_COOKIE = "hs_guest"
GUEST_COOKIE_MAX_AGE = 365 * 24 * 3600
MAX_NAME_LENGTH = 200


class PhoneTaken(AccountError):
    """The phone number already belongs to an account. Never shown as such: the pages and
    the API answer it exactly as they answer a new registration (no account enumeration)."""


def _serializer() -> URLSafeSerializer:
    return serializer("lms.guest")


def _guest_from_cookie(db: Session) -> User | None:
    raw = value_of(request.cookies, GUEST_COOKIE)
    if not raw:
        return None
    try:
        guest_id, created = _serializer().loads(raw)
    except (BadSignature, ValueError, TypeError):
        return None
    guest = user_by_id(db, guest_id) if isinstance(guest_id, int) else None
    # The creation time guards against a deleted guest's id being given to someone else.
    if guest is None or not guest.is_guest or guest.created_at.isoformat() != created:
        return None
    return guest


def current_guest() -> User | None:
    """The guest named by this request's cookie, if it is still a guest."""
    if "lms_guest" not in g:
        g.lms_guest = _guest_from_cookie(session())
    return g.lms_guest


def current_learner(create: bool = False) -> User | None:
    """The signed-in user, else the guest; with create=True a new guest when there is none."""
    if current_user.is_authenticated:
        return current_user._get_current_object()
    guest = current_guest()
    if guest is None and create:
        _refuse_too_many_guests()
        db = session()
        guest = User(role="guest", full_name="")
        db.add(guest)
        db.flush()
        _attribute(db, guest)
        g.lms_guest = guest
        g.lms_guest_cookie = _serializer().dumps([guest.id, guest.created_at.isoformat()])
    return guest


def _refuse_too_many_guests() -> None:
    """Answer 429 when this address has started too many guests (GUEST_CREATION_LIMIT)."""
    from lms.contributions.reach import guest_allowed

    if guest_allowed():
        return
    message = _(
        "Có quá nhiều người học mới từ cùng một địa chỉ mạng. Hãy thử lại sau ít phút, "
        "hoặc đăng nhập để tiếp tục."
    )
    if request.path.startswith("/api/"):
        response = jsonify(error={"code": "too_many_guests", "message": message})
        response.status_code = 429
    else:
        page = render_template("error.html", code=429, reason="too_many", message=message)
        response = make_response(page, 429)
    abort(response)


def _attribute(db: Session, learner: User) -> None:
    """A new learner who came through a team's share link counts for that team."""
    from lms.contributions.referrals import attribute_new_learner

    attribute_new_learner(db, learner)


def start_request() -> None:
    """Forget what an earlier request in the same application context learned."""
    g.pop("lms_guest", None)
    g.pop("lms_guest_cookie", None)


def forget_guest() -> None:
    """Drop the guest cookie with this response."""
    g.lms_guest = None
    g.lms_guest_cookie = ""


def _write_guest_cookie(response):
    return write_queued_cookie(response, "lms_guest_cookie", GUEST_COOKIE, GUEST_COOKIE_MAX_AGE)


def _checked_name(full_name) -> str:
    """Controls are refused; invisible formatting characters are dropped (lms/text.py)."""
    raw = str(full_name or "")
    if any(unicodedata.category(char) == "Cc" and not char.isspace() for char in raw):
        raise AccountError(_("Họ và tên có ký tự điều khiển không hợp lệ."), field="full_name")
    name = visible_text(raw)
    if not name:
        raise AccountError(_("Cần họ và tên."), field="full_name")
    if len(name) > MAX_NAME_LENGTH:
        raise AccountError(
            _("Họ và tên dài quá %(n)s ký tự.", n=MAX_NAME_LENGTH), field="full_name"
        )
    return name


def _checked_phone(phone) -> str:
    if not phone:
        raise AccountError(_("Cần số điện thoại."), field="phone")
    normal = normalize_phone(str(phone))
    if normal is None:
        raise AccountError(_("Số điện thoại '%(phone)s' không hợp lệ.", phone=phone), field="phone")
    return normal


def registration_errors(full_name, phone, password) -> list[AccountError]:
    """Every problem of a registration form at once (one per field), before anything is saved.
    None of them depends on other accounts: a taken phone is not a problem the form tells."""
    problems = []
    for check in (
        lambda: _checked_name(full_name),
        lambda: _checked_phone(phone),
        lambda: check_password_policy(
            password, normalize_phone(str(phone or "")) or phone, visible_text(full_name or "")
        ),
    ):
        try:
            check()
        except AccountError as error:
            problems.append(error)
    return problems


def register(db: Session, guest: User | None, full_name, phone, password) -> User:
    """Create a citizen account, upgrading the guest row in place so that progress stays.

    Every check that does not depend on other accounts comes first, and the password is
    hashed before the phone is looked up: a taken phone (PhoneTaken, which callers answer
    exactly like a success) costs the same time as a new one."""
    name = _checked_name(full_name)
    normal = _checked_phone(phone)
    check_password_policy(password, normal, name)
    password_hash = hash_password(password)
    if db.scalar(select(User.id).where(User.phone == normal)):
        raise PhoneTaken(_("Số điện thoại đã có tài khoản."), field="phone")
    if guest is None or not guest.is_guest:
        user = create_user(
            db,
            full_name=name,
            password=password,
            role="citizen",
            phone=normal,
            hashed=password_hash,
        )
        _attribute(db, user)
        return user
    guest.role, guest.full_name, guest.phone = "citizen", name, normal
    guest.password_hash = password_hash
    try:
        with db.begin_nested():
            db.flush()
    except IntegrityError as exc:  # the same number registered a moment ago
        raise PhoneTaken(_("Số điện thoại đã có tài khoản."), field="phone") from exc
    for course in _completed_courses(db, guest.id):
        issue_certificate(db, guest, course)
    return guest


def register_citizen(db: Session, full_name, phone, password) -> None:
    """Register from this browser (keeping its guest's progress). A taken phone changes
    nothing and answers like a success; any other problem raises AccountError. Either way
    this browser's referral is used up, so that no cookie tells the two apart."""
    from lms.contributions.referrals import forget_referral

    # On PhoneTaken nothing was written (a guest row changed in a lost race is rolled back).
    with suppress(PhoneTaken):
        register(db, current_guest(), full_name, phone, password)
    forget_referral()


def _completed_courses(db: Session, user_id: int) -> list[Course]:
    query = select(Course).join(CourseCompletion).where(CourseCompletion.user_id == user_id)
    return list(db.scalars(query))


def _move_unique(db: Session, model, key: str, guest_id: int, user_id: int) -> set[int]:
    """Give the guest's rows to the user except those the user has; returns the moved keys."""
    column = getattr(model, key)
    owned = select(column).where(model.user_id == user_id)
    moving = set(db.scalars(select(column).where(model.user_id == guest_id, column.not_in(owned))))
    if moving:
        db.execute(
            update(model)
            .where(model.user_id == guest_id, column.in_(moving))
            .values(user_id=user_id)
            .execution_options(synchronize_session=False)
        )
    db.execute(delete(model).where(model.user_id == guest_id))
    return moving


def merge_guest_into(db: Session, guest: User, user: User) -> None:
    """Move a guest's progress and attempts into an account, then delete the guest."""
    if not guest.is_guest or guest.id == user.id:
        return
    started_before = started_course_ids(db, user.id)
    learned_before = tally.has_lessons(db, user.id)
    tally.guest_leaves(db, guest)
    _move_unique(db, LessonProgress, "lesson_id", guest.id, user.id)
    module_ids = _move_unique(db, ModuleCompletion, "module_id", guest.id, user.id)
    course_ids = _move_unique(db, CourseCompletion, "course_id", guest.id, user.id)
    attempts = list(db.scalars(select(QuizAttempt).where(QuizAttempt.user_id == guest.id)))
    for attempt in attempts:
        attempt.user_id = user.id
    db.flush()
    db.execute(delete(User).where(User.id == guest.id).execution_options(synchronize_session=False))
    db.expunge(guest)
    _roll_up_merge(db, user, started_course_ids(db, user.id) - started_before, course_ids)
    _roll_up_attempts(db, user, attempts)
    tally.count_learned(db, user, learned_before)
    modules = db.scalars(select(Module).where(Module.id.in_(module_ids))) if module_ids else []
    completed = [progress.complete_module(db, user, module) for module in modules]
    completed_ids = course_ids | {course.id for course in completed if course is not None}
    if not user.is_guest:
        for course in db.scalars(select(Course).where(Course.id.in_(completed_ids))):
            issue_certificate(db, user, course)


def _member_team(user: User) -> int | None:
    return user.team_id if user.role in rollups.MEMBER_ROLES else None


def _roll_up_merge(db: Session, user: User, started: set[int], completed: set[int]) -> None:
    team_id = _member_team(user)
    for course_id in started:
        rollups.bump(db, team_id, course_id, started=1)
    for course_id in completed:
        at = db.scalar(
            select(CourseCompletion.completed_at).where(
                CourseCompletion.user_id == user.id, CourseCompletion.course_id == course_id
            )
        )
        rollups.bump(db, team_id, course_id, completed_at=at, completed=1)


def _roll_up_attempts(db: Session, user: User, attempts: list[QuizAttempt]) -> None:
    team_id = _member_team(user)
    if team_id is None:
        return
    for attempt in attempts:
        if attempt.submitted_at is None:
            continue
        course_id = db.scalar(select(Module.course_id).join(Quiz).where(Quiz.id == attempt.quiz_id))
        rollups.bump(db, team_id, course_id, quiz_attempts=1, quiz_passes=int(bool(attempt.passed)))


def init_app(app) -> None:
    app.before_request(start_request)
    app.after_request(_write_guest_cookie)
