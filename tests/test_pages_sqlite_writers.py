"""Concurrent writing requests on one SQLite file: they queue instead of failing."""

import threading

import pytest
from sqlalchemy import text

from lms import create_app
from lms.db import session
from lms.sqlite_writers import will_write


@pytest.fixture
def sqlite_app(tmp_path):
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path / 'writers.sqlite3'}", "SECRET_KEY": "x"}
    )
    with app.app_context():
        db = session()
        db.execute(text("CREATE TABLE counter (n INTEGER NOT NULL)"))
        db.execute(text("INSERT INTO counter VALUES (0)"))
        db.commit()
    return app


def _increment(app, method: str, errors: list, rounds: int = 25) -> None:
    """Read the counter, then write it back plus one: a stale snapshot would fail or lose."""
    for _ in range(rounds):
        with app.test_request_context(method=method):
            if method == "GET":
                will_write()
            db = session()
            try:
                value = db.execute(text("SELECT n FROM counter")).scalar_one()
                db.execute(text("UPDATE counter SET n = :n"), {"n": value + 1})
                db.commit()
            except Exception as error:
                errors.append(error)
            finally:
                db.close()


@pytest.mark.parametrize("method", ["POST", "GET"])
def test_read_then_write_requests_queue_and_lose_nothing(sqlite_app, method):
    errors: list = []
    threads = [
        threading.Thread(target=_increment, args=(sqlite_app, method, errors)) for _ in range(6)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with sqlite_app.app_context():
        assert session().execute(text("SELECT n FROM counter")).scalar_one() == 150


def test_a_reading_request_does_not_wait_for_a_writer(sqlite_app):
    with sqlite_app.test_request_context(method="POST"):
        writer = session()
        writer.execute(text("UPDATE counter SET n = 7"))
        read = {}

        def reader():
            with sqlite_app.test_request_context(method="GET"):
                read["n"] = session().execute(text("SELECT n FROM counter")).scalar_one()
                session().close()

        thread = threading.Thread(target=reader)
        thread.start()
        thread.join(timeout=5)
        assert read == {"n": 0}
        writer.commit()
