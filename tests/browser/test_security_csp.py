"""The Content-Security-Policy in Debian chromium: every page works under it (the read-aloud
button, the service worker, the certificate check), and it really blocks inline script."""

import re

import pytest
from playwright.sync_api import expect

from lms.certificates import keys
from lms.certificates.signing import SignedFacts, sign
from tests.browser.support import VIETNAMESE_VOICE, unique_phone

pytestmark = pytest.mark.browser

LESSON = "/courses/mau/modules/bat-dau/lessons/chao-mung"
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__violations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


@pytest.fixture
def page(phone):
    page = phone.new_page()
    page.add_init_script(RECORD_VIOLATIONS)
    page.add_init_script(VIETNAMESE_VOICE)  # so that app.js shows "Nghe bài học"
    messages = []
    page.on("console", lambda message: messages.append(message.text))
    page.csp_console = messages
    return page


def _clean(page, what: str) -> None:
    """No violation reported on the page, nor in the console."""
    assert page.evaluate("window.__violations") == [], what
    refused = [text for text in page.csp_console if "Content Security Policy" in text]
    assert not refused, (what, refused)


def test_the_learner_pages_work_under_the_policy(live, page):
    response = page.goto(f"{live.url}/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    _clean(page, "home")
    page.goto(f"{live.url}{LESSON}")
    expect(page.get_by_role("button", name="Nghe bài học")).to_be_visible()  # app.js ran
    _clean(page, "lesson")
    page.goto(f"{live.url}/courses/mau")
    quiz = page.locator("a[href^='/quizzes/']").first.get_attribute("href")
    page.goto(f"{live.url}{quiz}")
    expect(page.get_by_role("button", name="Nộp bài")).to_be_visible()
    _clean(page, "quiz")
    page.goto(f"{live.url}/register")
    number = unique_phone()
    page.fill("#f-full_name", "Nguyễn Văn An")
    page.fill("#f-phone", number)
    page.fill("#f-password", "Ba-con-meo-xanh")
    page.get_by_role("button", name="Đăng ký").last.click()
    _clean(page, "sign-in after registering")
    page.fill("#f-password", "Ba-con-meo-xanh")
    page.get_by_role("button", name="Đăng nhập").last.click()
    page.goto(f"{live.url}/profile")
    expect(page.get_by_role("button", name="Đăng xuất trên mọi thiết bị khác")).to_be_visible()
    _clean(page, "profile")


def test_the_service_worker_registers_and_controls_the_page(live, page):
    page.goto(f"{live.url}{LESSON}")
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == f"{live.url}/"
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")
    _clean(page, "service worker")


def test_the_certificate_check_runs_from_its_static_script(live, page):
    facts = SignedFacts("CD-2026-000001", "2026-11-30", "Trần Thị Bích", "Kỹ năng số")
    with live.app.app_context():
        payload = sign(facts, keys.signing_key())
    page.goto(f"{live.url}/verify#{payload}")
    status = page.locator("[data-offline-status]")
    expect(status).to_have_text("Chữ ký hợp lệ: mã QR do Học Số cấp và chưa bị sửa.")
    expect(page.locator('[data-fact="holder"]')).to_have_text("Trần Thị Bích")
    assert re.search(r"/static/verify\.js\?v=\w+", page.content())
    _clean(page, "verify")


def test_inline_script_is_blocked_and_reported(live, page):
    page.goto(f"{live.url}/")
    ran = page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.appendChild(script);
          return window.__injected === true;
        }"""
    )
    assert ran is False
    page.wait_for_function("window.__violations.length > 0")
    assert page.evaluate("window.__violations")[0].startswith("script-src")
