"""Sign-in limits held across workers: two gunicorn processes sharing the real Redis
(REDIS_URL) see one limit per account and per address; without Redis each counts alone.

Redis must answer at TEST_REDIS_URL (default redis://127.0.0.1:6379/0): when it does not,
these tests fail; they never skip. Every key carries a prefix of this run and is deleted.
"""

import http.cookiejar
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from sqlalchemy.orm import Session

from lms import migrate
from lms.accounts.services import create_user
from lms.db import make_engine

ROOT = Path(__file__).parent.parent
REDIS_URL = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/0")
PASSWORD = "mat-khau-dai-1"
ACCOUNT_LIMIT = 10  # lms.security.ACCOUNT_SIGN_IN_LIMIT, per 15 minutes
ADDRESS_LIMIT = 10  # lms.api.auth.AUTH_LIMIT, per minute


@pytest.fixture(scope="module")
def shared_redis():
    """The real Redis and a key prefix of this run's own; its keys are deleted afterwards."""
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        pytest.fail(f"Redis at {REDIS_URL} does not answer ({error}); start it, never skip.")
    prefix = f"hocso-test-{os.getpid()}-{secrets.token_hex(4)}"
    yield client, prefix
    for key in client.scan_iter(match=f"*{prefix}*"):
        client.delete(key)
    assert not list(client.scan_iter(match=f"*{prefix}*"))
    client.close()


@pytest.fixture(scope="module")
def database(tmp_path_factory):
    """An SQLite file with the citizens the tests sign in as, shared by the workers."""
    url = f"sqlite:///{tmp_path_factory.mktemp('workers') / 'workers.sqlite3'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    with Session(engine) as db:
        for n, phone in enumerate(("0912345678", "0987654321", "0933333333")):
            create_user(db, full_name=f"Người {n}", password=PASSWORD, role="citizen", phone=phone)
        for n in range(ADDRESS_LIMIT + 1):
            create_user(db, full_name="Khác", password=PASSWORD, role="citizen", login=f"k{n}")
        db.commit()
    engine.dispose()
    return url


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_serving(port: int, worker) -> None:
    """Until the worker (not only gunicorn's listening socket) answers /healthz."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert worker.poll() is None, worker.stderr.read().decode()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=30):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"gunicorn did not start on port {port}")


@contextmanager
def two_workers(database_url: str, redis_url: str | None, prefix: str):
    """Two gunicorn processes (one sync worker each) serving app:app, as in production."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "SECRET_KEY": "workers-share-this-secret",
        "LMS_RATELIMIT_KEY_PREFIX": prefix,
        "LMS_LOGIN_RATE_LIMIT": "1000/minute",  # the page's per-address limit out of the way
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    ports = [_free_port(), _free_port()]
    gunicorn = [sys.executable, "-m", "gunicorn", "--workers", "1", "--log-level", "warning"]
    gunicorn.append("--no-control-socket")
    workers = [
        subprocess.Popen(
            [*gunicorn, "--bind", f"127.0.0.1:{port}", "app:app"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for port in ports
    ]
    try:
        for port, worker in zip(ports, workers, strict=True):
            _wait_until_serving(port, worker)
        yield [f"http://127.0.0.1:{port}" for port in ports]
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=10)
            worker.stderr.close()


def _browser():
    return urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), _NoRedirect()
    )


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _send(browser, request) -> int:
    try:
        with browser.open(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def _page_sign_in(base: str, login: str, password: str) -> int:
    """Sign in on the page as a browser does: open the form, post it with its token."""
    browser = _browser()
    with browser.open(f"{base}/login", timeout=30) as page:
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    form = urllib.parse.urlencode({"csrf_token": token, "login": login, "password": password})
    return _send(browser, urllib.request.Request(f"{base}/login", data=form.encode()))


def _api_sign_in(base: str, login: str) -> int:
    browser = _browser()
    with browser.open(f"{base}/api/v1/auth/csrf", timeout=30) as answer:
        token = json.load(answer)["csrf_token"]
    body = json.dumps({"login": login, "password": PASSWORD}).encode()
    headers = {"Content-Type": "application/json", "X-CSRFToken": token}
    request = urllib.request.Request(f"{base}/api/v1/auth/login", data=body, headers=headers)
    return _send(browser, request)


@pytest.fixture(scope="module")
def redis_workers(shared_redis, database):
    with two_workers(database, REDIS_URL, shared_redis[1]) as bases:
        yield bases


@pytest.fixture(scope="module")
def memory_workers(shared_redis, database):
    with two_workers(database, None, shared_redis[1] + "-memory") as bases:
        yield bases


def _fail_then_try(bases: list[str], phone: str) -> tuple[list[int], list[int]]:
    """Wrong passwords for one account, in turns on each worker; then the right one on each."""
    wrong = [_page_sign_in(bases[n % 2], phone, "sai-mat-khau") for n in range(ACCOUNT_LIMIT)]
    right = [_page_sign_in(base, phone, PASSWORD) for base in bases]
    return wrong, right


def test_failed_sign_ins_per_account_are_counted_once_across_workers(shared_redis, redis_workers):
    store, prefix = shared_redis
    wrong, right = _fail_then_try(redis_workers, "0912345678")
    assert wrong == [401] * ACCOUNT_LIMIT
    assert right == [429, 429]  # locked on both workers, even with the right password
    assert _page_sign_in(redis_workers[1], "0987654321", PASSWORD) == 302  # another account
    assert list(store.scan_iter(match=f"*{prefix}*sign-in-account*"))


def test_sign_ins_per_address_are_counted_once_across_workers(redis_workers):
    statuses = [_api_sign_in(redis_workers[n % 2], f"k{n}") for n in range(ADDRESS_LIMIT + 1)]
    assert statuses == [200] * ADDRESS_LIMIT + [429]


def test_without_redis_each_worker_counts_alone(memory_workers):
    """The control: in-memory limits let each worker take the whole allowance."""
    wrong, right = _fail_then_try(memory_workers, "0933333333")
    assert wrong == [401] * ACCOUNT_LIMIT and right == [302, 302]
