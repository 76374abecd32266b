"""What schemathesis found in the API, kept as plain regressions."""

import pytest

from lms.limits import limiter
from tests.learner_helpers import api_client, load_sample, quiz_of


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


@pytest.mark.parametrize("key", ["¹", "٣", "9" * 5000, " 12a", "-1", "0"])
def test_an_answer_key_that_is_not_an_ascii_id_is_a_422_naming_it(app, db, key):
    load_sample(db)
    client = api_client(app)
    started = client.post(f"/api/v1/quizzes/{quiz_of(db, 'bat-dau').id}/attempts")
    attempt = started.get_json()["attempt_id"]
    answer = client.post(f"/api/v1/attempts/{attempt}/submit", json={"answers": {key: []}})
    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert answer.get_json()["error"]["field"] == f"answers.{key}"
