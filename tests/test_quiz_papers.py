"""A quiz's paper is kept per worker until a content sync gives the quiz a new revision."""

import shutil

from sqlalchemy import event

from lms.content.loader import load_content
from lms.content.sync import sync_courses
from lms.quizzes import papers
from lms.quizzes.services import shown_questions, start_attempt, submit_attempt
from tests.conftest import SAMPLE_CONTENT
from tests.factories import make_user
from tests.learner_helpers import load_sample, quiz_of

OTP_QUESTION = "Ai được biết mã OTP của bạn?"
OTP_OPTIONS = """options = [
  { text = "Chỉ mình bạn", correct = true },
  { text = "Nhân viên ngân hàng", correct = false },"""
OTP_OPTIONS_REVERSED = """options = [
  { text = "Chỉ mình bạn (đã sửa)", correct = false },
  { text = "Nhân viên ngân hàng", correct = true },"""


def _sync_edited(db, tmp_path, old: str, new: str) -> None:
    root = tmp_path / "content"
    shutil.copytree(SAMPLE_CONTENT, root)
    quiz_file = root / "mau" / "an-toan" / "quiz.toml"
    text = quiz_file.read_text(encoding="utf-8")
    assert old in text
    quiz_file.write_text(text.replace(old, new), encoding="utf-8")
    specs, errors = load_content(root)
    assert not errors, errors
    sync_courses(db, specs)


def _attempt_showing(db, learner, quiz, text: str):
    """An attempt that drew the question (two of three are drawn each time)."""
    while True:
        attempt = start_attempt(db, learner, quiz)
        if text in [question.text for question in shown_questions(db, attempt)]:
            return attempt


def _statements(db):
    seen = []
    engine = db.get_bind()
    listener = lambda *args: seen.append(args[2])  # noqa: E731
    event.listen(engine, "before_cursor_execute", listener)
    return seen, lambda: event.remove(engine, "before_cursor_execute", listener)


def test_a_kept_paper_is_reused_without_reading_the_bank(db):
    load_sample(db)
    quiz = quiz_of(db, "an-toan")
    first = papers.paper(db, quiz)
    seen, stop = _statements(db)
    try:
        again = papers.paper(db, quiz)
    finally:
        stop()
    assert again is first and seen == []
    assert first.course_slug == "mau" and first.module_slug == "an-toan"
    assert len(first.active_ids) == 3 and set(first.active_ids) == set(first.questions)


def test_every_sync_gives_each_quiz_a_new_revision(db):
    load_sample(db)
    before = quiz_of(db, "an-toan").revision
    load_sample(db)
    after = quiz_of(db, "an-toan").revision
    assert before and after and before != after


def test_grading_follows_an_answer_key_changed_by_a_sync(db, tmp_path):
    load_sample(db)
    quiz = quiz_of(db, "an-toan")
    papers.paper(db, quiz)  # this worker now keeps the old paper
    _sync_edited(db, tmp_path, OTP_OPTIONS, OTP_OPTIONS_REVERSED)

    learner = make_user(db)
    attempt = _attempt_showing(db, learner, quiz, OTP_QUESTION)
    otp = next(q for q in shown_questions(db, attempt) if q.text == OTP_QUESTION)
    assert "Chỉ mình bạn (đã sửa)" in [option.text for option in otp.options]

    staff = next(o.id for o in otp.options if o.text == "Nhân viên ngân hàng")
    graded = submit_attempt(db, learner, attempt.id, {otp.id: [staff]})
    result = next(item for item in graded.results if item["question_id"] == otp.id)
    assert result["correct"] is True and result["correct_option_ids"] == [staff]


def test_an_old_attempt_still_shows_a_retired_question(db, tmp_path):
    load_sample(db)
    quiz = quiz_of(db, "an-toan")
    learner = make_user(db)
    attempt = _attempt_showing(db, learner, quiz, OTP_QUESTION)
    _sync_edited(db, tmp_path, 'id = "otp"', 'id = "otp-moi"')  # the old question retires

    assert OTP_QUESTION in [question.text for question in shown_questions(db, attempt)]
    paper = papers.paper(db, quiz)
    assert len(paper.active_ids) == 3 and len(paper.questions) == 4
