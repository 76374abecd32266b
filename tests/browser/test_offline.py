"""The installable app: a lesson opened once is readable offline; other pages say we are offline."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

LESSON = "/courses/mau/modules/bat-dau/lessons/chao-mung"
NOT_OPENED = "/courses/mau/modules/an-toan/lessons/ma-otp"
KEPT = """async (path) => {
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(path)) return true;
  }
  return false;
}"""


def test_a_lesson_opened_once_is_readable_offline(phone, live):
    page = phone.new_page()
    page.goto(live.url + LESSON)
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_function(f"({KEPT})({LESSON!r})", polling=200)

    phone.set_offline(True)
    page.goto(live.url + LESSON)
    expect(page.locator("h1")).to_have_text("Chào mừng")
    expect(page.locator(".admonition.ghi-nho")).to_be_visible()
    expect(page.locator("link[rel=stylesheet]")).to_have_count(1)
    assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px"

    page.goto(live.url + NOT_OPENED)
    expect(page.locator("h1")).to_have_text("Bạn đang ngoại tuyến")
    phone.set_offline(False)
    page.goto(live.url + NOT_OPENED)
    expect(page.locator("h1")).to_have_text("Mã OTP")


def test_the_manifest_makes_the_site_installable(phone, live):
    page = phone.new_page()
    page.goto(live.url + "/")
    manifest = page.evaluate(
        "fetch(document.querySelector('link[rel=manifest]').href).then(r => r.json())"
    )
    assert manifest["start_url"].startswith("/") and manifest["display"] == "standalone"
    for icon in manifest["icons"]:
        assert page.request.get(live.url + icon["src"]).ok
    scope = page.evaluate("navigator.serviceWorker.ready.then(r => r.scope)")
    assert scope == live.url + "/"
