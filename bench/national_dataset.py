"""Generate a national dataset for the report benchmarks, into a database of its own.

34 provinces and 3,321 communes (the official list), 75,000 teams, 350,000 members and
2,000,000 citizens with progress in every track: course completions for all, lesson
progress and quiz attempts for members, and lesson progress for a sample of citizens.
Only the columns the reports need are filled. Rows go in with COPY on PostgreSQL and
executemany on SQLite, inside one transaction; then the roll-ups are rebuilt.

    python bench/national_dataset.py --database-url postgresql://root@127.0.0.1:5432/hocso_bench
    python bench/national_dataset.py --database-url sqlite:///bench.sqlite3 [--scale 0.1]

The database is dropped and created again (PostgreSQL) or its file replaced (SQLite).
"""

import argparse
import json
import random
import time
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select, text

from lms import create_app, migrate
from lms.content.loader import load_content
from lms.content.sync import sync_courses
from lms.courses.models import Course
from lms.db import make_engine, session, utcnow
from lms.reports.rollups import rebuild_rollups
from lms.units.models import Unit
from lms.units.services import import_units, official_unit_rows

ROOT = Path(__file__).resolve().parent.parent
TEAMS, MEMBERS, CITIZENS = 75_000, 350_000, 2_000_000
TABLE_COLUMNS = {
    "teams": ("id", "code", "name", "commune_id", "invite_code"),
    "users": (
        "id",
        "phone",
        "full_name",
        "role",
        "team_id",
        "referred_by_team_id",
        "session_version",
        "created_at",
    ),
    "lesson_progress": ("user_id", "lesson_id", "completed_at"),
    "course_completions": ("user_id", "course_id", "completed_at"),
    "quiz_attempts": (
        "quiz_id",
        "user_id",
        "layout",
        "score_percent",
        "passed",
        "started_at",
        "submitted_at",
    ),
}


def reset_database(url: str) -> None:
    """Drop and create the PostgreSQL database, or remove the SQLite file."""
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    server, name = url.rsplit("/", 1)
    engine = make_engine(f"{server}/postgres")
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()


class Loader:
    """Bulk rows into one open transaction: COPY on PostgreSQL, executemany on SQLite."""

    def __init__(self, connection, postgres: bool):
        self.connection, self.postgres = connection, postgres
        self.cursor = connection.cursor()

    def value(self, cell):
        if isinstance(cell, datetime) and not self.postgres:
            return cell.strftime("%Y-%m-%d %H:%M:%S.%f")
        return cell

    def load(self, table: str, rows) -> int:
        columns = TABLE_COLUMNS[table]
        count = 0
        if self.postgres:
            with self.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
                    count += 1
            return count
        marks = ", ".join("?" for _ in columns)
        statement = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})"
        batch = []
        for row in rows:
            batch.append(tuple(self.value(cell) for cell in row))
            if len(batch) == 50_000:
                self.cursor.executemany(statement, batch)
                count, batch = count + len(batch), []
        if batch:
            self.cursor.executemany(statement, batch)
            count += len(batch)
        return count

    def fix_sequences(self) -> None:
        if self.postgres:
            for table in TABLE_COLUMNS:
                self.cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {table}))"
                )


