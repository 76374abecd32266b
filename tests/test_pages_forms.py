"""Forms tell everything at once, in words: every invalid field in one answer, next to its
field, in plain words (no internal field names); what was typed stays, except passwords."""

import re
from datetime import timedelta

import pytest

from lms.certificates.services import issue_certificate
from lms.db import utcnow
from lms.i18n import LOCALE_COOKIE
from lms.reports.periods import vietnam_day
from tests.certificates_support import sign_in
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import load_sample
from tests.pages_support import csrf_from, new_client, post_form

INTERNAL_NAME = re.compile(
    r"\((full_name|phone|password|citizen_\w+|held_on|consent|steps|percent|due_on|month|"
    r"module|name|reason|code|file)\)"
)


def field_error(html: str, field: str) -> str:
    """The message shown next to a field (its aria-describedby target), or ''."""
    match = re.search(rf'<span class="error" id="e-{field}"[^>]*>([^<]+)</span>', html)
    return match.group(1) if match else ""


def assert_plain_words(html: str) -> None:
    found = INTERNAL_NAME.search(html)
    assert found is None, f"an internal name is shown: {found.group(0)}"


def test_register_reports_every_field_at_once_and_keeps_what_was_typed(app, db):
    client = new_client(app)
    typed = {"full_name": "", "phone": "0123", "password": "ngan"}
    response = post_form(client, "/register", "/register", typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "full_name") == "Cần họ và tên."
    assert field_error(html, "phone") == "Số điện thoại &#39;0123&#39; không hợp lệ."
    assert field_error(html, "password").startswith("Mật khẩu cần ít nhất 8 ký tự")
    assert 'name="phone" type="tel" value="0123"' in html
    assert 'value="ngan"' not in html  # a password is never sent back
    assert html.count("<li>") >= 3  # the summary lists all three
    assert_plain_words(html)


def test_register_errors_in_english(app, db):
    client = new_client(app)
    client.set_cookie(LOCALE_COOKIE, "en")
    response = post_form(
        client, "/register", "/register", {"full_name": "", "phone": "x", "password": "1"}
    )
    html = response.get_data(as_text=True)
    assert field_error(html, "phone") == "The phone number &#39;x&#39; is not valid."
    assert field_error(html, "password").startswith("The password needs at least 8 characters")
    assert field_error(html, "full_name")


@pytest.fixture
def team(db):
    load_sample(db)
    return make_team(db, commune=make_unit(db, "commune", parent=make_unit(db, "province")))


def test_the_assisted_session_form_reports_every_field_and_keeps_them(app, db, team):
    client = new_client(app)
    sign_in(client, make_user(db, role="member", team=team))
    tomorrow = (vietnam_day(utcnow()) + timedelta(days=1)).isoformat()
    typed = {"citizen_name": "Bà Hoa", "citizen_phone": "12345", "held_on": tomorrow}
    url = f"/teams/{team.code}/assisted"
    response = post_form(client, url, url, typed)
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Cần người dân đồng ý trước khi ghi lại buổi hỗ trợ." in html
    assert "không phải số di động Việt Nam hợp lệ" in html
    assert "Ngày hỗ trợ không được sau hôm nay." in html
    assert 'value="Bà Hoa"' in html and 'value="12345"' in html and f'value="{tomorrow}"' in html
    assert_plain_words(html)


def test_a_target_reports_both_fields_next_to_them_and_keeps_them(app, db, team):
    client = new_client(app)
    sign_in(client, make_user(db, role="commune_official", unit=team.commune))
    page = f"/reports/units/{team.commune.code}"
    response = post_form(client, page, f"{page}/target", {"percent": "150", "due_on": "31/12/2026"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "percent") == "Tỉ lệ phải là số nguyên từ 1 đến 100."
    assert field_error(html, "due_on").startswith("Hạn hoàn thành phải là một ngày")
    assert 'value="150"' in html and 'value="31/12/2026"' in html
    assert_plain_words(html)


def test_the_featured_topic_reports_both_fields(app, db, team):
    client = new_client(app)
    sign_in(client, make_user(db, role="admin"))
    response = post_form(
        client, "/reports/featured", "/reports/featured", {"month": "2026/12", "module": "999999"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "month").startswith("Tháng phải có dạng năm-tháng")
    assert field_error(html, "module").startswith("Hãy chọn một chủ đề")
    assert 'value="2026/12"' in html
    assert_plain_words(html)


def test_a_token_name_is_explained_next_to_the_field_and_kept(app, db, team):
    client = new_client(app)
    sign_in(client, make_user(db, role="commune_official", unit=team.commune))
    long_name = "x" * 150
    response = post_form(client, "/reports/tokens", "/reports/tokens", {"name": long_name})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "name").startswith("Tên mã API dài quá")
    assert f'value="{long_name}"' in html


def test_the_one_time_code_form_keeps_phone_and_code(app, db):
    response = post_form(
        new_client(app), "/login/code", "/login/code", {"phone": "0912 000 333", "code": "abcd"}
    )
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'value="0912 000 333"' in html and 'value="abcd"' in html
    assert field_error(html, "code")


def test_a_revocation_reason_is_kept_when_refused(app, db, team):
    member = make_user(db, role="member", team=team)
    from lms.courses.models import Course

    certificate = issue_certificate(db, member, db.query(Course).filter_by(slug="mau").one())
    client = new_client(app)
    sign_in(client, make_user(db, role="admin"))
    page = f"/verify/{certificate.code}"
    reason = "Sai tên " + "x" * 1000
    response = post_form(client, page, f"{page}/revoke", {"reason": reason})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert field_error(html, "reason").startswith("Lý do thu hồi dài quá")
    assert f">{reason}</textarea>" in html


def test_a_wrong_verification_code_stays_in_the_box(app, db):
    html = new_client(app).get("/verify?code=0O1").get_data(as_text=True)
    assert 'name="code" type="text" value="0O1"' in html
    assert field_error(html, "code").startswith("Mã xác minh không đúng dạng")
    assert_plain_words(html)


def test_a_wrong_invite_code_stays_next_to_its_message(app, db):
    client = new_client(app)
    sign_in(client, make_user(db, role="citizen"))
    response = post_form(client, "/profile", "/profile/team", {"invite_code": "SAI-MA"})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert field_error(html, "invite_code") and 'value="SAI-MA"' in html
    assert csrf_from(html)
