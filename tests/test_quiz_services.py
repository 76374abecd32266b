import random

import pytest
from sqlalchemy import inspect, select, text

from lms.certificates.models import Certificate
from lms.courses.models import CourseCompletion, ModuleCompletion
from lms.quizzes.models import Option
from lms.quizzes.services import (
    _OPEN_ATTEMPT,
    AttemptAlreadySubmitted,
    AttemptNotFound,
    InvalidAnswers,
    QuizNotFound,
    get_quiz,
    open_attempt,
    shown_questions,
    start_attempt,
    submit_attempt,
)
from lms.reports.models import TeamRollup
from tests.factories import make_team, make_user
from tests.learner_helpers import answer_key, load_sample, quiz_of


@pytest.fixture
def course(db):
    return load_sample(db)


def _completed_modules(db, user):
    return set(
        db.scalars(select(ModuleCompletion.module_id).where(ModuleCompletion.user_id == user.id))
    )


def test_start_stores_the_drawn_layout(db, course):
    quiz = quiz_of(db, "an-toan")
    attempt = start_attempt(db, make_user(db), quiz, random.Random(3))
    assert attempt.id is not None and attempt.submitted_at is None
    assert len(attempt.layout) == quiz.draw_count == 2
    bank = {q.id: q for q in quiz.questions}
    for item in attempt.layout:
        offered = sorted(o.id for o in bank[item["question_id"]].options)
        assert sorted(item["option_ids"]) == offered


def test_a_new_attempt_has_no_answers_or_results_in_the_database(db, course):
    attempt = start_attempt(db, make_user(db), quiz_of(db, "an-toan"))
    unset = db.scalar(
        text(
            "SELECT count(*) FROM quiz_attempts WHERE id = :id AND answers IS NULL"
            " AND results IS NULL AND submitted_at IS NULL AND score_percent IS NULL"
        ),
        {"id": attempt.id},
    )
    assert unset == 1
    assert (attempt.answers, attempt.results, attempt.passed) == (None, None, None)


def test_shown_questions_follow_the_layout_and_carry_no_key(db, course):
    attempt = start_attempt(db, make_user(db), quiz_of(db, "an-toan"), random.Random(5))
    shown = shown_questions(db, attempt)
    assert [q.id for q in shown] == [item["question_id"] for item in attempt.layout]
    assert [[o.id for o in q.options] for q in shown] == [i["option_ids"] for i in attempt.layout]
    assert {field for q in shown for field in vars(q)} == {"id", "text", "kind", "options"}
    assert {field for q in shown for o in q.options for field in vars(o)} == {"id", "text"}


def test_a_right_submission_passes_and_completes_the_module(db, course):
    user = make_user(db)
    quiz = quiz_of(db, "an-toan")
    attempt = start_attempt(db, user, quiz)

    submitted = submit_attempt(db, user, attempt.id, answer_key(db, attempt))

    assert submitted.passed is True and submitted.score_percent == 100
    assert submitted.submitted_at is not None
    assert [r["correct"] for r in submitted.results] == [True, True]
    assert all(r["explanation"] for r in submitted.results)
    assert set(submitted.answers) == {str(item["question_id"]) for item in attempt.layout}
    assert quiz.module_id in _completed_modules(db, user)


def test_wrong_and_unanswered_questions_fail_without_completing(db, course):
    user = make_user(db)
    attempt = start_attempt(db, user, quiz_of(db, "an-toan"))
    first = attempt.layout[0]["question_id"]
    wrong = {first: answer_key(db, attempt, right=False)[first]}

    submitted = submit_attempt(db, user, attempt.id, wrong)

    assert submitted.passed is False and submitted.score_percent == 0
    assert [r["chosen_option_ids"] for r in submitted.results][1] == []
    assert _completed_modules(db, user) == set()


def test_a_second_submit_is_refused(db, course):
    user = make_user(db)
    attempt = start_attempt(db, user, quiz_of(db, "an-toan"))
    submit_attempt(db, user, attempt.id, {})
    with pytest.raises(AttemptAlreadySubmitted):
        submit_attempt(db, user, attempt.id, answer_key(db, attempt))
    assert attempt.passed is False


def test_a_submit_that_lost_a_race_writes_nothing(db, course):
    user = make_user(db)
    attempt = start_attempt(db, user, quiz_of(db, "an-toan"))
    # Another request submits the same attempt after this one loaded it.
    db.execute(
        text(
            "UPDATE quiz_attempts SET submitted_at = started_at, score_percent = 0 WHERE id = :id"
        ),
        {"id": attempt.id},
    )
    assert attempt.submitted_at is None  # this request still holds the stale row

    with pytest.raises(AttemptAlreadySubmitted):
        submit_attempt(db, user, attempt.id, answer_key(db, attempt))

    db.refresh(attempt)
    assert attempt.score_percent == 0 and attempt.answers is None
    assert _completed_modules(db, user) == set()


