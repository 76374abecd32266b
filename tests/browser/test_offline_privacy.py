"""The offline copy never shows the previous person: the service worker keeps only pages that
name nobody, and signing out forgets every kept page (Debian chromium)."""

import pytest
from playwright.sync_api import expect

from lms.accounts.services import create_user
from tests.browser.support import unique_phone

pytestmark = pytest.mark.browser

LESSON = "/courses/mau/modules/bat-dau/lessons/chao-mung"
COURSE = "/courses/mau"
PASSWORD = "mat-khau-rieng-7"
KEPT_TEXTS = """async () => {
  const texts = {};
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const path = new URL(request.url).pathname;
      if (!path.startsWith("/static/")) texts[path] = await (await cache.match(request)).text();
    }
  }
  return texts;
}"""
KEPT = """async (path) => {
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).match(path)) return true;
  }
  return false;
}"""
PLANT = """async (path) => {
  const name = (await caches.keys()).find((key) => key.startsWith("hocso-"));
  const page = "<h1>Trang riêng của người trước</h1>";
  const headers = {"Content-Type": "text/html"};
  await (await caches.open(name)).put(path, new Response(page, {headers}));
}"""


def _person(live) -> str:
    phone = unique_phone()
    with live.db() as db:
        create_user(db, full_name="Phạm Thị Riêng", password=PASSWORD, role="citizen", phone=phone)
        db.commit()
    return phone


def _sign_in(page, live, phone) -> None:
    page.goto(f"{live.url}/login")
    page.fill("input[name=login]", phone)
    page.fill("input[name=password]", PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("link", name="Tài khoản")).to_be_visible()


def _controlled(page, live) -> None:
    page.goto(f"{live.url}/")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    page.wait_for_function("navigator.serviceWorker.controller !== null")


def test_pages_seen_while_signed_in_are_kept_without_the_person(phone, live):
    page = phone.new_page()
    _controlled(page, live)
    _sign_in(page, live, _person(live))
    page.goto(live.url + LESSON)
    page.get_by_role("button", name="Đánh dấu đã học").click()
    expect(page.get_by_text("Đã ghi nhận")).to_be_visible()
    page.goto(live.url + COURSE)
    page.goto(live.url + LESSON)
    expect(page.get_by_text("Bạn đã học bài này")).to_be_visible()
    for path in (COURSE, LESSON):
        page.wait_for_function(f"({KEPT})({path!r})", polling=200)
    kept = page.evaluate(KEPT_TEXTS)
    for path in (COURSE, LESSON):
        assert "Đăng nhập" in kept[path], path  # the copy a visitor without cookies gets
    for path, text in kept.items():
        assert "Tài khoản" not in text and "Bạn đã học bài này" not in text, path

    phone.set_offline(True)
    page.goto(live.url + LESSON)
    expect(page.locator("h1")).to_have_text("Chào mừng")  # still readable offline
    expect(page.get_by_text("Bạn đã học bài này")).to_have_count(0)
    expect(page.get_by_role("link", name="Tài khoản")).to_have_count(0)
    phone.set_offline(False)


def test_signing_out_forgets_every_kept_page(phone, live):
    page = phone.new_page()
    _controlled(page, live)
    _sign_in(page, live, _person(live))
    page.goto(live.url + LESSON)
    page.wait_for_function(f"({KEPT})({LESSON!r})", polling=200)
    page.evaluate(PLANT, COURSE)  # what an older worker may have kept of this person
    page.goto(f"{live.url}/profile")
    page.get_by_role("button", name="Đăng xuất", exact=True).click()
    expect(page.get_by_text("Bạn đã đăng xuất.")).to_be_visible()
    page.wait_for_function(f"({KEPT})({COURSE!r}).then((kept) => !kept)", polling=200)
    kept = page.evaluate(KEPT_TEXTS)
    assert not any("người trước" in text for text in kept.values())

    phone.set_offline(True)
    page.goto(live.url + COURSE)
    expect(page.locator("h1")).to_have_text("Bạn đang ngoại tuyến")
    phone.set_offline(False)
