"""Quiz pages: a plain form without the answer key, server grading, and the result page."""

import re

import pytest
from sqlalchemy import select

from lms.courses.models import ModuleCompletion
from lms.quizzes.models import Option, QuizAttempt
from tests.learner_helpers import load_sample, quiz_of
from tests.pages_support import csrf_from, new_client


@pytest.fixture
def client(app, db):
    load_sample(db)
    return new_client(app)


def _open_quiz(client, db):
    quiz = quiz_of(db, "bat-dau")
    html = client.get(f"/quizzes/{quiz.id}").get_data(as_text=True)
    attempt = db.scalar(select(QuizAttempt).order_by(QuizAttempt.id.desc()))
    return html, attempt


def _answers(db, attempt, right: bool) -> dict[str, list[str]]:
    answers = {}
    for item in attempt.layout:
        options = db.scalars(select(Option).where(Option.id.in_(item["option_ids"]))).all()
        chosen = [str(o.id) for o in options if o.correct == right]
        answers[f"q{item['question_id']}"] = chosen if right else chosen[:1]
    return answers


def test_quiz_form_shows_options_but_never_the_answers(client, db):
    html, attempt = _open_quiz(client, db)
    assert len(attempt.layout) == 2
    for item in attempt.layout:
        for option in db.scalars(select(Option).where(Option.id.in_(item["option_ids"]))):
            assert f'value="{option.id}"' in html
            assert option.text in html
            if option.explanation:
                assert option.explanation not in html
    assert "correct" not in html.lower()
    assert "Mã OTP chỉ dành cho bạn" not in html
    assert 'type="radio"' in html or 'type="checkbox"' in html


def test_reloading_the_quiz_keeps_the_same_attempt(client, db):
    _html, first = _open_quiz(client, db)
    _html, second = _open_quiz(client, db)
    assert first.id == second.id


KEY_TAG = 'class="tag ok">đáp án đúng'


def test_fail_then_pass_shows_right_and_wrong_and_completes_the_module(client, db):
    html, attempt = _open_quiz(client, db)
    token = csrf_from(html)
    wrong = client.post(
        f"/attempts/{attempt.id}", data={"csrf_token": token, **_answers(db, attempt, False)}
    )
    assert wrong.status_code == 302 and wrong.headers["Location"].endswith(
        f"/attempts/{attempt.id}"
    )
    result = client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert "Chưa đạt" in result and "Câu 1: Sai" in result and "bạn chọn" in result
    assert "Giải thích:" in result and KEY_TAG not in result  # the key comes with a pass
    assert db.scalar(select(ModuleCompletion)) is None

    html, retry = _open_quiz(client, db)
    assert retry.id != attempt.id
    client.post(f"/attempts/{retry.id}", data={"csrf_token": token, **_answers(db, retry, True)})
    passed = client.get(f"/attempts/{retry.id}").get_data(as_text=True)
    assert "Chúc mừng" in passed and "Câu 2: Đúng" in passed and "(100%)" in passed
    assert KEY_TAG in passed
    assert KEY_TAG in client.get(f"/attempts/{attempt.id}").get_data(as_text=True)
    assert db.scalar(select(ModuleCompletion)) is not None


def test_an_unanswered_question_is_named_and_the_choices_kept(client, db):
    html, attempt = _open_quiz(client, db)
    answers = _answers(db, attempt, True)
    first_field, first_choice = next(iter(answers.items()))
    response = client.post(
        f"/attempts/{attempt.id}", data={"csrf_token": csrf_from(html), first_field: first_choice}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Câu 2: bạn chưa chọn câu trả lời." in page
    assert re.search(rf'value="{first_choice[0]}"\s*checked', page)
    assert db.get(QuizAttempt, attempt.id).submitted_at is None


def test_an_option_of_another_question_is_refused(client, db):
    html, attempt = _open_quiz(client, db)
    answers = _answers(db, attempt, True)
    fields = list(answers)
    swapped = {fields[0]: answers[fields[1]], fields[1]: answers[fields[0]]}
    response = client.post(
        f"/attempts/{attempt.id}", data={"csrf_token": csrf_from(html), **swapped}
    )
    assert response.status_code == 302
    assert db.get(QuizAttempt, attempt.id).submitted_at is None
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Câu trả lời không khớp" in page


def test_a_second_submit_shows_the_first_result(client, db):
    html, attempt = _open_quiz(client, db)
    data = {"csrf_token": csrf_from(html), **_answers(db, attempt, True)}
    client.post(f"/attempts/{attempt.id}", data=data)
    again = client.post(
        f"/attempts/{attempt.id}",
        data={**data, **_answers(db, attempt, False)},
        follow_redirects=True,
    )
    assert "Bài này đã được nộp" in again.get_data(as_text=True)
    assert db.get(QuizAttempt, attempt.id).passed is True


def test_someone_elses_attempt_is_not_found(client, app, db):
    html, attempt = _open_quiz(client, db)
    stranger = new_client(app)
    assert stranger.get(f"/attempts/{attempt.id}").status_code == 404
    token = csrf_from(stranger.get("/").get_data(as_text=True))
    answers = _answers(db, attempt, True)
    response = stranger.post(f"/attempts/{attempt.id}", data={"csrf_token": token, **answers})
    assert response.status_code == 404
    assert db.get(QuizAttempt, attempt.id).submitted_at is None


def test_unknown_quiz_is_not_found(client):
    assert client.get("/quizzes/999999").status_code == 404
