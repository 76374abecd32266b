"""Quiz pages: a plain HTML form of the drawn questions, graded on the server, then the result."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from lms.accounts.identity import current_learner
from lms.certificates.views import pdf_link
from lms.db import session
from lms.quizzes import papers, retry_pause, services
from lms.quizzes.milestone import course_done
from lms.sqlite_writers import will_write

bp = Blueprint("quizzes", __name__, template_folder="templates")


class FormErrors(ValueError):
    """The submitted form cannot be graded; errors are keyed by question id."""

    def __init__(self, errors: dict[int, str]):
        super().__init__("invalid quiz form")
        self.errors = errors


def _render_form(db, attempt, chosen=None, errors=None, status=200):
    quiz = services.quiz_by_id(db, attempt.quiz_id)
    questions = services.shown_questions(db, attempt)
    page = render_template(
        "quizzes/take.html",
        attempt=attempt,
        paper=papers.paper(db, quiz),
        pass_percent=quiz.pass_percent,
        questions=questions,
        chosen=chosen or {},
        errors=errors or {},
    )
    return page, status


@bp.get("/quizzes/<int:quiz_id>")
def take(quiz_id):
    db = session()
    try:
        quiz = services.get_quiz(db, quiz_id)
    except services.QuizNotFound:
        abort(404)
    learner = current_learner(create=False)
    attempt = services.open_attempt(db, learner, quiz) if learner is not None else None
    if attempt is None:
        left = services.seconds_until_retry(db, learner, quiz, retry_pause())
        if left:
            return _retry_later(left)
        db.commit()  # end the read; the writes below queue for the database on their own
        will_write()
        attempt = services.start_attempt(db, current_learner(create=True), quiz)
        db.commit()
        will_write(False)
    return _render_form(db, attempt)


def _retry_later(seconds_left: int):
    message = _(
        "Hãy xem lại bài học và lời giải thích: bạn có thể làm lại bài này sau %(seconds)s giây.",
        seconds=seconds_left,
    )
    page = render_template("error.html", code=429, reason="too_many", message=message)
    return page, 429, {"Retry-After": str(seconds_left)}


def parse_answers(form, question_ids: list[int]) -> dict[int, list[int]]:
    """Read `q<question id>` fields into {question id: [option ids]}; every question needs one."""
    answers, errors = {}, {}
    for number, question_id in enumerate(question_ids, start=1):
        raw = form.getlist(f"q{question_id}")
        if not raw:
            errors[question_id] = _("Câu %(n)s: bạn chưa chọn câu trả lời.", n=number)
            continue
        try:
            answers[question_id] = [int(value) for value in raw]
        except ValueError:
            errors[question_id] = _("Câu %(n)s: lựa chọn không hợp lệ.", n=number)
    if errors:
        raise FormErrors(errors)
    return answers


@bp.post("/attempts/<int:attempt_id>")
def submit(attempt_id):
    will_write(False)  # read and check first; only grading queues for the database
    db = session()
    learner = current_learner(create=False)
    try:
        attempt = services.get_attempt(db, learner, attempt_id)
        if attempt.submitted_at is not None:
            raise services.AttemptAlreadySubmitted()
        question_ids = [shown.question_id for shown in services.attempt_layout(attempt)]
        answers = parse_answers(request.form, question_ids)
        # Read now, not under the lock; the name keeps it in the session's identity map.
        quiz = services.quiz_by_id(db, attempt.quiz_id)
        papers.paper(db, quiz)
        db.commit()
        will_write()
        services.submit_attempt(db, learner, attempt_id, answers)
        db.commit()
    except services.AttemptNotFound:
        abort(404)
    except FormErrors as invalid:
        chosen = {i: request.form.getlist(f"q{i}") for i in question_ids}
        return _render_form(db, attempt, chosen, invalid.errors, status=400)
    except services.InvalidAnswers:
        db.rollback()
        flash(_("Câu trả lời không khớp với bài kiểm tra. Hãy làm lại."), "error")
        return redirect(url_for("quizzes.take", quiz_id=attempt.quiz_id))
    except services.AttemptAlreadySubmitted:
        db.rollback()
        flash(_("Bài này đã được nộp; đây là kết quả."), "ok")
    return redirect(url_for("quizzes.result", attempt_id=attempt_id))


@bp.get("/attempts/<int:attempt_id>")
def result(attempt_id):
    db = session()
    learner = current_learner(create=False)
    try:
        attempt = services.get_attempt(db, learner, attempt_id)
    except services.AttemptNotFound:
        abort(404)
    if attempt.submitted_at is None:
        return _render_form(db, attempt)
    quiz = services.quiz_by_id(db, attempt.quiz_id)
    paper = papers.paper(db, quiz)
    shown = {question.id: question for question in services.shown_questions(db, attempt)}
    feedback = services.learner_feedback(db, attempt)
    results = [(shown[item["question_id"]], item) for item in feedback]
    wait = 0 if attempt.passed else services.seconds_until_retry(db, learner, quiz, retry_pause())
    done = course_done(db, learner, attempt, paper.course_slug)
    return render_template(
        "quizzes/result.html",
        attempt=attempt,
        paper=paper,
        results=results,
        retry_in=wait,
        course_done=done,
        certificate_url=pdf_link(done.certificate) if done and done.certificate else None,
    )
