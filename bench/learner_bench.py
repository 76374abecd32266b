"""Learner pages under load: lesson pages and quiz submits through gunicorn, against a bare page.

Both servers run gunicorn with 2 sync workers on 127.0.0.1: the application on an SQLite
database prepared with the real content/, and a bare Flask app rendering a Jinja page of the
lesson page's size. The load generator is bounded (a request cap and a time limit per run)
and only talks to loopback. Figures are printed and written to docs/performance.md.

    python bench/learner_bench.py [--clients 16] [--seconds 8] [--max-requests 20000]
"""

import argparse
import gzip
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from loadgen import BoundedLoad, Client, free_port, percentile

ROOT = Path(__file__).resolve().parent.parent
PYTHON = Path(sys.executable)
MARK_START, MARK_END = "<!-- learner-bench:start -->", "<!-- learner-bench:end -->"
FORM_ACTION = re.compile(r'<form method="post" action="/attempts/(\d+)">')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OPTION = re.compile(r'name="(q\d+)" value="(\d+)"')
LESSONS_PER_QUIZ = 3
WARM_PASSES = 8  # after 8 passes, a page one of the two workers has not rendered: 1 in 128


def flask(env: dict, *args: str) -> str:
    command = [str(PYTHON.parent / "flask"), "--app", "app", "lms", *args]
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return done.stdout.strip()


