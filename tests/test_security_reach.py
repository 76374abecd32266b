"""Scripted guests do not inflate "citizens reached": a referred learner counts only after a
lesson read for READING_PROOF_SECONDS (a signed, timestamped, single-use token from the
lesson page) or a passed quiz, and one address starts at most GUEST_CREATION_LIMIT guests."""

import time

import pytest
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.contributions import referrals
from lms.contributions.models import TeamContribution
from lms.contributions.reach import READING_PROOF_SECONDS
from lms.quizzes.models import Option
from tests.factories import make_team
from tests.learner_helpers import api_client, load_sample, quiz_of
from tests.pages_support import LESSON, csrf_from, new_client, post_form, read_token_from

API_LESSON = "/api/v1/courses/mau/modules/bat-dau/lessons/chao-mung"


@pytest.fixture
def team(db):
    load_sample(db)
    return make_team(db, code="TO-CHIA-SE")


@pytest.fixture
def reading_time(app, monkeypatch):
    """The documented minimum reading time, as in production."""
    monkeypatch.setitem(app.config, "READING_PROOF_SECONDS", READING_PROOF_SECONDS)


def _counts(db, team) -> tuple[int, int]:
    found = db.get(TeamContribution, team.id)
    return (found.reached, found.learned) if found else (0, 0)


def _attributed(db, team) -> int:
    return db.scalar(select(func.count()).where(User.referred_by_team_id == team.id))


def test_twenty_scripted_guests_through_a_share_link_count_zero(app, db, team, reading_time):
    code = referrals.team_code(team)
    for n in range(20):
        script = new_client(app)
        if n % 2:
            script.get(f"/t/{code}")
        else:
            script.get(f"{LESSON}?ref={code}")
        if n % 4 < 2:  # the page's form, token and all, posted at once
            assert post_form(script, LESSON, LESSON + "/done", {}).status_code == 302
        else:  # the API, with the lesson's token or without any
            token = script.get(API_LESSON).get_json()["read_token"]
            body = {"read_token": token} if n % 4 == 2 else None
            assert script.post(API_LESSON + "/complete", json=body).status_code == 200
    assert _attributed(db, team) == 20  # each guest is known to come from the link...
    assert _counts(db, team) == (0, 0)  # ...but none counts as reached or learned


def test_a_real_reader_counts(app, db, team, monkeypatch):
    monkeypatch.setitem(app.config, "READING_PROOF_SECONDS", 2)
    reader = new_client(app)
    reader.get(f"/t/{referrals.team_code(team)}")
    page = reader.get(LESSON).get_data(as_text=True)
    time.sleep(2.2)  # reading
    answer = reader.post(
        LESSON + "/done",
        data={"csrf_token": csrf_from(page), "read_token": read_token_from(page)},
    )
    assert answer.status_code == 302
    assert _counts(db, team) == (1, 1)


def test_a_reading_proof_counts_once(app, db, team, monkeypatch):
    monkeypatch.setitem(app.config, "READING_PROOF_SECONDS", 1)
    first = api_client(app)
    first.get(f"/t/{referrals.team_code(team)}")
    token = first.get(API_LESSON).get_json()["read_token"]
    time.sleep(1.2)
    assert first.post(API_LESSON + "/complete", json={"read_token": token}).status_code == 200
    assert _counts(db, team) == (1, 1)
    copier = api_client(app)  # the same proof, given to another fresh guest
    copier.get(f"/t/{referrals.team_code(team)}")
    assert copier.post(API_LESSON + "/complete", json={"read_token": token}).status_code == 200
    assert _attributed(db, team) == 2 and _counts(db, team) == (1, 1)


def test_a_proof_of_another_lesson_or_altered_counts_nothing(app, db, team, monkeypatch):
    monkeypatch.setitem(app.config, "READING_PROOF_SECONDS", 1)
    client = api_client(app)
    client.get(f"/t/{referrals.team_code(team)}")
    other = client.get("/api/v1/courses/mau/modules/an-toan/lessons/ma-otp").get_json()
    token = client.get(API_LESSON).get_json()["read_token"]
    time.sleep(1.2)
    for wrong in (other["read_token"], token[:-2] + "xx", "", 5):
        answer = client.post(API_LESSON + "/complete", json={"read_token": wrong})
        assert answer.status_code == 200
    assert _counts(db, team) == (0, 0)


def test_a_passed_quiz_counts(app, db, team, reading_time):
    client = api_client(app)
    client.get(f"/t/{referrals.team_code(team)}")
    quiz = quiz_of(db, "an-toan")
    started = client.post(f"/api/v1/quizzes/{quiz.id}/attempts").get_json()
    answers = {}
    for question in started["questions"]:
        ids = [o["id"] for o in question["options"]]
        answers[str(question["id"])] = list(
            db.scalars(select(Option.id).where(Option.id.in_(ids), Option.correct))
        )
    submitted = client.post(
        f"/api/v1/attempts/{started['attempt_id']}/submit", json={"answers": answers}
    )
    assert submitted.get_json()["passed"] is True
    assert _counts(db, team) == (1, 0)  # reached; no lesson read, so not "learned"


def test_one_address_starts_only_so_many_guests(app, db, team, monkeypatch):
    monkeypatch.setitem(app.config, "GUEST_CREATION_LIMIT", "6 per 10 minutes")
    allowed = 6
    for _n in range(allowed):
        script = new_client(app)
        script.environ_base["REMOTE_ADDR"] = "10.99.0.1"
        assert post_form(script, LESSON, LESSON + "/done", {}).status_code == 302
    page = new_client(app)
    page.environ_base["REMOTE_ADDR"] = "10.99.0.1"
    refused = post_form(page, LESSON, LESSON + "/done", {})
    assert refused.status_code == 429
    assert "Có quá nhiều người học mới từ cùng một địa chỉ mạng" in refused.get_data(as_text=True)
    api = api_client(app)
    api.environ_base["REMOTE_ADDR"] = "10.99.0.1"
    answer = api.post(API_LESSON + "/complete")
    assert answer.status_code == 429 and answer.get_json()["error"]["code"] == "too_many_guests"
    guests = select(func.count()).where(User.role == "guest")
    assert db.scalar(guests) == allowed
    other = new_client(app)  # another address is not held back
    assert post_form(other, LESSON, LESSON + "/done", {}).status_code == 302
    english = new_client(app)
    english.environ_base["REMOTE_ADDR"] = "10.99.0.1"
    english.set_cookie("lang", "en")
    refused = post_form(english, LESSON, LESSON + "/done", {}).get_data(as_text=True)
    assert "Too many new learners from the same network address" in refused


def test_every_first_visit_gets_a_fresh_proof_from_the_kept_page(app, db, team):
    first, second = new_client(app), new_client(app)
    one = read_token_from(first.get(LESSON).get_data(as_text=True))
    two = read_token_from(second.get(LESSON).get_data(as_text=True))
    assert one and two and one != two
    assert "\x00" not in first.get(LESSON).get_data(as_text=True)
