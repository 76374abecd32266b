"""A learner downloads their data and deletes their account; certificates stay verifiable."""

import json

import pytest
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.accounts.services import hash_password
from lms.audit.models import AuditEvent
from lms.certificates.models import Certificate
from lms.contributions.services import record_session
from lms.contributions.steps import check_session
from lms.courses.models import LessonProgress
from lms.db import utcnow
from lms.limits import limiter
from lms.quizzes.models import QuizAttempt
from lms.quizzes.services import start_attempt
from lms.reports.models import TeamRollup
from lms.reports.periods import vietnam_day
from lms.reports.rollups import rebuild_rollups
from tests.certificates_support import sign_in
from tests.contributions_support import brute_days, brute_teams, rolled_days, rolled_teams
from tests.factories import make_user
from tests.learner_helpers import quiz_of
from tests.pages_support import csrf_from, new_client, post_form
from tests.reports_support import brute_force, build_country, counts_of

PASSWORD = "mat-khau-rieng"


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def country(db):
    country = build_country(db)
    rebuild_rollups(db)  # the country's referred citizen was added without the services
    return country


def _finisher(db, country) -> User:
    """Team A's member who completed the sample course (and so holds its certificate)."""
    member = country.members["A"][3]
    member.password_hash = hash_password(PASSWORD)
    member.phone = "0912000444"
    db.flush()
    return member


def _signed_in(app, user):
    client = new_client(app)
    sign_in(client, user)
    return client


def _count(db, model, **where) -> int:
    query = select(func.count()).select_from(model)
    for name, value in where.items():
        query = query.where(getattr(model, name) == value)
    return db.scalar(query)


def test_the_download_holds_profile_progress_attempts_certificates_and_sessions(app, db, country):
    member = _finisher(db, country)
    today = vietnam_day(utcnow())
    form = check_session(True, "Bà Lò Thị Hoa", "0987 111 222", "", ["qr_payment"], today)
    record_session(db, member, country.teams["A"], form)
    open_attempt = start_attempt(db, member, quiz_of(db, "bat-dau"))
    client = _signed_in(app, member)

    page = client.get("/me/data.json")
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "attachment" in page.headers["Content-Disposition"]
    data = json.loads(page.get_data(as_text=True))
    assert client.get("/api/v1/me/data").get_json()["profile"] == data["profile"]

    profile = data["profile"]
    assert (profile["full_name"], profile["phone"], profile["role"]) == (
        member.full_name,
        "0912000444",
        "member",
    )
    assert profile["team"] == {"code": "TO-A", "name": "Thôn A"}
    stored = _count(db, LessonProgress, user_id=member.id)
    assert len(data["lessons"]) == stored > 0
    assert {c["course"] for c in data["courses"]} == {country.course.slug}
    submitted = [a for a in data["attempts"] if a["submitted_at"]]
    assert submitted and all(a["answers"] and a["results"] for a in submitted)
    [still_open] = [a for a in data["attempts"] if a["id"] == open_attempt.id]
    assert still_open["answers"] is None and still_open["results"] is None  # no answer key
    [certificate] = data["certificates"]
    assert certificate["serial"] == db.scalar(
        select(Certificate.serial).where(Certificate.user_id == member.id)
    )
    [session] = data["assisted_sessions"]
    assert session["steps"] == ["qr_payment"] and session["citizen_phone_given"] is True
    assert "0987111222" not in page.get_data(as_text=True)  # the citizen's number is theirs
    others = {m.full_name for key in "BCD" for m in country.members[key]}
    assert not any(name in page.get_data(as_text=True) for name in others)


def test_only_a_signed_in_learner_gets_data(app, db):
    anonymous = new_client(app)
    assert anonymous.get("/me/data.json").status_code == 302
    assert anonymous.get("/api/v1/me/data").status_code == 401
    assert anonymous.delete("/api/v1/me", json={"password": "x"}).status_code == 401
    anonymous.post("/api/v1/courses/mau/modules/bat-dau/lessons/chao-mung/complete")
    assert anonymous.get("/api/v1/me/data").status_code in (401, 404)


