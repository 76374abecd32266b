"""Helpers for learner tests: the sample course, and answer keys read from the database."""

import itertools

from flask import g
from sqlalchemy import select

from lms.content.loader import load_content
from lms.content.sync import sync_courses
from lms.courses.models import Course, Module
from lms.quizzes.models import Option, Quiz, QuizAttempt
from tests.conftest import SAMPLE_CONTENT
from tests.pages_support import PageClient


def load_sample(db) -> Course:
    """Load tests/fixtures/content into the test database; returns the course "mau"."""
    specs, errors = load_content(SAMPLE_CONTENT)
    assert not errors, errors
    sync_courses(db, specs)
    return db.scalar(select(Course).where(Course.slug == "mau"))


def quiz_of(db, module_slug: str) -> Quiz:
    return db.scalar(select(Quiz).join(Module).where(Module.slug == module_slug))


def answer_key(db, attempt: QuizAttempt, right: bool = True) -> dict[int, list[int]]:
    """Answers to every drawn question: all correct, or all wrong."""
    answers = {}
    for item in attempt.layout:
        options = db.scalars(select(Option).where(Option.id.in_(item["option_ids"])))
        chosen = [o.id for o in options if o.correct == right]
        answers[item["question_id"]] = chosen[:1] if not right else chosen
    return answers


_addresses = itertools.count(1)


def api_client(app):
    """An API client (it sends the CSRF header on writes, see PageClient) with its own
    address, so that rate limits of other tests do not apply."""
    client = PageClient(app, app.response_class, use_cookies=True)
    n = next(_addresses)
    client.environ_base["REMOTE_ADDR"] = f"10.77.{n // 250}.{n % 250 + 1}"
    return client


def switch_person():
    """Forget who signed in: the tests share one application context (and so `g`)."""
    g.pop("_login_user", None)
