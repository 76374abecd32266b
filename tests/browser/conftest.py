"""A real server on a temporary SQLite file with the sample course, and Debian chromium."""

import threading
from contextlib import contextmanager

import pytest
from playwright.sync_api import sync_playwright
from werkzeug.serving import make_server

from lms import create_app, migrate
from lms.db import session
from tests.conftest import SAMPLE_CONTENT

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 740}


class LiveServer:
    """The application served on a free loopback port, and a way into its database."""

    def __init__(self, app, url: str):
        self.app, self.url = app, url

    @contextmanager
    def db(self):
        """A database session of the live application; commit to make changes visible."""
        with self.app.app_context():
            yield session()


def serve(tmp_path, content_dir=SAMPLE_CONTENT) -> tuple[LiveServer, object]:
    app = create_app(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'live.sqlite3'}",
            "SECRET_KEY": "browser-tests",
            "CONTENT_DIR": str(content_dir),
            # The pause between quiz attempts and the reading time that proves a reader
            # are off here; the tests of each turn it on.
            "QUIZ_RETRY_SECONDS": 0,
            "READING_PROOF_SECONDS": 0,
            # Every browser of the run is a guest from 127.0.0.1.
            "GUEST_CREATION_LIMIT": "1000 per minute",
        }
    )
    app.instance_path = str(tmp_path)
    migrate.upgrade(app.extensions["lms.db"].engine)
    result = app.test_cli_runner().invoke(args=["lms", "content", "sync"])
    assert result.exit_code == 0, result.output
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return LiveServer(app, f"http://127.0.0.1:{server.server_port}"), server


@pytest.fixture(scope="session")
def live(tmp_path_factory):
    server_info, server = serve(tmp_path_factory.mktemp("live"))
    yield server_info
    server.shutdown()


@pytest.fixture(scope="module")
def chromium():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """A fresh 360 × 740 browser context (its own cookies, cache and service worker)."""
    context = chromium.new_context(viewport=PHONE, locale="vi-VN")
    context.set_default_timeout(10_000)
    yield context
    context.close()
