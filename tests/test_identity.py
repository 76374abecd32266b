from contextlib import contextmanager

import pytest
from flask import g
from sqlalchemy import delete, func, select

from lms.accounts import identity
from lms.accounts.auth import join_team, load_user, open_session
from lms.accounts.identity import PhoneTaken, current_learner, merge_guest_into, register
from lms.accounts.models import User, UserSession
from lms.accounts.services import AccountError
from lms.certificates.models import Certificate
from lms.courses.models import CourseCompletion, Lesson, LessonProgress, ModuleCompletion
from lms.courses.services import record_lesson_done
from lms.quizzes.models import QuizAttempt
from lms.quizzes.services import start_attempt, submit_attempt
from lms.reports.models import TeamRollup
from tests.factories import make_team, make_user
from tests.learner_helpers import answer_key, load_sample, quiz_of


@pytest.fixture
def course(db):
    return load_sample(db)


@contextmanager
def _request(app, cookie=None):
    headers = {"Cookie": f"{identity.GUEST_COOKIE}={cookie}"} if cookie else {}
    with app.test_request_context("/", headers=headers):
        identity.start_request()
        yield


def _guest(db):
    return make_user(db, role="guest", login=None, full_name="")


def _lesson(db, slug):
    return db.scalar(select(Lesson).where(Lesson.slug == slug))


def _pass(db, user, module_slug):
    attempt = start_attempt(db, user, quiz_of(db, module_slug))
    return submit_attempt(db, user, attempt.id, answer_key(db, attempt))


def _count(db, model, user):
    return db.scalar(select(func.count()).select_from(model).where(model.user_id == user.id))


def test_no_guest_is_created_until_asked(app, db):
    with _request(app):
        assert current_learner() is None
        assert "lms_guest_cookie" not in g
        guest = current_learner(create=True)
        assert guest.is_guest and guest.id is not None
        assert current_learner() is guest
        assert g.lms_guest_cookie


def test_the_cookie_names_the_guest_and_a_forged_one_is_ignored(app, db):
    with _request(app):
        guest = current_learner(create=True)
        cookie = g.lms_guest_cookie
    with _request(app, cookie):
        assert current_learner().id == guest.id
    forged = cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")
    with _request(app, forged):
        assert current_learner() is None


def test_a_cookie_of_a_registered_guest_no_longer_names_a_guest(app, db):
    with _request(app):
        guest = current_learner(create=True)
        cookie = g.lms_guest_cookie
    register(db, guest, "Lê Thị Hoa", "0912 345 678", "mat-khau-dai")
    with _request(app, cookie):
        assert current_learner() is None


def test_register_upgrades_the_guest_in_place_keeping_progress(db, course):
    guest = _guest(db)
    record_lesson_done(db, guest, _lesson(db, "chao-mung"))
    user = register(db, guest, "  Lê   Thị Hoa ", "+84 912 345 678", "mat-khau-dai")
    assert user.id == guest.id and user.role == "citizen"
    assert (user.full_name, user.phone) == ("Lê Thị Hoa", "0912345678")
    assert _count(db, LessonProgress, user) == 1


def test_register_without_a_guest_creates_a_citizen(db):
    user = register(db, None, "Trần Văn Bình", "0987654321", "mat-khau-dai")
    assert user.role == "citizen" and user.password_hash


@pytest.mark.parametrize(
    ("name", "phone", "password", "field"),
    [
        ("", "0912345678", "mat-khau-dai", "full_name"),
        ("A" * 201, "0912345678", "mat-khau-dai", "full_name"),
        ("Hoa", "", "mat-khau-dai", "phone"),
        ("Hoa", "12345", "mat-khau-dai", "phone"),
        ("Hoa", "0912345678", "ngan", "password"),
    ],
)
def test_register_names_the_bad_field(db, name, phone, password, field):
    with pytest.raises(AccountError) as error:
        register(db, _guest(db), name, phone, password)
    assert error.value.field == field


def test_register_refuses_a_phone_already_registered(db):
    register(db, None, "Trần Văn Bình", "0987654321", "mat-khau-dai")
    guest = _guest(db)
    with pytest.raises(PhoneTaken):
        register(db, guest, "Người khác", "098 765 4321", "mat-khau-dai")
    assert guest.is_guest