def test_deleting_on_the_page_needs_csrf_and_the_password(app, db, country):
    member = _finisher(db, country)
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == member.id))
    client = _signed_in(app, member)
    page = client.get("/me/delete")
    assert page.status_code == 200 and "Xoá vĩnh viễn" in page.get_data(as_text=True)
    assert client.post("/me/delete", data={"password": PASSWORD}).status_code == 400  # no CSRF
    wrong = post_form(client, "/me/delete", "/me/delete", {"password": "sai-mat-khau"})
    assert wrong.status_code == 400 and "Mật khẩu không đúng." in wrong.get_data(as_text=True)
    assert db.get(User, member.id) is not None

    done = post_form(client, "/me/delete", "/me/delete", {"password": PASSWORD})
    assert done.status_code == 303
    _assert_deleted(db, member.id, certificate)
    assert client.get("/api/v1/me/data").status_code == 401  # signed out
    verified = new_client(app).get(f"/api/v1/certificates/{certificate.code}").get_json()
    assert (verified["valid"], verified["holder_name"]) == (True, certificate.holder_name)


def _assert_deleted(db, user_id: int, certificate: Certificate) -> None:
    db.expire_all()
    assert db.get(User, user_id) is None
    assert _count(db, LessonProgress, user_id=user_id) == 0
    assert _count(db, QuizAttempt, user_id=user_id) == 0
    kept = db.get(Certificate, certificate.id)
    assert (kept.user_id, kept.serial, kept.holder_name, kept.course_title) == (
        None,
        certificate.serial,
        certificate.holder_name,
        certificate.course_title,
    )
    assert db.scalar(select(AuditEvent.details).where(AuditEvent.action == "accounts.delete")) == {
        "role": "member"
    }


def test_deleting_through_the_api_recounts_the_team(app, db, country):
    member = _finisher(db, country)
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == member.id))
    team = country.teams["A"]
    client = _signed_in(app, member)
    wrong = client.delete("/api/v1/me", json={"password": "sai-mat-khau"})
    assert wrong.status_code == 422 and wrong.get_json()["error"]["field"] == "password"
    assert client.delete("/api/v1/me", json={}).get_json()["error"]["field"] == "password"

    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    _assert_deleted(db, member.id, certificate)
    row = db.scalar(
        select(TeamRollup).where(
            TeamRollup.team_id == team.id, TeamRollup.course_id == country.course.id
        )
    )
    assert counts_of(row) == brute_force(db, [team.id], country.course)
    assert row.members == 3 and row.completed == 0


def test_a_referred_citizen_who_leaves_is_no_longer_counted_as_reached(app, db, country):
    citizen = make_user(
        db,
        role="citizen",
        referred_by_team_id=country.teams["B"].id,
        reached_at=utcnow(),
        phone="0933000555",
    )
    citizen.password_hash = hash_password(PASSWORD)
    db.flush()
    rebuild_rollups(db)
    client = _signed_in(app, citizen)
    assert client.delete("/api/v1/me", json={"password": PASSWORD}).status_code == 204
    assert rolled_teams(db) == brute_teams(db) and rolled_days(db) == brute_days(db)


def test_officials_and_admins_cannot_delete_themselves(app, db, country):
    for role, unit in (("commune_official", country.units["C1"]), ("admin", None)):
        person = make_user(db, role=role, unit=unit, password_hash=hash_password(PASSWORD))
        client = _signed_in(app, person)
        answer = client.delete("/api/v1/me", json={"password": PASSWORD})
        assert answer.status_code == 403
        page = client.get("/me/delete").get_data(as_text=True)
        assert "do quản trị viên xoá" in page and 'name="password"' not in page
        refused = client.post(
            "/me/delete", data={"password": PASSWORD, "csrf_token": csrf_from(_profile(client))}
        )
        assert refused.status_code == 403
        assert db.get(User, person.id) is not None


def _profile(client) -> str:
    return client.get("/profile").get_data(as_text=True)