def _teams(communes: list[int], count: int):
    for number in range(count):
        commune = communes[number * len(communes) // count]
        yield (
            number + 1,
            f"B{number + 1:06d}",
            f"Thôn {number % 40 + 1}",
            commune,
            f"I{number:07X}",
        )


def _people(teams: int, members: int, citizens: int, now: datetime, rng: random.Random):
    for number in range(1, members + 1):
        team = (number - 1) % teams + 1
        role = "team_leader" if number <= teams else "member"
        yield (number, f"09{number:08d}", f"Thành viên {number}", role, team, None, 1, now)
    for number in range(members + 1, members + citizens + 1):
        referred = rng.randint(1, teams) if rng.random() < 0.3 else None
        yield (number, None, f"Người dân {number}", "citizen", None, referred, 1, now)


class Progress:
    """The progress rows of every person, drawn once and fed to each table's load."""

    def __init__(self, tracks: dict, members: int, citizens: int, now: datetime, seed: int):
        self.tracks, self.members, self.citizens, self.now = tracks, members, citizens, now
        self.seed = seed

    def _when(self, rng: random.Random) -> datetime:
        return self.now - timedelta(days=rng.random() * 60)

    def _member_plans(self):
        rng = random.Random(self.seed)
        for user in range(1, self.members + 1):
            draw = rng.random()
            level = 0 if draw < 0.3 else (2 if draw >= 0.65 else 1)
            yield user, level, rng

    def lessons(self):
        member, citizen = self.tracks["member"], self.tracks["citizen"]
        for user, level, rng in self._member_plans():
            for lesson in member["lessons"][: (0, rng.randint(1, 3), 3)[level]]:
                yield (user, lesson, self._when(rng))
        rng = random.Random(self.seed + 1)
        for user in range(self.members + 1, self.members + self.citizens + 1):
            if rng.random() < 0.1:
                for lesson in citizen["lessons"][:2]:
                    yield (user, lesson, self._when(rng))

    def completions(self):
        for user, level, rng in self._member_plans():
            if level == 2:
                yield (user, self.tracks["member"]["course"], self._when(rng))
        rng = random.Random(self.seed + 2)
        citizen, official = self.tracks["citizen"]["course"], self.tracks["official"]["course"]
        for user in range(self.members + 1, self.members + self.citizens + 1):
            if rng.random() < 0.2:
                yield (user, citizen, self._when(rng))
            if rng.random() < 0.01:
                yield (user, official, self._when(rng))

    def attempts(self):
        quiz = self.tracks["member"]["quiz"]
        for user, level, rng in self._member_plans():
            if level and quiz:
                passed = level == 2 or rng.random() < 0.5
                at = self._when(rng)
                yield (quiz, user, "[]", 100 if passed else 40, passed, at, at)


def _tracks(db) -> dict:
    """For each track's course: its id, lesson ids in order, and its first quiz."""
    from lms.quizzes.models import Quiz

    found = {}
    for course in db.scalars(select(Course).where(Course.retired.is_(False))):
        modules = [m for m in course.modules if not m.retired]
        lessons = [lesson.id for m in modules for lesson in m.lessons if not lesson.retired]
        quiz = db.scalar(select(Quiz.id).where(Quiz.module_id.in_([m.id for m in modules])))
        found.setdefault(course.track, {"course": course.id, "lessons": lessons, "quiz": quiz})
    return found


def generate(url: str, scale: float = 1.0, seed: int = 2025) -> dict[str, float]:
    """Build the dataset; returns the seconds each phase took."""
    timings, started = {}, time.perf_counter()
    reset_database(url)
    app = create_app({"DATABASE_URL": url, "CONTENT_DIR": str(ROOT / "content")})
    migrate.upgrade(app.extensions["lms.db"].engine)
    timings["schema"] = time.perf_counter() - started
    with app.app_context():
        db = session()
        import_units(db, official_unit_rows())
        specs, errors = load_content(ROOT / "content")
        assert not errors, errors
        sync_courses(db, specs)
        db.commit()
        timings["units and courses"] = time.perf_counter() - started - sum(timings.values())
        counts = _bulk(db, scale, seed)
        timings["bulk rows"] = time.perf_counter() - started - sum(timings.values())
        rebuild_rollups(db)
        db.commit()
        timings["rebuild_rollups"] = time.perf_counter() - started - sum(timings.values())
        if url.startswith("postgresql"):
            db.connection().exec_driver_sql("ANALYZE")
            db.commit()
    timings["total"] = time.perf_counter() - started
    return timings | {f"rows: {name}": n for name, n in counts.items()}


def _bulk(db, scale: float, seed: int) -> dict[str, int]:
    teams, members, citizens = (int(n * scale) for n in (TEAMS, MEMBERS, CITIZENS))
    communes = db.scalars(select(Unit.id).where(Unit.level == "commune").order_by(Unit.code)).all()
    tracks, now = _tracks(db), utcnow()
    progress = Progress(tracks, members, citizens, now, seed)
    connection = db.connection().connection.driver_connection
    loader = Loader(connection, postgres=db.bind.dialect.name == "postgresql")
    counts = {
        "teams": loader.load("teams", _teams(communes, teams)),
        "users": loader.load("users", _people(teams, members, citizens, now, random.Random(seed))),
        "lesson_progress": loader.load("lesson_progress", progress.lessons()),
        "course_completions": loader.load("course_completions", progress.completions()),
        "quiz_attempts": loader.load("quiz_attempts", progress.attempts()),
    }
    loader.fix_sequences()
    db.commit()
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--scale", type=float, default=1.0, help="1.0 is the national size")
    args = parser.parse_args()
    for name, value in generate(args.database_url, args.scale).items():
        shown = f"{value:.1f} s" if isinstance(value, float) else f"{value:,}"
        print(f"{name:24} {shown}")
    print(json.dumps({"database": args.database_url.split("@")[-1], "scale": args.scale}))


if __name__ == "__main__":
    main()
