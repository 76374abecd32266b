"""The officials' journey on a 360 × 740 phone in chromium: sign in, land on the own unit,
open a team, a member, export; and the landings of a province official, a team leader and
the admin. Every step: no sideways scrolling (also at 320 px), chart text of at least
14 px, tap targets of at least 44 px, and a screenshot kept in the test's tmp directory."""

import pytest
from playwright.sync_api import expect

from lms.accounts.services import hash_password
from lms.reports.activity import refresh_activity
from lms.reports.rollups import rebuild_rollups
from tests.browser.conftest import PHONE, serve
from tests.factories import make_unit, make_user
from tests.reports_support import build_country

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-hanh-trinh"
NARROW = {"width": 320, "height": 740}
TAPPABLE = "main a, main button, main input:not([type=hidden]), main select, main summary"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A country of reports (tests/reports_support.py), a commune with no team, and the
    people who sign in, each with a password."""
    live, server = serve(tmp_path_factory.mktemp("journey"))
    with live.db() as db:
        country = build_country(db)
        make_unit(db, "commune", parent=country.units["P1"], code="R013", name="Xã Chưa Có Tổ")
        logins = {}
        for role, place in (
            ("commune_official", {"unit": country.units["C1"]}),
            ("province_official", {"unit": country.units["P1"]}),
            ("admin", {}),
        ):
            user = make_user(db, role=role, login=f"hanh-trinh-{role}", **place)
            user.password_hash = hash_password(PASSWORD)
            logins[role] = user.login
        leader = country.members["A"][0]
        leader.login, leader.password_hash = "hanh-trinh-to-truong", hash_password(PASSWORD)
        logins["team_leader"] = leader.login
        refresh_activity(db)
        rebuild_rollups(db)
        db.commit()
    yield live, logins
    server.shutdown()


def _sign_in(context, live, login: str):
    """From the home page, through the header's sign-in link, as a person would."""
    page = context.new_page()
    page.goto(live.url + "/")
    page.locator("header.top").get_by_role("link", name="Đăng nhập").click()
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    return page


def _check(page, shots, name: str) -> None:
    """No sideways scrolling at 360 and 320 px, readable chart text, thumb-sized targets;
    a screenshot at each width."""
    for size in (PHONE, NARROW):
        page.set_viewport_size(size)
        width, inner = page.evaluate("[document.scrollingElement.scrollWidth, window.innerWidth]")
        assert width <= inner, f"{name} scrolls sideways at {size['width']} px ({width} px)"
        smallest = page.evaluate(
            """() => Math.min(999, ...[...document.querySelectorAll('svg.chart text')].map(
                t => parseFloat(getComputedStyle(t).fontSize) * t.getScreenCTM().a))"""
        )
        assert smallest >= 14, f"{name}: chart text of {smallest:.1f} px at {size['width']} px"
        small = page.evaluate(
            """(selector) => [...document.querySelectorAll(selector)]
                .filter(e => e.getClientRects().length && e.getBoundingClientRect().width > 1)
                .map(e => [e.outerHTML.slice(0, 80), e.getBoundingClientRect().height])
                .filter(([_html, height]) => height < 44)""",
            TAPPABLE,
        )
        assert small == [], f"{name}: tap targets under 44 px at {size['width']} px: {small}"
        page.screenshot(path=str(shots / f"{name}-{size['width']}.png"), full_page=True)
    page.set_viewport_size(PHONE)


