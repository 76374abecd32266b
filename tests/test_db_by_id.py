"""ById: Session.get's answers, with one prebuilt SELECT on a miss."""

from sqlalchemy import event

from lms.accounts.services import user_by_id
from lms.quizzes.services import attempt_by_id, start_attempt
from tests.factories import make_user
from tests.learner_helpers import load_sample, quiz_of


def _statements(db, action):
    seen = []

    def record(_connection, _cursor, statement, *_args):
        seen.append(statement)

    engine = db.get_bind()
    event.listen(engine, "before_cursor_execute", record)
    try:
        result = action()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return result, seen


def test_a_loaded_row_comes_from_the_identity_map_and_a_miss_runs_one_select(db):
    load_sample(db)
    learner = make_user(db)
    attempt = start_attempt(db, learner, quiz_of(db, "an-toan"))

    found, seen = _statements(db, lambda: attempt_by_id(db, attempt.id))
    assert found is attempt and seen == []

    db.expunge(learner)
    found, seen = _statements(db, lambda: user_by_id(db, learner.id))
    assert found.id == learner.id and found is not learner and len(seen) == 1
    assert "FROM users" in seen[0] and found is db.get(type(learner), learner.id)


def test_an_attempt_rolled_back_is_gone(db):
    load_sample(db)
    learner, quiz = make_user(db), quiz_of(db, "an-toan")
    db.commit()
    attempt_id = start_attempt(db, learner, quiz).id
    db.rollback()
    assert attempt_by_id(db, attempt_id) is None

    nested = db.begin_nested()
    attempt_id = start_attempt(db, learner, quiz).id
    nested.rollback()
    assert attempt_by_id(db, attempt_id) is None


def test_an_unknown_id_is_none(db):
    assert user_by_id(db, 987654) is None and attempt_by_id(db, 987654) is None
