"""Learner journeys in a real browser at 360 px: a guest, a member, and both without JavaScript."""

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.accounts.services import create_user
from lms.courses.models import LessonProgress, ModuleCompletion
from lms.units.models import Team, Unit
from lms.units.services import new_invite_code
from tests.browser.support import VIETNAMESE_VOICE, answer_quiz, unique_phone

pytestmark = pytest.mark.browser
PASSWORD = "mat-khau-an-toan"


def test_a_guest_reads_fails_then_passes_a_quiz_registers_and_keeps_progress(phone, live):
    phone.add_init_script(VIETNAMESE_VOICE)
    page = phone.new_page()
    page.goto(live.url + "/")
    page.get_by_text("Chủ đề nổi bật").click()
    expect(page.locator("h1")).to_have_text("Chào mừng")
    expect(page.get_by_role("button", name="Nghe bài học")).to_be_visible()  # a Vietnamese voice
    page.get_by_role("button", name="Đánh dấu đã học").click()
    expect(page.locator("h1")).to_have_text("Dịch vụ công")
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận")
    page.get_by_role("button", name="Đánh dấu đã học").click()
    expect(page.get_by_text("Bạn đã học bài này")).to_be_visible()
    page.get_by_role("link", name="Làm bài kiểm tra của mô-đun").click()

    answer_quiz(page, live, right=False)
    expect(page.get_by_text("Chưa đạt")).to_be_visible()
    expect(page.locator(".result.wrong")).to_have_count(2)
    page.get_by_role("link", name="Làm lại").click()
    answer_quiz(page, live, right=True)
    expect(page.get_by_text("Chúc mừng")).to_be_visible()

    number = unique_phone()
    page.get_by_role("link", name="Đăng ký để giữ tiến độ và nhận chứng nhận").click()
    page.get_by_label("Họ và tên").fill("Phạm Thị Mai")
    page.get_by_label("Số điện thoại").fill(number)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng ký").click()
    expect(page.get_by_text("Đã nhận đăng ký")).to_be_visible()  # then sign in, as for any phone
    expect(page.get_by_label("Số điện thoại hoặc tên đăng nhập")).to_have_value(number)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").last.click()
    expect(page.locator("h1")).to_have_text("Tiến độ của tôi")
    expect(page.get_by_text("2/3 bài")).to_be_visible()
    expect(page.get_by_text("Mô-đun hoàn thành: 1/2")).to_be_visible()
    expect(page.get_by_role("link", name="Chứng nhận của tôi")).to_be_visible()
    with live.db() as db:
        user = db.scalar(select(User).where(User.phone == number))
        assert user.role == "citizen"
        lessons = select(func.count()).where(LessonProgress.user_id == user.id)
        assert db.scalar(lessons) == 2
        assert db.scalar(select(func.count()).where(ModuleCompletion.user_id == user.id)) == 1


def _member_and_team(live) -> tuple[str, str]:
    number = unique_phone()
    with live.db() as db:
        province = Unit(code=f"P{number}", name="Tỉnh Thử", level="province", path=f"/P{number}/")
        commune = Unit(
            code=f"C{number}",
            name="Xã Thử",
            level="commune",
            parent=province,
            path=f"/P{number}/C{number}/",
        )
        team = Team(
            code=f"T{number}", name="Thôn Đông", commune=commune, invite_code=new_invite_code()
        )
        db.add_all([province, commune, team])
        create_user(db, full_name="Đỗ Văn Nam", password=PASSWORD, role="citizen", phone=number)
        db.commit()
        return number, team.invite_code


def test_a_member_signs_in_joins_a_team_by_code_and_completes_a_module(phone, live):
    number, invite_code = _member_and_team(live)
    page = phone.new_page()
    page.goto(live.url + "/login")
    page.get_by_label("Số điện thoại hoặc tên đăng nhập").fill(number)
    page.get_by_label("Mật khẩu").fill(PASSWORD)
    page.get_by_role("button", name="Đăng nhập").click()
    expect(page.get_by_role("status")).to_contain_text("Xin chào Đỗ Văn Nam")

    page.get_by_role("link", name="Tài khoản").click()
    page.get_by_label("Mã mời").fill(invite_code.lower())
    page.get_by_role("button", name="Vào tổ").click()
    expect(page.get_by_role("status")).to_contain_text("Bạn đã vào Thôn Đông")
    expect(page.locator(".qr svg")).to_be_visible()

    page.goto(live.url + "/courses/mau/modules/an-toan/lessons/ma-otp")
    page.get_by_role("button", name="Đánh dấu đã học").click()
    page.get_by_role("link", name="Làm bài kiểm tra của mô-đun").click()
    answer_quiz(page, live, right=True)
    expect(page.get_by_text("Chúc mừng")).to_be_visible()
    page.get_by_role("link", name="Về khoá học").click()
    expect(page.locator("#an-toan .tag.ok")).to_have_text("Hoàn thành")
    with live.db() as db:
        user = db.scalar(select(User).where(User.phone == number))
        assert user.role == "member" and user.team.invite_code == invite_code


def test_reading_and_a_quiz_work_with_javascript_off(chromium, live):
    context = chromium.new_context(
        viewport={"width": 360, "height": 740}, java_script_enabled=False
    )
    page = context.new_page()
    page.goto(live.url + "/courses/mau")
    page.get_by_role("link", name="Chào mừng").click()
    expect(page.locator(".admonition.ghi-nho")).to_be_visible()
    expect(page.get_by_role("button", name="Nghe bài học")).to_be_hidden()
    page.get_by_role("button", name="Đánh dấu đã học").click()
    expect(page.get_by_role("status")).to_contain_text("Đã ghi nhận")
    page.goto(live.url + "/courses/mau")
    page.get_by_role("link", name="Bài kiểm tra").first.click()
    page.get_by_role("button", name="Nộp bài").click()
    expect(page.get_by_role("alert")).to_contain_text("Câu 1: bạn chưa chọn câu trả lời.")
    answer_quiz(page, live, right=True)
    expect(page.get_by_text("Chúc mừng")).to_be_visible()
    expect(page.locator(".result.right")).to_have_count(2)
    context.close()
