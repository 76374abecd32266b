"""SQLite with several gunicorn workers: requests that write queue for the database.

A request that writes (POST, PUT, PATCH, DELETE, or a GET that called will_write()) takes
SQLite's write lock at BEGIN (BEGIN IMMEDIATE), so it never fails on a read snapshot gone
stale. First it waits for a file lock beside the database file: a blocked writer wakes the
moment the lock is free, instead of sleeping in SQLite's busy-handler steps (up to 100 ms
each). The file lock is let go when the connection returns to the pool, after its commit
or rollback. Reads and CLI commands begin as before.
"""

import fcntl
import os
import threading

from flask import g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_LOCK_KEY = "lms.writer_lock"


def will_write(writes: bool = True) -> None:
    """Declare whether the transactions this request begins from now on write.

    A GET that writes (it starts a quiz attempt) declares it before its first query; a POST
    may read without the lock first (will_write(False)), commit, then declare its writes.
    """
    g.db_will_write = writes


def _writing() -> bool:
    """Whether a transaction beginning now writes: as declared, else by the request method."""
    if not has_request_context():
        return False
    declared = g.get("db_will_write")
    return request.method in WRITE_METHODS if declared is None else declared


class WriterQueue:
    """The BEGIN of every SQLite transaction, and the writers' file lock."""

    def __init__(self, lock_path: str | None):
        self.lock_path = lock_path
        self.held = threading.local()  # a second connection of the same thread must not wait

    def begin(self, connection) -> None:
        if not _writing():
            connection.exec_driver_sql("BEGIN")
            return
        if self.lock_path and not getattr(self.held, "lock", False):
            descriptor = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            connection.info[_LOCK_KEY] = descriptor
            self.held.lock = True
        try:
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        except Exception:
            self.release(None, connection)
            raise

    def release(self, _dbapi_connection, record) -> None:
        descriptor = record.info.pop(_LOCK_KEY, None)
        if descriptor is not None:
            os.close(descriptor)  # closing the descriptor lets the flock go
            self.held.lock = False


def install(engine: Engine) -> None:
    """Emit BEGIN ourselves (pysqlite's own handling breaks SAVEPOINT), queueing writers."""
    database = engine.url.database
    on_disk = bool(database) and database != ":memory:" and not database.startswith("file:")
    queue = WriterQueue(f"{database}.writers" if on_disk else None)
    event.listen(engine, "begin", queue.begin)
    event.listen(engine.pool, "checkin", queue.release)
