"""Officials' pages in a real browser at 360 px without JavaScript: a dashboard, and a member's
first sign-in with a printed one-time code."""

import pytest
from playwright.sync_api import expect

from lms.accounts.models import User
from lms.accounts.onetime import display_code, issue_code
from lms.accounts.services import hash_password
from lms.reports.rollups import rebuild_rollups
from lms.units.models import Team, Unit
from lms.units.services import new_invite_code
from tests.browser.support import unique_phone

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-can-bo"


def _place(live, suffix: str):
    """A province with one commune, a team of three members, and the commune's official."""
    with live.db() as db:
        province = Unit(code=f"BP{suffix}", name="Tỉnh Thử", level="province", path=f"/BP{suffix}/")
        db.add(province)
        db.flush()
        commune = Unit(
            code=f"BC{suffix}",
            name="Xã Thử Nghiệm Có Tên Khá Dài",
            level="commune",
            parent_id=province.id,
            path=f"{province.path}BC{suffix}/",
        )
        db.add(commune)
        db.flush()
        team = Team(
            code=f"BT{suffix}",
            name="Thôn Đông",
            commune_id=commune.id,
            invite_code=new_invite_code(),
        )
        db.add(team)
        db.flush()
        members = [
            User(full_name=f"Thành viên {i}", role="member", team_id=team.id, phone=unique_phone())
            for i in range(3)
        ]
        official = User(
            full_name="Cán bộ xã",
            role="commune_official",
            unit_id=commune.id,
            login=f"canbo{suffix}",
            password_hash=hash_password(PASSWORD),
        )
        db.add_all([*members, official])
        db.flush()
        rebuild_rollups(db, [team.id])
        code = display_code(issue_code(db, live.app.config["SECRET_KEY"], members[0]))
        db.commit()
        return official.login, commune.code, members[0].phone, code


def test_an_official_reads_the_dashboard_on_a_phone_without_javascript(chromium, live):
    login, commune_code, _phone, _code = _place(live, "1")
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live.url + "/login?next=/reports")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(login)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    expect(page.locator("h1")).to_have_text("Xã Thử Nghiệm Có Tên Khá Dài")
    expect(page.locator("svg.chart")).to_be_visible()
    expect(page.locator("table.report tbody tr")).to_have_count(1)
    expect(page.locator("table.report tbody td").nth(2)).to_have_text("3")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the page scrolls sideways ({width} px)"
    page.get_by_label("Chỉ hiện dòng có tỉ lệ hoàn thành dưới (%)").fill("10")
    page.get_by_role("button", name="Xem").click()
    assert "below=10" in page.url
    page.get_by_role("link", name="Thôn Đông").click()
    expect(page.locator("table.report tbody tr")).to_have_count(3)
    context.close()


def test_a_member_signs_in_with_a_printed_code_and_sets_a_password(chromium, live):
    _login, _commune, phone_number, code = _place(live, "2")
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live.url + "/login/code")
    page.get_by_label("Số điện thoại").fill(phone_number)
    page.get_by_label("Mã đăng nhập lần đầu").fill(code)
    page.get_by_role("button", name="Đăng nhập").last.click()
    expect(page.locator("h1")).to_have_text("Đặt mật khẩu")
    page.get_by_label("Mật khẩu mới").fill("mat-khau-thanh-vien")
    page.get_by_label("Nhập lại mật khẩu").fill("mat-khau-thanh-vien")
    page.get_by_role("button", name="Lưu mật khẩu").click()
    expect(page.get_by_text("Đã đặt mật khẩu")).to_be_visible()
    context.close()
