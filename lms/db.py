"""Database: the declarative base, the engine, and one session per request.

Services add and flush; a view or a CLI command commits once; teardown rolls back
whatever is left (see docs/architecture.md).
"""

from datetime import UTC, datetime

from flask import current_app, g
from sqlalchemy import MetaData, bindparam, create_engine, event, inspect, select
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.orm.util import identity_key

from lms import sqlite_writers

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def utcnow() -> datetime:
    """The current time in UTC, without tzinfo (stored as naive UTC on both databases)."""
    return datetime.now(UTC).replace(tzinfo=None)


def make_engine(url: str) -> Engine:
    """Create an engine; SQLite gets WAL, foreign keys and real transactions."""
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    # hide_parameters: a failed statement's error (logged with its traceback) never shows
    # the values it carried, such as phone numbers or names
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True, hide_parameters=True)
    engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)
    event.listen(engine, "connect", _configure_sqlite)
    # pysqlite's own transaction handling breaks SAVEPOINT; emit BEGIN ourselves.
    sqlite_writers.install(engine)
    return engine


def _configure_sqlite(dbapi_connection, _record):
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


class Database:
    """The engine and session factory of one application."""

    def __init__(self, url: str):
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(bind=self.engine, expire_on_commit=False)


def database() -> Database:
    return current_app.extensions["lms.db"]


def session() -> Session:
    """The session of the current request or CLI command."""
    if "db_session" not in g:
        g.db_session = database().sessionmaker()
    return g.db_session


class ById:
    """Loading one model's rows by id on the busiest requests, as Session.get does: a row the
    session holds, unexpired, from its identity map, else one SELECT. Session.get builds that
    SELECT anew on every miss, and on SQLite building it costs more than running it; here it
    is built once. An expired row is read again, so a row gone since is None."""

    def __init__(self, model):
        self.model = model
        self.statement = select(model).where(model.id == bindparam("id"))

    def __call__(self, db: Session, ident: int):
        found = db.identity_map.get(identity_key(self.model, ident))
        if found is not None and not inspect(found).expired_attributes:
            return found
        return db.scalar(self.statement, {"id": ident})


def _close_session(_exc):
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.close()


def init_app(app):
    app.extensions["lms.db"] = Database(app.config["DATABASE_URL"])
    app.teardown_appcontext(_close_session)
