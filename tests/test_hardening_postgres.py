"""Concurrency and faults on PostgreSQL, with real commits on a database of their own (not the
savepoint fixture): one attempt submitted 50 times at once is graded once; a gunicorn worker
killed mid-request loses no committed progress; 200 learners at once lose no answer.

Concurrent completions issuing one certificate are tested in test_certificates_concurrency.py.
"""

import json
import os
import signal
import socket
import threading
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.orm import sessionmaker

from bench.load_test import free_port, load_test, start_gunicorn, wait_until_up
from lms import create_app, migrate
from lms.courses.models import Lesson, LessonProgress, Module
from lms.db import make_engine
from lms.quizzes.models import Option, QuizAttempt
from lms.reports.models import TeamRollup
from tests.conftest import SAMPLE_CONTENT

pytestmark = pytest.mark.postgres_only
SUBMITTERS = 50


@pytest.fixture(scope="module")
def live(database_url, tmp_path_factory):
    """A PostgreSQL database of this module's own, migrated, with the sample course."""
    base = database_url.split("?")[0]
    name = f"hocso_hard_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "hardening",
            "DATABASE_URL": url,
            "CONTENT_DIR": str(SAMPLE_CONTENT),
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("live-instance"))
    migrate.upgrade(app.extensions["lms.db"].engine)
    result = app.test_cli_runner().invoke(args=["lms", "content", "sync"])
    assert result.exit_code == 0, result.output
    yield app, url
    app.extensions["lms.db"].engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
    admin.dispose()


def _one_connection_each(app, url: str) -> None:
    """Room for every thread's own connection (the default pool holds 15)."""
    database = app.extensions["lms.db"]
    database.engine.dispose()
    database.engine = create_engine(
        url.replace("postgresql://", "postgresql+psycopg://", 1),
        pool_size=SUBMITTERS + 5,
        max_overflow=0,
    )
    database.sessionmaker = sessionmaker(bind=database.engine, expire_on_commit=False)


def _visitor(app):
    client = app.test_client()
    token = client.get("/api/v1/auth/csrf").get_json()["csrf_token"]
    return client, {"X-CSRFToken": token}


def _cookies(client) -> dict:
    return {name: client.get_cookie(name).value for name in ("session", "hs_guest")}


def _right_answers(engine, attempt_id: int) -> dict:
    with engine.connect() as connection:
        layout = connection.scalar(select(QuizAttempt.layout).where(QuizAttempt.id == attempt_id))
        answers = {}
        for item in layout:
            rows = connection.scalars(
                select(Option.id).where(Option.id.in_(item["option_ids"]), Option.correct)
            )
            answers[str(item["question_id"])] = list(rows)
    return answers


def test_fifty_concurrent_submissions_grade_an_attempt_once(live):
    app, url = live
    _one_connection_each(app, url)
    engine = app.extensions["lms.db"].engine
    owner, headers = _visitor(app)
    quiz_id = owner.get("/api/v1/courses/mau").get_json()["modules"][0]["quiz"]["id"]
    started = owner.post(f"/api/v1/quizzes/{quiz_id}/attempts", headers=headers)
    attempt_id = started.get_json()["attempt_id"]
    body = {"answers": _right_answers(engine, attempt_id)}
    clients = []
    for _ in range(SUBMITTERS):  # the same learner in 50 tabs
        client = app.test_client()
        for name, value in _cookies(owner).items():
            client.set_cookie(name, value)
        clients.append(client)
    barrier, answers = threading.Barrier(SUBMITTERS), []

    def submit(client):
        barrier.wait()
        response = client.post(f"/api/v1/attempts/{attempt_id}/submit", json=body, headers=headers)
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    statuses = sorted(status for status, _ in answers)
    assert statuses == [200] + [409] * (SUBMITTERS - 1)
    assert {b["error"]["code"] for s, b in answers if s == 409} == {"attempt_already_submitted"}
    [winner] = [b for s, b in answers if s == 200]
    with engine.connect() as connection:
        stored = connection.execute(
            select(QuizAttempt.answers, QuizAttempt.score_percent, QuizAttempt.passed).where(
                QuizAttempt.id == attempt_id
            )
        ).one()
        rollup_attempts = connection.scalar(select(func.sum(TeamRollup.quiz_attempts)))
    assert (stored.score_percent, stored.passed) == (winner["score_percent"], True) == (100, True)
    assert stored.answers == {q: sorted(ids) for q, ids in body["answers"].items()}
    assert not rollup_attempts  # a guest counts for no team, and nothing counted twice
    again = clients[0].post(f"/api/v1/attempts/{attempt_id}/submit", json=body, headers=headers)
    assert again.status_code == 409


