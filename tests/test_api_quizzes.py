import json

import pytest
from sqlalchemy import select

from lms.quizzes.models import Option, QuizAttempt
from tests.learner_helpers import api_client, load_sample, quiz_of

FORBIDDEN_KEYS = {"correct", "correct_option_ids", "explanation", "explanations", "is_correct"}


@pytest.fixture
def api(app, db):
    load_sample(db)
    return api_client(app)


def _keys(value) -> set[str]:
    if isinstance(value, dict):
        return set(value) | {k for v in value.values() for k in _keys(v)}
    if isinstance(value, list):
        return {k for v in value for k in _keys(v)}
    return set()


def _start(api, db, module="an-toan"):
    response = api.post(f"/api/v1/quizzes/{quiz_of(db, module).id}/attempts")
    assert response.status_code == 201, response.get_data(as_text=True)
    return response.get_json()


def _right_answers(db, started) -> dict[str, list[str]]:
    answers = {}
    for question in started["questions"]:
        ids = [o["id"] for o in question["options"]]
        correct = db.scalars(select(Option.id).where(Option.id.in_(ids), Option.correct))
        answers[str(question["id"])] = [str(i) for i in correct]
    return answers


def test_starting_shows_questions_without_any_answer_key(api, db):
    started = _start(api, db)
    assert set(started) == {"attempt_id", "questions"}
    assert len(started["questions"]) == 2
    for question in started["questions"]:
        assert set(question) == {"id", "text", "kind", "options"}
        assert all(set(option) == {"id", "text"} for option in question["options"])
    assert not _keys(started) & FORBIDDEN_KEYS
    raw = json.dumps(started, ensure_ascii=False)
    assert "correct" not in raw and "explanation" not in raw
    assert "Mã OTP chỉ dành cho bạn." not in raw  # an explanation's text
    assert api.get_cookie("hs_guest") is not None


def test_the_shown_order_is_the_stored_layout(api, db):
    started = _start(api, db)
    attempt = db.get(QuizAttempt, started["attempt_id"])
    assert [q["id"] for q in started["questions"]] == [i["question_id"] for i in attempt.layout]
    assert [[o["id"] for o in q["options"]] for q in started["questions"]] == [
        i["option_ids"] for i in attempt.layout
    ]


def test_submitting_right_answers_passes_and_completes_the_module(api, db):
    started = _start(api, db)
    response = api.post(
        f"/api/v1/attempts/{started['attempt_id']}/submit",
        json={"answers": _right_answers(db, started)},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert set(body) == {"score_percent", "passed", "results"}
    assert body["score_percent"] == 100 and body["passed"] is True
    for result in body["results"]:
        assert set(result) == {"question_id", "correct", "correct_option_ids", "explanation"}
        assert result["correct"] is True and result["explanation"]
    progress = api.get("/api/v1/me/progress").get_json()["courses"][0]
    assert progress["modules_done"] == 1


def test_unanswered_questions_count_as_wrong(api, db):
    started = _start(api, db)
    first = started["questions"][0]
    answers = {str(first["id"]): _right_answers(db, started)[str(first["id"])]}
    body = api.post(
        f"/api/v1/attempts/{started['attempt_id']}/submit", json={"answers": answers}
    ).get_json()
    assert body["score_percent"] == 50 and body["passed"] is False
    assert [r["correct"] for r in body["results"]] == [True, False]
    for result in body["results"]:  # no pass yet: which were wrong and why, not the key
        assert set(result) == {"question_id", "correct", "explanation"}


def test_a_second_submit_is_409(api, db):
    started = _start(api, db)
    url = f"/api/v1/attempts/{started['attempt_id']}/submit"
    assert api.post(url, json={"answers": {}}).status_code == 200
    response = api.post(url, json={"answers": _right_answers(db, started)})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "attempt_already_submitted"
    assert db.get(QuizAttempt, started["attempt_id"]).passed is False


def test_another_persons_attempt_is_404(api, app, db):
    started = _start(api, db)
    stranger = api_client(app)
    url = f"/api/v1/attempts/{started['attempt_id']}/submit"
    response = stranger.post(url, json={"answers": {}})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "attempt_not_found"
    stranger.post("/api/v1/courses/mau/modules/bat-dau/lessons/chao-mung/complete")
    assert stranger.post(url, json={"answers": {}}).status_code == 404
    assert db.get(QuizAttempt, started["attempt_id"]).submitted_at is None


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({}, "answers"),
        ({"answers": []}, "answers"),
        ({"answers": {"abc": []}}, "answers.abc"),
        ({"answers": {"1": "2"}}, "answers.1"),
        ({"answers": {"1": [True]}}, "answers.1"),
        ({"answers": {"1": [99999999999999999999]}}, "answers.1"),
        ([1, 2], "body"),
    ],
)
def test_a_malformed_body_is_422_naming_the_field(api, db, payload, field):
    started = _start(api, db)
    response = api.post(f"/api/v1/attempts/{started['attempt_id']}/submit", json=payload)
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == field and error["message"]


def test_answers_to_questions_not_drawn_are_422(api, db):
    started = _start(api, db)
    other = _start(api, db, "bat-dau")["questions"][0]["id"]
    response = api.post(
        f"/api/v1/attempts/{started['attempt_id']}/submit", json={"answers": {str(other): []}}
    )
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == f"answers.{other}"


def test_a_body_that_is_not_json_is_422(api, db):
    started = _start(api, db)
    url = f"/api/v1/attempts/{started['attempt_id']}/submit"
    form = api.post(url, data={"answers": "x"})
    broken = api.post(url, data="{not json", content_type="application/json")
    for response in (form, broken):
        assert response.status_code == 422 and response.get_json()["error"]["field"] == "body"


def test_unknown_quizzes_and_huge_ids_are_404(api):
    for url in (
        "/api/v1/quizzes/999999/attempts",
        "/api/v1/quizzes/99999999999999/attempts",
        "/api/v1/attempts/99999999999999999999/submit",
    ):
        response = api.post(url, json={"answers": {}})
        assert response.status_code == 404 and response.is_json