def test_a_guest_who_completed_a_course_gets_the_certificate_on_registering(db, course):
    guest = _guest(db)
    _pass(db, guest, "bat-dau")
    _pass(db, guest, "an-toan")
    assert _count(db, Certificate, guest) == 0
    user = register(db, guest, "Lê Thị Hoa", "0912345678", "mat-khau-dai")
    assert _count(db, Certificate, user) == 1


def test_merge_moves_progress_without_duplicates_and_deletes_the_guest(db, course):
    user, guest = make_user(db), _guest(db)
    record_lesson_done(db, user, _lesson(db, "chao-mung"))
    record_lesson_done(db, guest, _lesson(db, "chao-mung"))
    record_lesson_done(db, guest, _lesson(db, "ma-otp"))
    _pass(db, guest, "bat-dau")
    _pass(db, user, "bat-dau")
    guest_id = guest.id

    merge_guest_into(db, guest, user)

    assert _count(db, LessonProgress, user) == 2
    assert _count(db, ModuleCompletion, user) == 1
    assert _count(db, QuizAttempt, user) == 2
    assert db.get(User, guest_id) is None
    assert (
        db.scalar(
            select(func.count())
            .select_from(LessonProgress)
            .where(LessonProgress.user_id == guest_id)
        )
        == 0
    )


def test_merge_completing_the_course_issues_the_certificate(db, course):
    user, guest = make_user(db), _guest(db)
    _pass(db, user, "bat-dau")
    _pass(db, guest, "an-toan")
    merge_guest_into(db, guest, user)
    assert _count(db, CourseCompletion, user) == 1
    assert _count(db, Certificate, user) == 1


def test_merge_into_a_member_rolls_the_progress_up(db, course):
    team = make_team(db)
    member = make_user(db, role="member", team_id=team.id)
    guest = _guest(db)
    record_lesson_done(db, guest, _lesson(db, "chao-mung"))
    _pass(db, guest, "bat-dau")
    _pass(db, guest, "an-toan")
    merge_guest_into(db, guest, member)
    rollup = db.scalar(select(TeamRollup).where(TeamRollup.team_id == team.id))
    assert (rollup.started, rollup.completed, rollup.quiz_attempts, rollup.quiz_passes) == (
        1,
        1,
        2,
        2,
    )


def test_join_team_makes_a_citizen_a_member_and_counts_their_progress(db, course):
    team = make_team(db)
    citizen = make_user(db)
    record_lesson_done(db, citizen, _lesson(db, "chao-mung"))
    joined = join_team(db, citizen, f" {team.invite_code.lower()} ")
    assert joined.id == team.id and citizen.role == "member" and citizen.team_id == team.id
    rollup = db.scalar(select(TeamRollup).where(TeamRollup.team_id == team.id))
    assert (rollup.members, rollup.started, rollup.completed) == (1, 1, 0)
    assert join_team(db, citizen, team.invite_code).id == team.id
    assert rollup.members == 1


def test_join_team_refuses_bad_codes_guests_and_a_second_team(db):
    team, other = make_team(db), make_team(db)
    citizen = make_user(db)
    for user, code in ((citizen, "KHONGCO"), (citizen, ""), (_guest(db), team.invite_code)):
        with pytest.raises(AccountError) as error:
            join_team(db, user, code)
        assert error.value.field == "invite_code"
    join_team(db, citizen, team.invite_code)
    with pytest.raises(AccountError):
        join_team(db, citizen, other.invite_code)


def test_the_user_loader_needs_a_session_on_record(app, db):
    user = make_user(db)
    with app.test_request_context("/"):
        key = open_session(db, user)
        assert load_user(key) is user and user.get_id() == key
        assert load_user(f"{user.id}:1") is None  # the old form, an id, names nobody
        assert load_user("abc") is None and load_user("s.made-up") is None
        guest = _guest(db)
        assert load_user(open_session(db, guest)) is None
        db.execute(delete(UserSession).where(UserSession.user_id == user.id))
        assert load_user(key) is None
