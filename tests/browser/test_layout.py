"""Every real lesson at 360 px: no sideways scroll, text of 17 px or more, 44 px tap targets,
AA contrast, a light page, and a share QR code that scans to the lesson."""

import gzip
import subprocess
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import select

from lms.courses.models import Course, Lesson, Module
from tests.browser.conftest import PHONE, serve

pytestmark = pytest.mark.browser

REAL_CONTENT = Path(__file__).parents[2] / "content"
SCREENSHOT_LESSON = (
    "/courses/thanh-vien/modules/tu-bao-ve-tren-mang/lessons/viec-nhe-deepfake-dau-tu"
)
MAX_WEIGHT = 30 * 1024

# WCAG 2.x contrast of every element that shows its own text, against its painted background.
CONTRAST = """() => {
  const rgb = (c) => c.match(/[\\d.]+/g).map(Number);
  const lum = (c) => {
    const [r, g, b] = rgb(c).slice(0, 3).map((v) => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (rgb(c)[3] !== 0) return c;
    }
    return "rgb(255, 255, 255)";
  };
  const failures = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const box = el.getBoundingClientRect();
    if (!own || box.width === 0 || box.height === 0) continue;
    const style = getComputedStyle(el);
    const [a, b] = [lum(style.color), lum(background(el))];
    const ratio = (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    const size = parseFloat(style.fontSize), bold = Number(style.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    if (ratio < (large ? 3 : 4.5)) {
      failures.push(`${el.tagName}.${el.className}: ${ratio.toFixed(2)}`);
    }
  }
  return failures;
}"""
SMALL_TEXT = """() => [...document.querySelectorAll("body *")]
  .filter((el) => [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim()))
  .filter((el) => el.getBoundingClientRect().width > 0)
  .filter((el) => parseFloat(getComputedStyle(el).fontSize) < 17)
  .map((el) => `${el.tagName}.${el.className}: ${getComputedStyle(el).fontSize}`)"""
SMALL_TARGETS = """() => [...document.querySelectorAll("a, button, input, select, summary")]
  .filter((el) => !el.closest(".lesson, p, li:not(.steps li)") || el.closest(".steps, .crumbs"))
  .filter((el) => { const b = el.getBoundingClientRect(); return b.width > 0 && b.height < 44; })
  .map((el) => `${el.tagName} ${el.textContent.trim().slice(0, 30)}`)"""


@pytest.fixture(scope="module")
def real(tmp_path_factory):
    server_info, server = serve(tmp_path_factory.mktemp("real"), REAL_CONTENT)
    yield server_info
    server.shutdown()


def _lesson_paths(live) -> list[str]:
    with live.db() as db:
        rows = db.execute(
            select(Course.slug, Module.slug, Lesson.slug)
            .join(Module, Module.course_id == Course.id)
            .join(Lesson, Lesson.module_id == Module.id)
            .where(Lesson.retired.is_(False))
            .order_by(Course.position, Module.position, Lesson.position)
        ).all()
    return [f"/courses/{c}/modules/{m}/lessons/{x}" for c, m, x in rows]


def _gzip_size(url: str) -> int:
    with urllib.request.urlopen(url) as response:
        return len(gzip.compress(response.read()))


def test_every_real_lesson_fits_a_phone(chromium, real):
    page = chromium.new_context(viewport=PHONE).new_page()
    css_weight = None
    paths = _lesson_paths(real)
    assert len(paths) > 100
    for path in paths:
        page.goto(real.url + path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
        if css_weight is None:
            css_url = page.eval_on_selector("link[rel=stylesheet]", "el => el.href")
            css_weight = _gzip_size(css_url)
            assert page.evaluate("getComputedStyle(document.body).fontSize") == "18px"
            assert page.evaluate(SMALL_TARGETS) == []
        assert _gzip_size(real.url + path) + css_weight < MAX_WEIGHT, path
    page.context.close()


@pytest.mark.parametrize(
    "path",
    [
        SCREENSHOT_LESSON,
        "/courses/nguoi-dan/modules/tu-bao-ve-tren-mang/lessons/vneid-gia-dien-luc-gia",
        "/courses/nguoi-dan/modules/chan-quang-cao-rac/lessons/bao-tin-nhan-rac-156-5656",
        "/courses/thanh-vien/modules/chan-quang-cao-rac/lessons/chan-so-loc-tin-nhan",
        "/",
        "/courses/nguoi-dan",
        "/login",
        "/register",
    ],
)
def test_text_has_aa_contrast(chromium, real, path):
    page = chromium.new_context(viewport=PHONE).new_page()
    page.goto(real.url + path)
    page.evaluate("document.querySelectorAll('details').forEach((d) => d.open = true)")
    assert page.evaluate(CONTRAST) == []
    assert page.evaluate(SMALL_TARGETS) == []
    assert page.evaluate(SMALL_TEXT) == []
    page.context.close()


def test_lesson_screenshot_and_share_qr_code(chromium, real, tmp_path):
    page = chromium.new_context(viewport=PHONE, device_scale_factor=2).new_page()
    page.goto(real.url + SCREENSHOT_LESSON)
    page.screenshot(path=str(tmp_path / "lesson-360.png"), full_page=True)
    page.locator("details.share summary").click()
    page.locator(".qr svg").screenshot(path=str(tmp_path / "qr.png"))
    scanned = subprocess.run(
        ["zbarimg", "--quiet", "--raw", str(tmp_path / "qr.png")],
        capture_output=True,
        text=True,
        check=True,
    )
    assert scanned.stdout.strip() == real.url + SCREENSHOT_LESSON
    for kind in ("sms", "fakepage", "tinh-huong", "ghi-nho"):
        assert page.locator(f".admonition.{kind}").count() >= 1
    page.context.close()
