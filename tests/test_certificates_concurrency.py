"""Concurrent completions: real transactions on separate connections, not the savepoint fixture.

Each thread issues in its own session and commits, as parallel requests do; the test
then finds exactly one certificate per learner and serials without gaps or repeats.
On PostgreSQL no attempt may fail. SQLite refuses a write from a transaction that read
before another one committed ("database is locked"); there the attempt is retried whole.
"""

import threading
from collections import Counter

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from lms.accounts.models import User
from lms.certificates.models import Certificate, SerialCounter
from lms.certificates.serials import parse_serial
from lms.certificates.services import issue_certificate
from lms.courses.models import Course

TRACK = "pilot"  # a track of its own: its counter starts at zero and is removed after
LEARNERS = 4
REQUESTS_EACH = 3


@pytest.fixture
def committed(app):
    """Learners and a course committed for real; everything is deleted afterwards."""
    engine = app.extensions["lms.db"].engine
    with Session(engine) as db:
        course = Course(slug="song-song", title="Khóa học song song", track=TRACK)
        users = [User(full_name=f"Học viên {n}", role="citizen") for n in range(LEARNERS)]
        db.add_all([course, *users])
        db.commit()
        ids = (course.id, [user.id for user in users])
    yield engine, ids
    with Session(engine) as db:
        db.execute(delete(Certificate).where(Certificate.course_id == ids[0]))
        db.execute(delete(SerialCounter).where(SerialCounter.track == TRACK))
        db.execute(delete(User).where(User.id.in_(ids[1])))
        db.execute(delete(Course).where(Course.id == ids[0]))
        db.commit()


def _complete(engine, course_id, user_id, barrier, serials, failures):
    barrier.wait()
    for attempt in range(20):
        try:
            with Session(engine) as db:
                certificate = issue_certificate(
                    db, db.get(User, user_id), db.get(Course, course_id)
                )
                db.commit()
                serials.append((user_id, certificate.serial))
                return
        except OperationalError as exc:  # SQLite only: "database is locked", as a request retries
            if engine.dialect.name != "sqlite" or attempt == 19:
                failures.append(exc)
                return
    failures.append("no attempt succeeded")


def test_parallel_completions_issue_one_certificate_each_without_gaps(committed):
    engine, (course_id, user_ids) = committed
    jobs = [uid for uid in user_ids for _ in range(REQUESTS_EACH)]
    barrier, serials, failures = threading.Barrier(len(jobs)), [], []
    threads = [
        threading.Thread(
            target=_complete, args=(engine, course_id, uid, barrier, serials, failures)
        )
        for uid in jobs
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    with Session(engine) as db:
        stored = db.execute(
            select(Certificate.user_id, Certificate.serial).where(
                Certificate.course_id == course_id
            )
        ).all()
        counter = db.scalar(select(SerialCounter.last_number).where(SerialCounter.track == TRACK))
    assert Counter(user for user, _ in stored) == {uid: 1 for uid in user_ids}
    numbers = sorted(parse_serial(serial)[2] for _, serial in stored)
    assert numbers == list(range(1, LEARNERS + 1))
    assert counter == LEARNERS
    # every request, first or late, was answered with its learner's one certificate
    assert sorted(serials) == sorted((uid, s) for uid, s in stored for _ in range(REQUESTS_EACH))
