"""Issuing certificates: once per learner and course, none for guests."""

import re

from sqlalchemy import select

from lms.certificates.models import Certificate, SerialCounter
from lms.certificates.services import issue_certificate
from tests.certificates_support import make_course
from tests.factories import make_team, make_user


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