def gunicorn(env: dict, target: str, port: int) -> subprocess.Popen:
    command = [
        str(PYTHON.parent / "gunicorn"),
        "--workers",
        "2",
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        "--log-level",
        "warning",
        target,
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_until_up(port: int, path: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Client(port).get(path).status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing answered on 127.0.0.1:{port}{path}")


def lesson_paths(env: dict) -> list[str]:
    script = (
        "from sqlalchemy import select\n"
        "from lms import create_app\nfrom lms.db import session\n"
        "from lms.courses.models import Course, Module, Lesson\n"
        "with create_app().app_context():\n"
        "    rows = session().execute(select(Course.slug, Module.slug, Lesson.slug)"
        ".join(Module, Module.course_id == Course.id).join(Lesson, Lesson.module_id == Module.id)"
        ".where(Lesson.retired.is_(False))).all()\n"
        "    print('\\n'.join(f'/courses/{c}/modules/{m}/lessons/{x}' for c, m, x in rows))\n"
    )
    done = subprocess.run(
        [str(PYTHON), "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout.split()


def quiz_ids(port: int, course_slugs: list[str]) -> list[int]:
    ids = []
    for slug in course_slugs:
        ids += [
            int(i)
            for i in re.findall(r'href="/quizzes/(\d+)"', Client(port).get(f"/courses/{slug}").text)
        ]
    return ids


def page_weight(port: int, paths: list[str]) -> dict:
    """Gzip sizes (bytes) of lesson HTML, the stylesheet, and the heaviest lesson with it."""
    client = Client(port)
    sizes = sorted(len(gzip.compress(client.get(path).body)) for path in paths)
    css_path = re.search(r'rel="stylesheet" href="([^"]+)"', client.get(paths[0]).text).group(1)
    css = len(gzip.compress(client.get(css_path).body))
    return {
        "html_median": sizes[len(sizes) // 2],
        "html_max": sizes[-1],
        "css": css,
        "total_max": sizes[-1] + css,
    }


def warm_every_lesson(load: BoundedLoad, port: int, paths: list[str]) -> None:
    """Request every lesson WARM_PASSES times before the clock starts, so that each worker
    has rendered nearly every page once (a page's first render in a worker draws its QR
    code, some 20 ms): the figures are those of a running server, not of one just started."""
    load.repeat(
        port, lambda client, n: client.timed_get(paths[n % len(paths)]), len(paths) * WARM_PASSES
    )


def quiz_round(client: Client, quiz_id: int, pause: float = 0.0):
    """One learner's round: open the quiz (starts an attempt), then submit; times the submit."""
    page = client.get(f"/quizzes/{quiz_id}")
    time.sleep(pause)
    attempt = FORM_ACTION.search(page.text).group(1)
    answers = {}
    for name, value in OPTION.findall(page.text):
        answers.setdefault(name, value)
    form = {"csrf_token": CSRF.search(page.text).group(1), **answers}
    began = time.perf_counter()
    response = client.post(f"/attempts/{attempt}", form)
    elapsed = time.perf_counter() - began
    if response.status != 302:
        raise RuntimeError(f"quiz submit answered {response.status}")
    return elapsed


def learner_round(client: Client, paths, quizzes, n: int, pause: float = 0.0) -> float:
    """A returning learner reads three lessons, then takes a quiz; times the submit."""
    for k in range(LESSONS_PER_QUIZ):
        response = client.get(paths[(n * LESSONS_PER_QUIZ + k) % len(paths)])
        if response.status != 200:
            raise RuntimeError(f"lesson answered {response.status}")
        time.sleep(pause)
    return quiz_round(client, quizzes[n % len(quizzes)], pause)


def submit_scenarios(args, paths, quizzes) -> dict:
    """Ways 16 clients submit quizzes: back to back, among lesson reads, and paced."""
    return {
        "quiz rounds back to back (open quiz, submit)": lambda client, n: quiz_round(
            client, quizzes[n % len(quizzes)]
        ),
        "learner mix back to back (3 lessons, open quiz, submit)": lambda client, n: learner_round(
            client, paths, quizzes, n
        ),
        f"learner mix paced ({args.pause:g} s between steps)": lambda client, n: learner_round(
            client, paths, quizzes, n, args.pause
        ),
    }


def _met(ok: bool) -> str:
    return "met" if ok else "not met"


def write_docs(figures: dict, args) -> None:
    path = ROOT / "docs" / "performance.md"
    lines = [
        MARK_START,
        "## Learner pages (`bench/learner_bench.py`)",
        "",
        f"gunicorn, 2 sync workers, 127.0.0.1, SQLite with the real content; "
        f"{args.clients} concurrent clients, {args.seconds} s per run (the bare and the lesson "
        f"page in six alternating turns; the ratio is the median over turns) "
        f"(at most {args.max_requests} requests); machine: {os.cpu_count()} cores.",
        "",
        "| Figure | Value | Target |",
        "| --- | --- | --- |",
        f"| Bare Jinja page of the same size | {figures['bare_rps']:.0f} req/s | |",
        f"| Lesson page | {figures['lesson_rps']:.0f} req/s "
        f"(p50 {figures['lesson_p50']:.1f} ms, p99 {figures['lesson_p99']:.1f} ms) | |",
        f"| Lesson / bare | {figures['ratio']:.2f} | ≥ 0.70 ({_met(figures['ratio'] >= 0.7)}) |",
        *(
            f"| Quiz submit, {name} | p99 {submit['p99']:.1f} ms (p50 {submit['p50']:.1f} ms, "
            f"{submit['count']} submits) | p99 < 50 ms ({_met(submit['p99'] < 50)}) |"
            for name, submit in figures["submits"].items()
        ),
        f"| Lesson page weight, gzip HTML + CSS (heaviest lesson) | "
        f"{figures['weight']['total_max'] / 1024:.1f} KB | ≤ 30 KB "
        f"({_met(figures['weight']['total_max'] <= 30 * 1024)}) |",
        f"| Lesson HTML gzip median / max; CSS gzip | {figures['weight']['html_median']} / "
        f"{figures['weight']['html_max']} / {figures['weight']['css']} bytes | |",
        "",
        "- Lesson page: first-time visitors (as shared links arrive), GETs spread over every "
        "lesson. Such a page is rendered once per worker and kept for `PAGE_CACHE_SECONDS`; "
        "only its CSRF token is made per request. Before the clock starts, every lesson is "
        "requested eight times, so that both workers have rendered nearly every page.",
        "- Quiz submit: every client is a returning guest with its cookies; the time is that of "
        "the POST that grades. Back to back, the clients keep both workers busy and every quiz "
        "start and submit writes; SQLite takes one writer at a time, so most of that time is "
        "queueing (latency ≈ clients × time per request ÷ workers). Paced, each client waits "
        "between steps, still far faster than a person reads or answers.",
        "- A round (open the quiz, submit it) runs eight statements in four short transactions; "
        "the question bank comes from the quiz's paper, kept per worker until a content sync "
        "(`lms/quizzes/papers.py`).",
        "- The machine is small (2 cores) and the load generator shares it with the servers; "
        "other work on the machine moves these figures a lot, so compare runs made together.",
        "",
        "Run: `.venv/bin/python bench/learner_bench.py`",
        MARK_END,
    ]
    block = "\n".join(lines)
    text = path.read_text() if path.exists() else "# Performance\n\n"
    if MARK_START in text:
        before, rest = text.split(MARK_START, 1)
        text = before + block + rest.split(MARK_END, 1)[1]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    path.write_text(text)


def run(args) -> dict:
    work = Path(tempfile.mkdtemp(prefix="learner-bench-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{work / 'bench.sqlite3'}",
        "SECRET_KEY": "learner-bench",
        "LMS_CONTENT_DIR": str(ROOT / "content"),
        "BARE_TEMPLATE": str(work / "page.html"),
        # Clients take the same quiz round after round: the pause a learner waits between
        # attempts (QUIZ_RETRY_SECONDS) would answer them 429 instead of grading.
        "LMS_QUIZ_RETRY_SECONDS": "0",
    }
    flask(env, "db", "upgrade")
    print(flask(env, "content", "sync"))
    paths = lesson_paths(env)
    app_port, bare_port = free_port(), free_port()
    servers = [gunicorn(env, "app:app", app_port)]
    try:
        wait_until_up(app_port, paths[0])
        figures = {"weight": page_weight(app_port, paths)}
        (work / "page.html").write_bytes(Client(app_port).get(paths[0]).body)
        servers.append(gunicorn(env, "bench.bare_page:app", bare_port))
        wait_until_up(bare_port, "/page")
        load = BoundedLoad(args.clients, args.seconds, args.max_requests)
        warm_every_lesson(load, app_port, paths)
        bare, lesson, ratio = load.alternate(
            (bare_port, lambda client, n: client.timed_get("/page")),
            (app_port, lambda client, n: client.timed_get(paths[n % len(paths)])),
        )
        quizzes = quiz_ids(app_port, ["nguoi-dan", "thanh-vien", "can-bo"])
        submits = {
            name: load.run(app_port, action, keep_cookies=True)
            for name, action in submit_scenarios(args, paths, quizzes).items()
        }
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
    figures.update(
        bare_rps=bare.rate,
        lesson_rps=lesson.rate,
        ratio=ratio,
        lesson_p50=percentile(lesson.latencies, 50) * 1000,
        lesson_p99=percentile(lesson.latencies, 99) * 1000,
        submits={
            name: {
                "p50": percentile(result.latencies, 50) * 1000,
                "p99": percentile(result.latencies, 99) * 1000,
                "count": len(result.latencies),
            }
            for name, result in submits.items()
        },
    )
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=8)
    parser.add_argument("--max-requests", type=int, default=20000)
    parser.add_argument("--pause", type=float, default=0.25, help="seconds between paced steps")
    args = parser.parse_args()
    figures = run(args)
    weight = figures["weight"]
    print(f"bare page:    {figures['bare_rps']:.0f} req/s")
    print(
        f"lesson page:  {figures['lesson_rps']:.0f} req/s  p50 {figures['lesson_p50']:.1f} ms  "
        f"p99 {figures['lesson_p99']:.1f} ms  ratio {figures['ratio']:.2f} (target >= 0.70)"
    )
    for name, submit in figures["submits"].items():
        print(
            f"quiz submit:  p50 {submit['p50']:.1f} ms  p99 {submit['p99']:.1f} ms over "
            f"{submit['count']} submits (target p99 < 50 ms); {name}"
        )
    print(
        f"page weight:  heaviest lesson {weight['html_max']} B + CSS {weight['css']} B gzip = "
        f"{weight['total_max'] / 1024:.1f} KB (target <= 30 KB)"
    )
    write_docs(figures, args)


if __name__ == "__main__":
    main()