def test_a_commune_official_goes_from_sign_in_to_an_export_on_a_phone(chromium, world, tmp_path):
    live, logins = world
    context = chromium.new_context(viewport=PHONE, locale="vi-VN", accept_downloads=True)
    page = _sign_in(context, live, logins["commune_official"])

    expect(page).to_have_url(live.url + "/reports/units/R0111")
    expect(page.locator("h1")).to_have_text("Xã Một")
    expect(page.locator("header.top").get_by_role("link", name="Báo cáo")).to_be_visible()
    expect(page.locator("p.muted").first).to_contain_text("giờ Việt Nam")
    card = page.locator("table.report tbody tr").filter(has_text="Thôn A")
    expect(card.locator(".lead")).to_be_visible()
    expect(card.locator(".lead")).to_contain_text("25\u00a0% · 1/4 hoàn thành")
    _check(page, tmp_path, "1-commune")

    page.get_by_label("Sắp xếp theo").select_option("completion_percent")
    page.get_by_label("Thứ tự").select_option("desc")
    page.get_by_role("button", name="Xem").click()
    names = page.locator("table.report tbody td.name > a").all_inner_texts()
    assert names == ["Thôn B", "Thôn A"]  # 50 % before 25 %

    page.locator("table.report tbody td.name > a", has_text="Thôn A").click()
    expect(page.locator("h1")).to_have_text("Thôn A")
    expect(page.locator("table.report tbody tr")).to_have_count(4)
    _check(page, tmp_path, "2-team")

    page.locator("table.report tbody td.name > a").first.click()
    expect(page.locator("table.report tbody tr").first.locator(".lead")).to_be_visible()
    _check(page, tmp_path, "3-member")

    page.go_back()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Tải CSV").click()
    download = download_info.value
    saved = tmp_path / download.suggested_filename
    download.save_as(saved)
    lines = saved.read_text(encoding="utf-8-sig").splitlines()
    assert saved.name == "bao-cao-TO-A-mau.csv" and len(lines) == 1 + 4 + 1
    assert lines[-1].split(",")[5] == "25"  # machine format: 1 of 4 is 25 % complete
    _check(page, tmp_path, "4-team-after-export")
    context.close()


@pytest.mark.parametrize(
    ("role", "landing", "heading"),
    [
        ("province_official", "/reports/units/R01", "Tỉnh Một"),
        ("team_leader", "/reports/teams/TO-A", "Thôn A"),
        ("admin", "/reports/units/VN", "Toàn quốc"),
    ],
)
def test_each_role_lands_on_its_own_reports(chromium, world, tmp_path, role, landing, heading):
    live, logins = world
    context = chromium.new_context(viewport=PHONE, locale="vi-VN")
    page = _sign_in(context, live, logins[role])
    expect(page).to_have_url(live.url + landing)
    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("header.top").get_by_role("link", name="Báo cáo")).to_be_visible()
    _check(page, tmp_path, f"landing-{role}")
    if role == "province_official":
        teamless = page.locator("table.report tbody tr").filter(has_text="Xã Chưa Có Tổ")
        expect(teamless.locator(".lead")).to_have_text("chưa có tổ")
        rows = page.locator("table.report tbody td.name > a").all_inner_texts()
        assert rows[-1] == "Xã Chưa Có Tổ"  # not ranked: after the units with teams
    context.close()


@pytest.mark.parametrize(
    ("role", "path", "heading"),
    [
        ("province_official", "/reports/honours/R01?period=all", "Tôn vinh — Tỉnh Một"),
        ("commune_official", "/reports/honours/R0111?period=all", "Tôn vinh — Xã Một"),
        ("province_official", "/certificates/scope", "Chứng nhận trong đơn vị"),
        ("commune_official", "/reports/tokens", None),
        ("admin", "/reports/featured", None),
        ("admin", "/reports/units/R011", "Huyện Một"),
    ],
)
def test_every_report_page_fits_a_phone(chromium, world, tmp_path, role, path, heading):
    live, logins = world
    context = chromium.new_context(viewport=PHONE, locale="vi-VN")
    page = _sign_in(context, live, logins[role])
    page.goto(live.url + path)
    if heading:
        expect(page.locator("h1")).to_have_text(heading)
    name = path.strip("/").split("?")[0].replace("/", "-")
    _check(page, tmp_path, f"{role}-{name}")
    context.close()
