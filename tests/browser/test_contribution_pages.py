"""Team contribution in a real browser at 360 px without JavaScript: a citizen arrives through
the team's link and learns; a member records an assisted session on a phone."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.services import hash_password
from lms.contributions.models import AssistedSession, TeamContribution
from lms.contributions.referrals import team_code
from lms.units.models import Team, Unit
from lms.units.services import new_invite_code
from tests.browser.support import unique_phone

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-thanh-vien"
LESSON = "/courses/mau/modules/bat-dau/lessons/chao-mung"


def _team(live):
    """A commune with one team and a member who can sign in."""
    with live.db() as db:
        province = Unit(code="PT1", name="Tỉnh Góp Sức", level="province", path="/PT1/")
        db.add(province)
        db.flush()
        commune = Unit(
            code="CT1", name="Xã Góp Sức", level="commune", parent_id=province.id, path="/PT1/CT1/"
        )
        db.add(commune)
        db.flush()
        team = Team(
            code="CT-TEAM", name="Thôn Góp", commune_id=commune.id, invite_code=new_invite_code()
        )
        db.add(team)
        db.flush()
        member = User(
            full_name="Lò Văn Giúp",
            role="member",
            team_id=team.id,
            phone=unique_phone(),
            password_hash=hash_password(PASSWORD),
        )
        db.add(member)
        db.commit()
        with live.app.test_request_context():
            return team.id, team_code(team), member.phone


def _phone(chromium):
    return chromium.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)


def test_a_citizen_through_the_link_is_counted_and_a_member_records_a_session(chromium, live):
    team_id, code, member_phone = _team(live)
    citizen = _phone(chromium)
    page = citizen.new_page()
    page.goto(f"{live.url}/t/{code}")
    page.goto(live.url + LESSON)
    page.get_by_role("button", name="Đánh dấu đã học").click()
    citizen.close()
    with live.db() as db:
        guest = db.scalar(select(User).where(User.referred_by_team_id == team_id))
        assert guest is not None and guest.role == "guest"
        assert db.get(TeamContribution, team_id).learned == 1

    helper = _phone(chromium)
    page = helper.new_page()
    page.goto(live.url + "/login?next=/teams/CT-TEAM/share")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(member_phone)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    expect(page.locator("h1")).to_have_text("Chia sẻ và hỗ trợ người dân")
    expect(page.locator(".qr svg").first).to_be_visible()
    page.get_by_role("link", name="Ghi lại một buổi hỗ trợ tại nhà").click()
    expect(page.get_by_role("button", name="Lưu buổi hỗ trợ")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the form scrolls sideways ({width} px)"
    page.get_by_role("button", name="Lưu buổi hỗ trợ").click()
    assert page.url.endswith("/assisted")  # the browser asks for consent first (required)
    page.get_by_label("Người dân đã đồng ý cho tổ ghi lại buổi hỗ trợ này.").check()
    page.get_by_label("Thanh toán bằng mã QR lần đầu").check()
    page.get_by_label("Cài đặt chống lừa đảo").check()
    page.get_by_label("Số điện thoại người dân").fill("0912 345 678")
    page.get_by_role("button", name="Lưu buổi hỗ trợ").click()
    expect(page.get_by_text("Đã lưu buổi hỗ trợ")).to_be_visible()
    expect(page.locator(".report-totals")).to_contain_text("1 người dân tiếp cận")
    expect(page.locator(".report-totals")).to_contain_text("2 bước đã làm")
    helper.close()
    with live.db() as db:
        record = db.scalar(select(AssistedSession).where(AssistedSession.team_id == team_id))
        assert record.citizen_phone == "0912345678" and record.qr_payment
