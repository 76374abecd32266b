"""Quiz keys are not harvested by retrying: a result shows which answers were wrong and why,
the correct options only after a pass, and a learner waits QUIZ_RETRY_SECONDS between
attempts at one quiz (page and API)."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accounts.services import create_user
from lms.quizzes.models import Option, QuizAttempt
from tests.learner_helpers import api_client, load_sample, quiz_of
from tests.pages_support import csrf_from, new_client

PAUSE = 60
PASSWORD = "mat-khau-dai-1"
PHONE = "0912345678"


@pytest.fixture
def pause(app, monkeypatch):
    monkeypatch.setitem(app.config, "QUIZ_RETRY_SECONDS", PAUSE)


@pytest.fixture
def api(app, db, pause):
    """A signed-in learner's API client (the data download needs an account)."""
    load_sample(db)
    create_user(db, full_name="Lê Thị Hoa", password=PASSWORD, role="citizen", phone=PHONE)
    client = api_client(app)
    signed = client.post("/api/v1/auth/login", json={"login": PHONE, "password": PASSWORD})
    assert signed.status_code == 200
    return client


def _attempts_url(db) -> str:
    return f"/api/v1/quizzes/{quiz_of(db, 'an-toan').id}/attempts"


def _answers(db, started, right: bool) -> dict[str, list[int]]:
    answers = {}
    for question in started["questions"]:
        ids = [o["id"] for o in question["options"]]
        options = db.scalars(select(Option).where(Option.id.in_(ids))).all()
        chosen = [o.id for o in options if o.correct == right]
        answers[str(question["id"])] = chosen if right else chosen[:1]
    return answers


def _submit(api, db, right: bool) -> dict:
    started = api.post(_attempts_url(db)).get_json()
    url = f"/api/v1/attempts/{started['attempt_id']}/submit"
    return api.post(url, json={"answers": _answers(db, started, right)}).get_json()


def _end_the_pause(db) -> None:
    """Date every submitted attempt back past the pause, as if the learner had waited."""
    for attempt in db.scalars(select(QuizAttempt).where(QuizAttempt.submitted_at.is_not(None))):
        attempt.submitted_at -= timedelta(seconds=PAUSE + 1)
    db.flush()


def test_a_failed_result_shows_what_was_wrong_and_why_but_not_the_key(api, db):
    failed = _submit(api, db, right=False)
    assert failed["passed"] is False
    for result in failed["results"]:
        assert result["correct"] is False and result["explanation"]
        assert "correct_option_ids" not in result


def test_a_second_attempt_within_the_pause_is_429_with_the_wait(api, db):
    _submit(api, db, right=False)
    again = api.post(_attempts_url(db))
    assert again.status_code == 429
    error = again.get_json()["error"]
    assert error["code"] == "retry_later"
    waited = int(again.headers["Retry-After"])
    assert 0 < waited <= PAUSE and f"sau {waited} giây" in error["message"]
    _end_the_pause(db)
    assert api.post(_attempts_url(db)).status_code == 201


def test_the_key_comes_with_a_pass(api, db):
    failed = _submit(api, db, right=False)
    assert all("correct_option_ids" not in r for r in failed["results"])
    _end_the_pause(db)
    passed = _submit(api, db, right=True)
    assert passed["passed"] is True
    assert all(r["correct_option_ids"] for r in passed["results"])
    # The download of one's data follows the same rule: keys now, for every attempt.
    data = api.get("/api/v1/me/data").get_json()
    assert all("correct_option_ids" in r for a in data["attempts"] for r in a["results"])


def test_the_data_download_holds_no_key_before_a_pass(api, db):
    _submit(api, db, right=False)
    data = api.get("/api/v1/me/data").get_json()
    attempts = data["attempts"]
    assert attempts and all("correct_option_ids" not in r for r in attempts[0]["results"])


def test_quick_retries_cannot_harvest_the_key(api, db):
    """What a script did before: four quick attempts, reading the key from the first."""
    first = _submit(api, db, right=False)
    assert all("correct_option_ids" not in r for r in first["results"])
    for _ in range(3):
        assert api.post(_attempts_url(db)).status_code == 429


def test_the_quiz_page_tells_when_to_retry(app, db, pause):
    load_sample(db)
    client = new_client(app)
    quiz = quiz_of(db, "bat-dau")
    html = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    attempt = db.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    wrong = {}
    for item in attempt.layout:
        options = db.scalars(select(Option).where(Option.id.in_(item["option_ids"]))).all()
        wrong[f"q{item['question_id']}"] = [str(o.id) for o in options if not o.correct][:1]
    client.post(f"/attempts/{attempt.id}", data={"csrf_token": csrf_from(html), **wrong})
    result = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Đáp án đúng sẽ hiện khi bạn đạt bài kiểm tra." in result
    assert "Bạn có thể làm lại sau" in result and 'class="tag ok"' not in result
    retry = client.get(f"/quizzes/{quiz.id}")
    assert retry.status_code == 429 and 0 < int(retry.headers["Retry-After"]) <= PAUSE
    assert "bạn có thể làm lại bài này sau" in retry.get_data(as_text=True)
    client.set_cookie("lang", "en")
    english = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    assert "you can take this quiz again in" in english
    _end_the_pause(db)
    assert client.get(f"/quizzes/{quiz.id}").status_code == 200


def test_attempts_started_before_answering_are_one_and_the_same(api, db):
    """Starting several attempts first, then answering each, once skipped the pause."""
    started = [api.post(_attempts_url(db)) for _ in range(4)]
    assert {response.status_code for response in started} == {201}
    assert len({response.get_json()["attempt_id"] for response in started}) == 1
    answers = _answers(db, started[0].get_json(), right=False)
    url = f"/api/v1/attempts/{started[0].get_json()['attempt_id']}/submit"
    assert api.post(url, json={"answers": answers}).status_code == 200
    assert api.post(_attempts_url(db)).status_code == 429
