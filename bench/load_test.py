"""Bounded load test: concurrent learners read, answer and finish a course through gunicorn.

Every learner is a browser of its own (cookies, CSRF token) on 127.0.0.1: it fetches the
course, reads and marks every lesson, starts and answers every quiz, and checks its progress;
then it starts again as a new learner until --seconds have passed (a learner under way
finishes its course). At the end every accepted answer and marked lesson is looked for in
the database. Loopback only; the load stops at 60 seconds whatever happens.

    python bench/load_test.py [--learners 200] [--seconds 30] [--content DIR --course SLUG]
        [--database-url postgresql://...] [--write-docs]

By default the learners take the small sample course (tests/fixtures/content, "mau": three
lessons, two quizzes), so that each of them finishes within the time.

Without --database-url it makes a PostgreSQL database of its own on the local server
(TEST_DATABASE_URL's, or postgresql://<you>@127.0.0.1:5432/test), loads the content into it,
and drops it afterwards.
"""

import argparse
import http.client
import json
import math
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
MAX_SECONDS = 60
STEPS = ("start", "course", "read", "complete", "attempt", "answer", "progress")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def percentile(values: list[float], p: float) -> float:
    """The nearest-rank percentile (0 for no values)."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)] if ordered else 0.0


class Browser:
    """One learner's cookies and CSRF token over one keep-alive connection."""

    def __init__(self, port: int, timings, errors):
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.cookies: dict[str, str] = {}
        self.token = ""
        self.timings, self.errors = timings, errors

    def call(self, step: str, method: str, path: str, payload=None):
        headers = {"X-CSRFToken": self.token} if method != "GET" else {}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if payload is not None:
            body, headers["Content-Type"] = json.dumps(payload).encode(), "application/json"
        began = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            data = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.errors.append(f"{step} {path}: {error!r}")
            return None
        self.timings[step].append(time.perf_counter() - began)
        for header in response.headers.get_all("Set-Cookie") or ():
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status >= 400:
            self.errors.append(f"{step} {path}: {response.status} {data[:200]!r}")
            return None
        return json.loads(data) if data else {}


@dataclass
class Outcome:
    """What the learners did, as the server answered it."""

    timings: dict = field(default_factory=lambda: defaultdict(list))
    errors: list = field(default_factory=list)
    answers: dict = field(default_factory=dict)  # attempt id → answers sent
    # per learner: attempt ids, lessons marked, finished, lessons done as its progress said
    learners: list = field(default_factory=list)
    seconds: float = 0.0

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.timings.values()) + len(self.errors)


def learner_round(port: int, course: str, key: dict, outcome: Outcome, stop_at: float) -> None:
    """One new learner through the course, stopping between steps at the time cap; it
    always ends by asking for its progress."""
    browser = Browser(port, outcome.timings, outcome.errors)
    try:
        token = browser.call("start", "GET", "/api/v1/auth/csrf")
        outline = token and browser.call("course", "GET", f"/api/v1/courses/{course}")
        if not outline:
            return
        browser.token = token["csrf_token"]
        attempts, marked = [], 0
        for module in outline["modules"]:
            for lesson in module["lessons"]:
                if time.monotonic() >= stop_at:
                    break
                path = f"/api/v1/courses/{course}/modules/{module['slug']}/lessons/{lesson['slug']}"
                browser.call("read", "GET", path)
                marked += browser.call("complete", "POST", f"{path}/complete") is not None
            if module["quiz"] and time.monotonic() < stop_at:
                attempts.append(_answer(browser, module["quiz"]["id"], key, outcome))
        progress = browser.call("progress", "GET", "/api/v1/me/progress") or {"courses": []}
        mine = [c for c in progress["courses"] if c["slug"] == course]
        done = bool(mine and mine[0]["completed"])
        seen = mine[0]["lessons_done"] if mine else 0
        outcome.learners.append(([a for a in attempts if a], marked, done, seen))
    finally:
        browser.connection.close()


def _answer(browser: Browser, quiz_id: int, key: dict, outcome: Outcome) -> int | None:
    started = browser.call("attempt", "POST", f"/api/v1/quizzes/{quiz_id}/attempts")
    if not started:
        return None
    answers = {str(q["id"]): key[q["id"]] for q in started["questions"]}
    graded = browser.call(
        "answer", "POST", f"/api/v1/attempts/{started['attempt_id']}/submit", {"answers": answers}
    )
    if graded is None:
        return None
    outcome.answers[started["attempt_id"]] = answers
    return started["attempt_id"]


