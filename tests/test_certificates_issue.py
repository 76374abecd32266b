"""Issuing certificates: once per learner and course, none for guests."""

import random
import re

from sqlalchemy import select

from lms.certificates.models import Certificate, SerialCounter
from lms.certificates.services import issue_certificate
from lms.quizzes.services import start_attempt, submit_attempt
from tests.certificates_support import make_course, sign_in
from tests.factories import make_team, make_user
from tests.learner_helpers import answer_key, load_sample, quiz_of


def test_issue_once_with_holder_team_and_commune(db):
    team = make_team(db)
    user = make_user(db, role="member", full_name="Nguyễn Thị Ngọc Ánh", team=team)
    course = make_course(db, track="member")
    first = issue_certificate(db, user, course)
    again = issue_certificate(db, user, course)
    assert again.id == first.id
    assert re.fullmatch(r"TV-\d{4}-000001", first.serial)
    assert re.fullmatch(r"[A-HJKMNP-Z2-9]{12}", first.code)
    assert first.holder_name == "Nguyễn Thị Ngọc Ánh"
    assert first.course_title == course.title
    assert (first.team_id, first.team_name, first.commune_name) == (
        team.id,
        team.name,
        team.commune.name,
    )
    count = db.scalar(select(SerialCounter.last_number).where(SerialCounter.track == "member"))
    assert count == 1


def test_serials_follow_each_other_per_track(db):
    course = make_course(db, track="citizen")
    serials = [issue_certificate(db, make_user(db), course).serial for _ in range(3)]
    assert [int(s.rsplit("-", 1)[1]) for s in serials] == [1, 2, 3]
    assert all(s.startswith("CD-") for s in serials)


def test_name_is_kept_as_at_issue(db):
    user = make_user(db, full_name="Trần Văn Bình")
    certificate = issue_certificate(db, user, make_course(db))
    user.full_name = "Trần Văn Bính"
    db.flush()
    db.expire_all()
    assert db.get(Certificate, certificate.id).holder_name == "Trần Văn Bình"


def test_guests_get_none(db):
    guest = make_user(db, role="guest", login=None)
    assert issue_certificate(db, guest, make_course(db)) is None
    assert db.scalar(select(Certificate).where(Certificate.user_id == guest.id)) is None


def _pass_every_quiz(db, user, course):
    for module in course.modules:
        quiz = quiz_of(db, module.slug)
        attempt = start_attempt(db, user, quiz, random.Random(1))
        submit_attempt(db, user, attempt.id, answer_key(db, attempt))


def test_completing_the_course_issues_it_and_lists_it(client, db):
    course = load_sample(db)
    user = make_user(db, full_name="Lê Thị Hồng Nhung")
    _pass_every_quiz(db, user, course)
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == user.id))
    assert (certificate.course_id, certificate.holder_name) == (course.id, "Lê Thị Hồng Nhung")
    sign_in(client, user)
    assert certificate.serial in client.get("/me/certificates").get_data(as_text=True)
    assert client.get(f"/certificates/{certificate.serial}.pdf").status_code == 200


def test_a_guest_completing_the_course_gets_none(db):
    course = load_sample(db)
    guest = make_user(db, role="guest", login=None)
    _pass_every_quiz(db, guest, course)
    assert db.scalar(select(Certificate).where(Certificate.user_id == guest.id)) is None
