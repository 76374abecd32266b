"""Fixtures: one migrated database per run (SQLite, or PostgreSQL with TEST_DATABASE_URL),
and a savepoint per test so that each test sees a clean database."""

import os
import secrets
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.orm import sessionmaker

from lms import create_app, migrate
from lms.db import make_engine, session
from lms.limits import limiter

# Every app in the tests counts rate limits in memory (limits are reset per test). The
# environment's Redis serves tests/test_security_redis.py alone, with keys of its own.
if os.environ.get("REDIS_URL"):
    os.environ.setdefault("TEST_REDIS_URL", os.environ.pop("REDIS_URL"))

FIXTURES = Path(__file__).parent / "fixtures"
SAMPLE_CONTENT = FIXTURES / "content"


def pytest_report_header(config):
    return f"database: {os.environ.get('TEST_DATABASE_URL') or 'SQLite (temporary file)'}"


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres_only run in the PostgreSQL pass; an SQLite run deselects them."""
    if os.environ.get("TEST_DATABASE_URL"):
        return
    deselected = [item for item in items if item.get_closest_marker("postgres_only")]
    if deselected:
        config.hook.pytest_deselected(items=deselected)
        items[:] = [item for item in items if not item.get_closest_marker("postgres_only")]


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """SQLite in a temporary file, or a fresh PostgreSQL schema of this run's own."""
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"
        return
    schema = f"test_{os.getpid()}_{secrets.token_hex(3)}"
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(f"CREATE SCHEMA {schema}"))
    except Exception as exc:  # the PostgreSQL run was asked for: never skip it silently
        pytest.exit(f"TEST_DATABASE_URL={url} cannot be used: {exc}", returncode=3)
    separator = "&" if "?" in url else "?"
    yield f"{url}{separator}options=-csearch_path%3D{schema}"
    with engine.begin() as connection:
        connection.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "SECRET_KEY": "test-secret",
            "CONTENT_DIR": str(SAMPLE_CONTENT),
            # Never the environment's Redis: tests/test_security_redis.py uses its own keys.
            "RATELIMIT_STORAGE_URI": "memory://",
            # The pause between quiz attempts and the reading time that proves a reader
            # are off here; the tests of each turn it on.
            "QUIZ_RETRY_SECONDS": 0,
            "READING_PROOF_SECONDS": 0,
        }
    )
    app.instance_path = str(tmp_path_factory.mktemp("instance"))
    engine = app.extensions["lms.db"].engine
    migrate.upgrade(engine)
    yield app
    engine.dispose()


@pytest.fixture
def db(app):
    """A session whose work is rolled back after the test, shared with requests and CLI."""
    database = app.extensions["lms.db"]
    connection = database.engine.connect()
    outer = connection.begin()
    original = database.sessionmaker
    database.sessionmaker = sessionmaker(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    limiter.reset()  # failed sign-ins count per account too: each test starts from zero
    try:
        with app.app_context():
            yield session()
    finally:
        database.sessionmaker = original
        outer.rollback()
        connection.close()


@pytest.fixture
def client(app, db):
    return app.test_client()


@pytest.fixture
def runner(app, db):
    return app.test_cli_runner()


@pytest.fixture
def dialect(app):
    return app.extensions["lms.db"].engine.dialect.name
