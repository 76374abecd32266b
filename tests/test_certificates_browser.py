"""The QR signature checked in a real browser (Debian chromium), online and offline."""

import threading

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from playwright.sync_api import expect, sync_playwright
from werkzeug.serving import make_server

from lms.certificates import keys
from lms.certificates.signing import SignedFacts, b64url, sign, unb64url

pytestmark = pytest.mark.browser

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FACTS = SignedFacts("TV-2026-000123", "2026-11-30", "Nguyễn Thị Ngọc Ánh", "Khóa thành viên")


@pytest.fixture(scope="module")
def live(app):
    """The app served on a free local port (these pages read nothing from the database)."""
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    yield context.new_page()
    context.close()


def _payload(app, key=None):
    with app.app_context():
        return sign(FACTS, key or keys.signing_key())


def _status(page):
    return page.locator("[data-offline-status]")


def test_genuine_payload_is_valid_in_the_browser(app, live, page):
    page.goto(f"{live}/verify#{_payload(app)}")
    expect(_status(page)).to_have_text("Chữ ký hợp lệ: mã QR do Học Số cấp và chưa bị sửa.")
    expect(page.locator('[data-fact="holder"]')).to_have_text("Nguyễn Thị Ngọc Ánh")
    expect(page.locator('[data-fact="serial"]')).to_have_text("TV-2026-000123")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360  # no sideways scrolling on a small phone


def test_tampered_and_foreign_payloads_are_refused(app, live, page):
    version, message, signature = _payload(app).split(".")
    forged = unb64url(message).decode().replace("Ánh", "Anh").encode()
    page.goto(f"{live}/verify#{version}.{b64url(forged)}.{signature}")
    expect(_status(page)).to_contain_text("Chữ ký không hợp lệ")
    expect(page.locator("[data-offline-facts]")).to_be_hidden()
    page.goto(f"{live}/verify#{_payload(app, Ed25519PrivateKey.generate())}")
    page.reload()
    expect(_status(page)).to_contain_text("không do Học Số cấp")
    page.goto(f"{live}/verify#không-phải-mã")
    page.reload()
    expect(_status(page)).to_contain_text("không đúng định dạng")


def test_offline_the_cached_check_page_verifies_a_scanned_code(app, live, page):
    page.goto(f"{live}/verify")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()  # the page is now controlled by the service worker
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.goto(f"{live}/verify/ABCDEFGHJKMN#{_payload(app)}")
    expect(_status(page)).to_have_text("Chữ ký hợp lệ: mã QR do Học Số cấp và chưa bị sửa.")
    expect(page.locator('[data-fact="course"]')).to_have_text("Khóa thành viên")
