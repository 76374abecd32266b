"""Starting and submitting quiz attempts; grading happens here, never in the browser.

Services flush, callers commit. An attempt stores the questions and option order it
showed, so grading uses exactly what the learner saw; the bank comes from the quiz's paper
(lms/quizzes/papers.py), read once per worker and content sync.
"""

import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy.orm import Session, make_transient_to_detached

from lms.accounts.models import User
from lms.contributions.reach import count_reached
from lms.courses.models import Course, Module
from lms.courses.services import finish_module
from lms.db import ById, utcnow
from lms.quizzes import papers
from lms.quizzes.grading import DrawnQuestion, draw, feedback, grade
from lms.quizzes.models import Quiz, QuizAttempt
from lms.reports import rollups

_system_random = random.SystemRandom()


class QuizError(Exception):
    """A quiz request that cannot be carried out; the message is for people."""

    message = _l("Không thực hiện được yêu cầu về bài kiểm tra.")

    def __init__(self, message: str | None = None, field: str | None = None):
        super().__init__(str(message or self.message))
        self.field = field


class QuizNotFound(QuizError):
    message = _l("Không tìm thấy bài kiểm tra.")


class AttemptNotFound(QuizError):
    message = _l("Không tìm thấy lượt làm bài.")


class AttemptAlreadySubmitted(QuizError):
    message = _l("Lượt làm bài này đã được nộp.")


class InvalidAnswers(QuizError):
    message = _l("Câu trả lời không hợp lệ.")


class RetryTooSoon(QuizError):
    """A new attempt at a quiz sooner than the pause after the learner's last one."""

    def __init__(self, seconds_left: int):
        super().__init__(_("Bạn có thể làm lại bài này sau %(n)s giây.", n=seconds_left))
        self.seconds_left = seconds_left


@dataclass(frozen=True)
class ShownOption:
    id: int
    text: str


@dataclass(frozen=True)
class ShownQuestion:
    """A question as the learner sees it before grading: no correctness, no explanations."""

    id: int
    text: str
    kind: str
    options: tuple[ShownOption, ...]


# The statements of every quiz request are built once: on SQLite, building a statement
# costs more than running it.
_ACTIVE_QUIZ = (
    select(Quiz)
    .join(Module, Module.id == Quiz.module_id)
    .join(Course, Course.id == Module.course_id)
    .where(Quiz.id == bindparam("quiz_id"), Module.retired.is_(False), Course.retired.is_(False))
)
_OPEN_ATTEMPT = (
    select(QuizAttempt)
    .where(QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.quiz_id == bindparam("quiz_id"))
    .where(QuizAttempt.submitted_at.is_(None))
    .order_by(QuizAttempt.id.desc())
    .limit(1)
)
attempt_by_id = ById(QuizAttempt)
quiz_by_id = ById(Quiz)
_ATTEMPTS = QuizAttempt.__table__
# The row every quiz page writes, without a unit-of-work flush (a third of the cost).
_NEW_ATTEMPT = insert(_ATTEMPTS)
# Only one submit may win, even when two arrive at once: the row is written only while it
# is still unsubmitted, and the loser sees no row change. A table statement: the session's
# copy of the attempt is expired after it, so the ORM has nothing to keep in step.
_GRADE_ONCE = (
    update(_ATTEMPTS)
    .where(_ATTEMPTS.c.id == bindparam("attempt_id"), _ATTEMPTS.c.submitted_at.is_(None))
    .values(
        answers=bindparam("graded_answers"),
        results=bindparam("graded_results"),
        score_percent=bindparam("graded_score"),
        passed=bindparam("graded_passed"),
        submitted_at=bindparam("graded_at"),
    )
)


def get_quiz(db: Session, quiz_id: int) -> Quiz:
    """The quiz of an active module of an active course."""
    quiz = db.scalar(_ACTIVE_QUIZ, {"quiz_id": quiz_id})
    if quiz is None:
        raise QuizNotFound()
    return quiz


def open_attempt(db: Session, user: User, quiz: Quiz) -> QuizAttempt | None:
    """The user's unsubmitted attempt at this quiz, if any (a reload shows the same questions)."""
    return db.scalar(_OPEN_ATTEMPT, {"user_id": user.id, "quiz_id": quiz.id})


_LAST_SUBMITTED = (
    select(func.max(QuizAttempt.submitted_at))
    .where(QuizAttempt.user_id == bindparam("user_id"), QuizAttempt.quiz_id == bindparam("quiz_id"))
    .where(QuizAttempt.submitted_at.is_not(None))
)
_PASSED_BEFORE = select(QuizAttempt.id).where(
    QuizAttempt.user_id == bindparam("user_id"),
    QuizAttempt.quiz_id == bindparam("quiz_id"),
    QuizAttempt.passed.is_(True),
)


def seconds_until_retry(db: Session, user: User | None, quiz: Quiz, pause_seconds: int) -> int:
    """How long the learner still waits before a new attempt at this quiz (0: now): a pause
    after each submitted attempt, so that answers cannot be tried out in quick succession."""
    if user is None or pause_seconds <= 0:
        return 0
    last = db.scalar(_LAST_SUBMITTED, {"user_id": user.id, "quiz_id": quiz.id})
    if last is None:
        return 0
    waited = (utcnow() - last).total_seconds()
    return max(0, math.ceil(pause_seconds - waited))