def run_learners(port: int, course: str, key: dict, learners: int, seconds: float) -> Outcome:
    """`learners` threads, each starting new learners until `seconds` have passed; a learner
    under way finishes the course unless the 60-second cap comes first."""
    seconds = min(seconds, MAX_SECONDS)
    outcome, began = Outcome(), time.monotonic()
    deadline, barrier = began + seconds, threading.Barrier(learners)

    def worker():  # new learners start until `seconds`; one in progress finishes its course
        barrier.wait()
        while time.monotonic() < deadline:
            learner_round(port, course, key, outcome, began + MAX_SECONDS)

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(learners)]
    for thread in threads:
        thread.start()
    for thread in threads:  # a round in progress may finish; nothing runs past the cap
        thread.join(timeout=max(0.0, began + MAX_SECONDS + 30 - time.monotonic()))
    outcome.seconds = time.monotonic() - began
    if any(thread.is_alive() for thread in threads):
        outcome.errors.append("learners still running after the time cap")
    return outcome


def answer_key(database_url: str, course: str) -> dict[int, list[int]]:
    """Each question's correct options, read from the database (the API never gives them)."""
    from sqlalchemy import select

    from lms.courses.models import Course, Module
    from lms.db import make_engine
    from lms.quizzes.models import Option, Question, Quiz

    engine = make_engine(database_url)
    with engine.connect() as connection:
        rows = connection.execute(
            select(Question.id, Option.id)
            .join(Option, Option.question_id == Question.id)
            .join(Quiz, Quiz.id == Question.quiz_id)
            .join(Module, Module.id == Quiz.module_id)
            .join(Course, Course.id == Module.course_id)
            .where(Course.slug == course, Option.correct.is_(True), Option.retired.is_(False))
        ).all()
    engine.dispose()
    key: dict[int, list[int]] = defaultdict(list)
    for question_id, option_id in rows:
        key[question_id].append(option_id)
    return dict(key)


def lost_answers(database_url: str, outcome: Outcome) -> list[str]:
    """Every answer the server accepted must be stored, graded, as sent; every learner who
    finished has its lessons and its course completion."""
    from sqlalchemy import func, select

    from lms.courses.models import CourseCompletion, LessonProgress
    from lms.db import make_engine
    from lms.quizzes.models import QuizAttempt

    lost, engine = [], make_engine(database_url)
    with engine.connect() as connection:
        stored = dict(
            connection.execute(
                select(QuizAttempt.id, QuizAttempt.answers).where(
                    QuizAttempt.id.in_(list(outcome.answers)), QuizAttempt.submitted_at.is_not(None)
                )
            ).all()
        )
        for attempt_id, sent in outcome.answers.items():
            expected = {q: sorted(set(ids)) for q, ids in sent.items()}
            if stored.get(attempt_id) != expected:
                lost.append(
                    f"attempt {attempt_id}: sent {expected}, stored {stored.get(attempt_id)}"
                )
        for attempts, marked, finished, seen in outcome.learners:
            if not attempts:  # no attempt to find the guest by: its own progress answer
                if seen != marked:
                    lost.append(f"a learner marked {marked} lessons, its progress shows {seen}")
                continue
            owner = connection.scalar(
                select(QuizAttempt.user_id).where(QuizAttempt.id == attempts[0])
            )
            lessons = connection.scalar(
                select(func.count())
                .select_from(LessonProgress)
                .where(LessonProgress.user_id == owner)
            )
            completed = connection.scalar(
                select(func.count())
                .select_from(CourseCompletion)
                .where(CourseCompletion.user_id == owner)
            )
            if lessons != marked or (finished and not completed):
                lost.append(f"learner {owner}: {marked} lessons marked, {lessons} stored")
    engine.dispose()
    return lost


def figures(outcome: Outcome, lost: list[str], learners: int) -> dict:
    steps = {
        step: {
            "requests": len(outcome.timings[step]),
            "p50": percentile(outcome.timings[step], 50) * 1000,
            "p95": percentile(outcome.timings[step], 95) * 1000,
            "p99": percentile(outcome.timings[step], 99) * 1000,
        }
        for step in STEPS
    }
    return {
        "learners": learners,
        "seconds": outcome.seconds,
        "requests": outcome.requests,
        "errors": len(outcome.errors),
        "first_errors": outcome.errors[:5],
        "throughput": outcome.requests / outcome.seconds if outcome.seconds else 0.0,
        "rounds": len(outcome.learners),
        "finished": sum(1 for _a, _m, done, _s in outcome.learners if done),
        "answers": len(outcome.answers),
        "lost": len(lost),
        "first_lost": lost[:5],
        "steps": steps,
    }