def test_the_open_attempt_is_the_learners_latest_unsubmitted_one_at_that_quiz(db, course):
    user, other = make_user(db), make_user(db)
    quiz, elsewhere = quiz_of(db, "an-toan"), quiz_of(db, "bat-dau")
    submitted = start_attempt(db, user, quiz)
    submit_attempt(db, user, submitted.id, {})
    start_attempt(db, user, elsewhere)
    start_attempt(db, other, quiz)
    assert open_attempt(db, user, quiz) is None
    first, latest = start_attempt(db, user, quiz), start_attempt(db, user, quiz)
    assert open_attempt(db, user, quiz) is latest and first.id < latest.id


def test_the_open_attempt_is_found_through_the_learner_and_quiz_index(db, dialect):
    """Every quiz page asks for it: it must not read the learner's other attempts."""
    indexes = {
        ix["name"]: ix["column_names"] for ix in inspect(db.get_bind()).get_indexes("quiz_attempts")
    }
    assert indexes["ix_quiz_attempts_user_quiz"] == ["user_id", "quiz_id", "submitted_at"]
    if dialect == "sqlite":  # PostgreSQL's choice on a near-empty table says nothing
        query = _OPEN_ATTEMPT.params(user_id=1, quiz_id=1)
        compiled = query.compile(
            dialect=db.get_bind().dialect, compile_kwargs={"literal_binds": True}
        )
        plan = " ".join(row[-1] for row in db.execute(text(f"EXPLAIN QUERY PLAN {compiled}")))
        assert "ix_quiz_attempts_user_quiz (user_id=? AND quiz_id=? AND submitted_at=?)" in plan


def test_another_persons_attempt_is_not_found(db, course):
    owner, other = make_user(db), make_user(db)
    attempt = start_attempt(db, owner, quiz_of(db, "an-toan"))
    with pytest.raises(AttemptNotFound):
        submit_attempt(db, other, attempt.id, {})
    with pytest.raises(AttemptNotFound):
        submit_attempt(db, None, attempt.id, {})
    with pytest.raises(AttemptNotFound):
        submit_attempt(db, owner, attempt.id + 1000, {})


def test_answers_outside_the_attempt_are_refused_naming_the_question(db, course):
    user = make_user(db)
    attempt = start_attempt(db, user, quiz_of(db, "an-toan"))
    shown = {item["question_id"] for item in attempt.layout}
    other_quiz = quiz_of(db, "bat-dau")
    stranger = other_quiz.questions[0].id
    with pytest.raises(InvalidAnswers) as error:
        submit_attempt(db, user, attempt.id, {stranger: []})
    assert error.value.field == f"answers.{stranger}"
    first = attempt.layout[0]["question_id"]
    foreign_option = db.scalar(select(Option.id).where(Option.question_id == stranger))
    with pytest.raises(InvalidAnswers) as error:
        submit_attempt(db, user, attempt.id, {first: [foreign_option]})
    assert error.value.field == f"answers.{first}"
    assert stranger not in shown and attempt.submitted_at is None


def _pass(db, user, module_slug):
    attempt = start_attempt(db, user, quiz_of(db, module_slug))
    return submit_attempt(db, user, attempt.id, answer_key(db, attempt))


def test_passing_every_module_completes_the_course_with_a_certificate(db, course):
    user = make_user(db, full_name="Nguyễn Văn An")
    _pass(db, user, "bat-dau")
    assert db.scalar(select(CourseCompletion).where(CourseCompletion.user_id == user.id)) is None
    _pass(db, user, "an-toan")
    assert db.scalar(select(CourseCompletion.course_id).where(CourseCompletion.user_id == user.id))
    certificate = db.scalar(select(Certificate).where(Certificate.user_id == user.id))
    assert certificate.course_id == course.id and certificate.holder_name == "Nguyễn Văn An"


def test_a_guest_completes_the_course_but_gets_no_certificate(db, course):
    guest = make_user(db, role="guest", login=None)
    _pass(db, guest, "bat-dau")
    _pass(db, guest, "an-toan")
    assert db.scalar(select(CourseCompletion.course_id).where(CourseCompletion.user_id == guest.id))
    assert db.scalar(select(Certificate).where(Certificate.user_id == guest.id)) is None


def test_member_attempts_roll_up_to_the_team(db, course):
    team = make_team(db)
    member = make_user(db, role="member", team_id=team.id)
    citizen = make_user(db, role="citizen", team_id=team.id)
    attempt = start_attempt(db, member, quiz_of(db, "bat-dau"))
    submit_attempt(db, member, attempt.id, {})
    _pass(db, member, "bat-dau")
    _pass(db, citizen, "bat-dau")
    rollup = db.scalar(select(TeamRollup).where(TeamRollup.team_id == team.id))
    assert (rollup.quiz_attempts, rollup.quiz_passes) == (2, 1)


def test_a_retired_module_has_no_quiz_to_take(db, course):
    quiz = quiz_of(db, "an-toan")
    assert get_quiz(db, quiz.id) is quiz
    course.modules[1].retired = True
    db.flush()
    with pytest.raises(QuizNotFound):
        get_quiz(db, quiz.id)
