"""The CPU one quiz round costs inside the application: open a quiz, then submit it.

No server and no network: Flask's test client drives the app in this process, on an SQLite
database prepared with the real content/, so the figure moves less with other work on the
machine than the throughput benchmarks do. Prints CPU time per round (best of the runs) and
the SQL statements and transactions of one round.

    python bench/quiz_round_cpu.py [--rounds 300] [--runs 3]
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
QUIZ_LINK = re.compile(r'href="/quizzes/(\d+)"')
FORM_ACTION = re.compile(r'<form method="post" action="/attempts/(\d+)">')
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
OPTION = re.compile(r'name="(q\d+)" value="(\d+)"')
COURSES = ("nguoi-dan", "thanh-vien", "can-bo")


def prepare_database() -> None:
    work = Path(tempfile.mkdtemp(prefix="quiz-round-"))
    os.environ.update(
        DATABASE_URL=f"sqlite:///{work / 'bench.sqlite3'}",
        SECRET_KEY="quiz-round-bench",
        LMS_CONTENT_DIR=str(ROOT / "content"),
        LMS_QUIZ_RETRY_SECONDS="0",  # rounds back to back: no pause between attempts
    )
    flask = [str(Path(sys.executable).parent / "flask"), "--app", "app", "lms"]
    for command in (["db", "upgrade"], ["content", "sync"]):
        subprocess.run([*flask, *command], cwd=ROOT, check=True, capture_output=True)


def quiz_round(client, quiz_id: int) -> None:
    page = client.get(f"/quizzes/{quiz_id}").text
    answers = {}
    for name, value in OPTION.findall(page):
        answers.setdefault(name, value)
    form = {"csrf_token": CSRF.search(page).group(1), **answers}
    response = client.post(f"/attempts/{FORM_ACTION.search(page).group(1)}", data=form)
    if response.status_code != 302:
        raise RuntimeError(f"quiz submit answered {response.status_code}")


def statements_of_one_round(app, client, quiz_id: int) -> tuple[int, int]:
    from sqlalchemy import event

    engine = app.extensions["lms.db"].engine
    seen = []

    def record(_connection, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        quiz_round(client, quiz_id)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    begins = sum(statement.startswith("BEGIN") for statement in seen)
    return len(seen) - begins, begins


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    prepare_database()
    sys.path.insert(0, str(ROOT))
    from lms import create_app

    app = create_app()
    client = app.test_client()
    quizzes = [
        int(i) for slug in COURSES for i in QUIZ_LINK.findall(client.get(f"/courses/{slug}").text)
    ]
    for n in range(30):  # warm: every quiz's paper, compiled statements, templates
        quiz_round(client, quizzes[n % len(quizzes)])
    best = None
    for _ in range(args.runs):
        began = time.process_time()
        for n in range(args.rounds):
            quiz_round(client, quizzes[n % len(quizzes)])
        per_round = (time.process_time() - began) / args.rounds
        best = per_round if best is None else min(best, per_round)
    statements, transactions = statements_of_one_round(app, client, quizzes[0])
    runs = f"best of {args.runs} runs of {args.rounds}"
    print(f"quiz round (open + submit): {best * 1000:.2f} ms CPU, {runs}")
    print(f"SQL per round: {statements} statements in {transactions} transactions")


if __name__ == "__main__":
    main()