def _worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                pids.append(int(entry.name))
    return pids


def _wait_for_workers(master: int, besides: set[int], seconds: float = 30) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        fresh = [pid for pid in _worker_pids(master) if pid not in besides]
        if fresh:
            return fresh
        time.sleep(0.1)
    raise AssertionError("gunicorn started no worker")


class Learner:
    """A browser on loopback: cookies and the CSRF token, one request per connection."""

    def __init__(self, port: int):
        self.port, self.cookies, self.token = port, {}, ""

    def call(self, method: str, path: str, payload=None) -> tuple[int, dict]:
        import http.client
        from http.cookies import SimpleCookie

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"X-CSRFToken": self.token, "Content-Type": "application/json"}
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = json.dumps(payload).encode() if payload is not None else None
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header in response.headers.get_all("Set-Cookie") or ():
            self.cookies.update({k: m.value for k, m in SimpleCookie(header).items()})
        connection.close()
        return response.status, (json.loads(data) if data else {})


def _slow_submit(port: int, learner: Learner, attempt_id: int) -> socket.socket:
    """A submit whose body arrives slowly: the worker waits inside the request for the rest."""
    body = json.dumps({"answers": {}}).encode() + b" " * 200
    cookies = "; ".join(f"{k}={v}" for k, v in learner.cookies.items())
    head = (
        f"POST /api/v1/attempts/{attempt_id}/submit HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        f"X-CSRFToken: {learner.token}\r\nCookie: {cookies}\r\n\r\n"
    ).encode()
    slow = socket.create_connection(("127.0.0.1", port), timeout=30)
    slow.sendall(head + body[:10])
    return slow


def test_a_killed_worker_loses_no_committed_progress(live):
    app, url = live
    port = free_port()
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "hardening"}
    env.pop("REDIS_URL", None)
    server = start_gunicorn(env, port, workers=1)
    try:
        wait_until_up(port)
        learner = Learner(port)
        learner.token = learner.call("GET", "/api/v1/auth/csrf")[1]["csrf_token"]
        outline = learner.call("GET", "/api/v1/courses/mau")[1]
        first = outline["modules"][0]
        for lesson in first["lessons"]:
            path = f"/api/v1/courses/mau/modules/{first['slug']}/lessons/{lesson['slug']}/complete"
            assert learner.call("POST", path)[0] == 200  # committed before the answer
        status, started = learner.call("POST", f"/api/v1/quizzes/{first['quiz']['id']}/attempts")
        assert status == 201
        [worker] = _worker_pids(server.pid)
        slow = _slow_submit(port, learner, started["attempt_id"])
        time.sleep(1.0)  # the only worker is now inside the request, reading its body

        os.kill(worker, signal.SIGKILL)
        assert slow.recv(1024) == b""  # the connection died with the worker
        slow.close()
        _wait_for_workers(server.pid, {worker})
        wait_until_up(port)

        progress = learner.call("GET", "/api/v1/me/progress")[1]["courses"]
        assert [c["lessons_done"] for c in progress if c["slug"] == "mau"] == [2]
    finally:
        server.terminate()
        server.wait(timeout=30)
    engine = app.extensions["lms.db"].engine
    with engine.connect() as connection:
        attempt = connection.execute(
            select(QuizAttempt.user_id, QuizAttempt.submitted_at).where(
                QuizAttempt.id == started["attempt_id"]
            )
        ).one()
        done = connection.scalar(
            select(func.count())
            .select_from(LessonProgress)
            .join(Lesson)
            .join(Module)
            .where(Module.slug == first["slug"], LessonProgress.user_id == attempt.user_id)
        )
    assert (done, attempt.submitted_at) == (2, None)  # the killed request wrote nothing


def test_two_hundred_learners_at_once_lose_no_answer(live):
    _app, url = live
    result = load_test(url, "mau", learners=200, seconds=15)
    assert result["errors"] == 0, result["first_errors"]
    assert result["lost"] == 0, result["first_lost"]
    assert result["finished"] >= 200 and result["answers"] >= 400
    assert result["requests"] >= 2000