def start_gunicorn(env: dict, port: int, workers: int = 4) -> subprocess.Popen:
    """gunicorn on 127.0.0.1 with sync workers, as in production."""
    command = [
        str(Path(sys.executable).parent / "gunicorn"),
        "--workers", str(workers),
        "--bind", f"{HOST}:{port}",
        "--backlog", "2048",
        "--log-level", "warning",
        "app:app",
    ]  # fmt: skip
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_until_up(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on {HOST}:{port}")


def load_test(database_url: str, course: str, learners: int, seconds: float, workers=4) -> dict:
    """Start gunicorn on the database, run the learners, look for every answer."""
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "load-test"}
    env.pop("REDIS_URL", None)
    # Every simulated learner is a new guest from 127.0.0.1: the per-address limit on new
    # guests (meant for scripts) would stop the load at its first learners.
    env["LMS_GUEST_CREATION_LIMIT"] = "1000000 per minute"
    port = free_port()
    server = start_gunicorn(env, port, workers)
    try:
        wait_until_up(port)
        outcome = run_learners(port, course, answer_key(database_url, course), learners, seconds)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return figures(outcome, lost_answers(database_url, outcome), learners)


def _own_database(content: Path):
    """A fresh PostgreSQL database with the content loaded; returns (url, drop)."""
    from sqlalchemy import text

    from lms.db import make_engine

    base = (
        os.environ.get("TEST_DATABASE_URL")
        or f"postgresql://{os.environ.get('USER', 'root')}@{HOST}:5432/test"
    )
    base = base.split("?")[0]
    name = f"hocso_load_{uuid.uuid4().hex[:8]}"
    admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"CREATE DATABASE {name}"))
    url = base.rsplit("/", 1)[0] + f"/{name}"
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "load-test"}
    for args in (["db", "upgrade"], ["content", "sync", "--dir", str(content)]):
        flask = [str(Path(sys.executable).parent / "flask"), "--app", "app", "lms", *args]
        subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)

    def drop():
        with admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
        admin.dispose()

    return url, drop


MARK_START, MARK_END = "<!-- load-test:start -->", "<!-- load-test:end -->"


def report(result: dict, args) -> str:
    lines = [
        MARK_START,
        "## Load test",
        "",
        f"`python bench/load_test.py --learners {result['learners']} --seconds {args.seconds:g}"
        f" --content {_shown(args.content)} --course {args.course}`: gunicorn with "
        f"{args.workers} sync workers on 127.0.0.1, PostgreSQL, {os.cpu_count()} CPUs shared "
        "by server, database and load generator. Each learner (a guest with its own cookies "
        "and CSRF token) reads and marks every lesson of the course, answers every quiz and "
        "checks its progress, then starts again as a new learner; every accepted answer and "
        "marked lesson is then looked for in the database.",
        "",
        f"- {result['learners']} concurrent learners for {result['seconds']:.1f} s: "
        f"{result['requests']} requests, **{result['errors']} errors**, "
        f"{result['throughput']:.0f} requests/s",
        f"- {result['rounds']} learner rounds, {result['finished']} finished the course; "
        f"{result['answers']} answers submitted, **{result['lost']} lost**",
        "",
        "| Step | Requests | p50 ms | p95 ms | p99 ms |",
        "|---|---:|---:|---:|---:|",
    ]
    for step, row in result["steps"].items():
        times = " | ".join(f"{row[p]:.0f}" for p in ("p50", "p95", "p99"))
        lines.append(f"| {step} | {row['requests']} | {times} |")
    lines += ["", MARK_END]
    return "\n".join(lines)


def _shown(content: str) -> str:
    path = Path(content).resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else path.name


def write_docs(block: str) -> None:
    path = ROOT / "docs" / "performance.md"
    text = path.read_text()
    if MARK_START in text:
        head, rest = text.split(MARK_START, 1)
        text = head + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--learners", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--course", default="mau")
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--content", default=str(ROOT / "tests" / "fixtures" / "content"))
    parser.add_argument("--database-url", help="an existing database with the content loaded")
    parser.add_argument("--write-docs", action="store_true", help="update docs/performance.md")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    drop = None
    url = args.database_url
    if not url:
        url, drop = _own_database(Path(args.content))
    try:
        result = load_test(url, args.course, args.learners, args.seconds, args.workers)
    finally:
        if drop:
            drop()
    block = report(result, args)
    print(block)
    if result["first_errors"] or result["first_lost"]:
        print("errors:", *result["first_errors"], "lost:", *result["first_lost"], sep="\n  ")
    if args.write_docs:
        write_docs(block)
    sys.exit(1 if result["errors"] or result["lost"] else 0)


if __name__ == "__main__":
    main()