def check_retry(db: Session, user: User | None, quiz: Quiz, pause_seconds: int) -> None:
    """Raise RetryTooSoon while the pause after the learner's last attempt runs."""
    left = seconds_until_retry(db, user, quiz, pause_seconds)
    if left:
        raise RetryTooSoon(left)


def key_revealed(db: Session, attempt: QuizAttempt) -> bool:
    """The correct options are shown once the learner has passed the quiz (this attempt or
    an earlier one); before that, a result shows which answers were wrong and why."""
    if attempt.passed:
        return True
    found = db.scalar(
        _PASSED_BEFORE.limit(1), {"user_id": attempt.user_id, "quiz_id": attempt.quiz_id}
    )
    return found is not None


def learner_feedback(db: Session, attempt: QuizAttempt) -> list[dict]:
    """The attempt's graded results as the learner may see them (see grading.feedback)."""
    return feedback(attempt.results or [], key_revealed(db, attempt))


def start_attempt(db: Session, user: User, quiz: Quiz, rng: random.Random | None = None):
    """Draw the quiz's questions for the user and store the drawn layout."""
    bank = papers.paper(db, quiz).active_bank()
    layout = draw(bank, quiz.draw_count, rng or _system_random)
    row = {
        "quiz_id": quiz.id,
        "user_id": user.id,
        "layout": [shown.to_json() for shown in layout],
        "started_at": utcnow(),
    }
    if db.in_nested_transaction():  # a savepoint's rollback forgets only the rows it flushed
        attempt = QuizAttempt(**row)
        db.add(attempt)
        db.flush()
        return attempt
    written = db.execute(_NEW_ATTEMPT, row)
    # The row is written (the columns left out are SQL NULL); the session takes it as loaded,
    # every column known. A rollback expires it like any loaded row, and attempt_by_id then
    # reads it again (and finds nothing) rather than trusting it.
    unset = dict.fromkeys(("answers", "results", "score_percent", "passed", "submitted_at"))
    attempt = QuizAttempt(id=written.inserted_primary_key[0], **row, **unset)
    make_transient_to_detached(attempt)
    db.add(attempt)
    return attempt


def attempt_layout(attempt: QuizAttempt) -> list[DrawnQuestion]:
    return [DrawnQuestion.from_json(item) for item in attempt.layout]


def shown_questions(db: Session, attempt: QuizAttempt) -> list[ShownQuestion]:
    """The attempt's questions and options in the drawn order, without any answer key."""
    paper = papers.paper(db, quiz_by_id(db, attempt.quiz_id))
    shown = []
    for item in attempt_layout(attempt):
        question = paper.questions[item.question_id]
        options = tuple(ShownOption(i, paper.option_texts[i]) for i in item.option_ids)
        shown.append(ShownQuestion(question.id, question.text, question.kind, options))
    return shown


def get_attempt(db: Session, user: User | None, attempt_id: int) -> QuizAttempt:
    """The user's own attempt; anyone else's is reported as not found."""
    attempt = attempt_by_id(db, attempt_id) if user is not None else None
    if attempt is None or attempt.user_id != user.id:
        raise AttemptNotFound()
    return attempt


def check_answers(layout: list[DrawnQuestion], answers: Mapping[int, Sequence[int]]) -> None:
    """Refuse answers to questions the attempt did not show, or options it did not offer."""
    shown = {item.question_id: set(item.option_ids) for item in layout}
    for question_id, option_ids in answers.items():
        if question_id not in shown:
            raise InvalidAnswers(
                _("Câu hỏi %(id)s không có trong lượt làm bài này.", id=question_id),
                field=f"answers.{question_id}",
            )
        unknown = [i for i in option_ids if i not in shown[question_id]]
        if unknown:
            raise InvalidAnswers(
                _(
                    "Lựa chọn %(option)s không thuộc câu hỏi %(id)s.",
                    option=unknown[0],
                    id=question_id,
                ),
                field=f"answers.{question_id}",
            )


def submit_attempt(
    db: Session, user: User | None, attempt_id: int, answers: Mapping[int, Sequence[int]]
) -> QuizAttempt:
    """Grade the attempt once; passing completes the module (and maybe the course)."""
    attempt = get_attempt(db, user, attempt_id)
    if attempt.submitted_at is not None:
        raise AttemptAlreadySubmitted()
    layout = attempt_layout(attempt)
    check_answers(layout, answers)
    quiz = quiz_by_id(db, attempt.quiz_id)
    paper = papers.paper(db, quiz)
    result = grade(layout, paper.questions, answers, quiz.pass_percent)
    written = db.execute(
        _GRADE_ONCE,
        {
            "attempt_id": attempt.id,
            "graded_answers": {str(q): sorted(set(ids)) for q, ids in answers.items()},
            "graded_results": [item.to_json() for item in result.results],
            "graded_score": result.score_percent,
            "graded_passed": result.passed,
            "graded_at": utcnow(),
        },
    )
    if written.rowcount != 1:
        raise AttemptAlreadySubmitted()
    db.expire(attempt)
    _after_submit(db, user, paper, result.passed)
    return attempt


def _after_submit(db: Session, user: User, paper: papers.Paper, passed: bool) -> None:
    team_id = user.team_id if user.role in rollups.MEMBER_ROLES else None
    if team_id is None and not passed:
        return
    module = db.get(Module, paper.module_id)
    rollups.bump(db, team_id, module.course_id, quiz_attempts=1, quiz_passes=int(passed))
    if passed:
        finish_module(db, user, module)
        count_reached(db, user)  # a passed quiz is real activity
