"""Account pages: register keeping guest progress, sign in by phone or username, teams, language."""

from html import unescape

import pytest
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.accounts.services import create_user
from lms.contributions.referrals import member_code
from lms.courses.models import LessonProgress
from tests.factories import make_team
from tests.learner_helpers import load_sample
from tests.pages_support import LESSON, csrf_from, new_client, post_form

PASSWORD = "mat-khau-an-toan"


@pytest.fixture
def client(app, db):
    load_sample(db)
    return new_client(app)


@pytest.fixture
def member(db):
    return create_user(
        db,
        full_name="Trần Thị Hoa",
        password=PASSWORD,
        role="citizen",
        login="hoa",
        phone="0912345678",
    )


def _register(client, **fields):
    data = {"full_name": "Nguyễn Văn An", "phone": "0987 654 321", "password": PASSWORD}
    return post_form(client, "/register", "/register", {**data, **fields})


def test_registering_keeps_the_guest_progress(client, db):
    post_form(client, LESSON, LESSON + "/done", {})
    response = _register(client)
    assert response.status_code == 302
    user = db.scalar(select(User).where(User.phone == "0987654321"))
    assert user.role == "citizen" and user.full_name == "Nguyễn Văn An"
    assert db.scalar(select(func.count()).select_from(User).where(User.role == "guest")) == 0
    done = select(func.count()).select_from(LessonProgress).where(LessonProgress.user_id == user.id)
    assert db.scalar(done) == 1
    page = client.get("/me/progress").get_data(as_text=True)
    assert "1/3 bài" in page and "Tài khoản" in page


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"phone": "12345"}, "Số điện thoại '12345' không hợp lệ."),
        ({"password": "ngan"}, "Mật khẩu cần ít nhất 8 ký tự."),
        ({"full_name": "  "}, "Cần họ và tên."),
    ],
)
def test_bad_registration_names_the_field(client, db, fields, message):
    response = _register(client, **fields)
    html = unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert message in html and 'aria-invalid="true"' in html
    assert db.scalar(select(func.count()).select_from(User)) == 0


def test_a_taken_phone_is_refused_in_english_too(client, member):
    client.set_cookie("lang", "en")
    response = _register(client, phone="0912345678")
    assert response.status_code == 400
    assert "The phone number 0912345678 is already registered." in response.get_data(as_text=True)


@pytest.mark.parametrize("login", ["0912 345 678", "+84912345678", "hoa", "HOA"])
def test_sign_in_by_phone_or_username_merges_the_guest(client, db, member, login):
    post_form(client, LESSON, LESSON + "/done", {})
    response = post_form(client, "/login", "/login", {"login": login, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/me/progress"
    done = (
        select(func.count()).select_from(LessonProgress).where(LessonProgress.user_id == member.id)
    )
    assert db.scalar(done) == 1
    assert "Trần Thị Hoa" in client.get("/profile").get_data(as_text=True)


def test_wrong_password_is_refused(client, member):
    response = post_form(client, "/login", "/login", {"login": "hoa", "password": "sai-mat-khau"})
    assert response.status_code == 401
    assert "mật khẩu không đúng" in response.get_data(as_text=True)


def test_empty_sign_in_names_the_fields(client):
    response = post_form(client, "/login", "/login", {"login": "", "password": ""})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nhập số điện thoại hoặc tên đăng nhập." in html and "Nhập mật khẩu." in html


def test_next_only_goes_to_local_pages(client, member):
    data = {"login": "hoa", "password": PASSWORD, "next": "//evil.example/x"}
    response = post_form(client, "/login", "/login", data)
    assert response.headers["Location"] == "/me/progress"


def test_sign_out_is_a_post_and_profile_then_needs_sign_in(client, member):
    post_form(client, "/login", "/login", {"login": "hoa", "password": PASSWORD})
    assert client.get("/logout").status_code == 405
    response = post_form(client, "/profile", "/logout", {})
    assert response.status_code == 302
    again = client.get("/profile")
    assert again.status_code == 302 and "/login?next=/profile" in again.headers["Location"]


def test_join_a_team_by_code_then_invite_others_with_a_qr_code(client, db, member):
    team = make_team(db)
    post_form(client, "/login", "/login", {"login": "hoa", "password": PASSWORD})
    code = f" {team.invite_code.lower()} "
    response = post_form(client, "/profile", "/profile/team", {"invite_code": code})
    assert response.status_code == 302
    db.refresh(member)
    assert member.team_id == team.id and member.role == "member"
    html = client.get("/profile").get_data(as_text=True)
    assert f"http://localhost/join/{team.invite_code}" in html
    assert "<svg" in html and "Mã QR mời vào" in html


def test_a_wrong_invite_code_is_explained(client, db, member):
    post_form(client, "/login", "/login", {"login": "hoa", "password": PASSWORD})
    response = post_form(
        client, "/profile", "/profile/team", {"invite_code": "KHONGCO"}, follow_redirects=True
    )
    assert "Mã mời không đúng" in response.get_data(as_text=True)


def test_join_link_asks_a_guest_to_register_then_joins(client, db):
    team = make_team(db)
    page = client.get(f"/join/{team.invite_code}").get_data(as_text=True)
    assert team.name in page and f"/register?next=/join/{team.invite_code}" in page
    response = post_form(
        client,
        "/register",
        "/register",
        {
            "full_name": "Lê Văn Bình",
            "phone": "0977000111",
            "password": PASSWORD,
            "next": f"/join/{team.invite_code}",
        },
    )
    assert response.headers["Location"] == f"/join/{team.invite_code}"
    joined = post_form(client, f"/join/{team.invite_code}", f"/join/{team.invite_code}", {})
    assert joined.status_code == 302
    user = db.scalar(select(User).where(User.phone == "0977000111"))
    assert user.team_id == team.id


def test_unknown_join_link_is_not_found(client):
    response = client.get("/join/KHONGCO")
    assert response.status_code == 404 and "Mã mời không đúng" in response.get_data(as_text=True)


def test_language_choice_is_kept_in_a_cookie_and_on_the_user(client, db, member):
    post_form(client, "/login", "/login", {"login": "hoa", "password": PASSWORD})
    response = post_form(client, "/", "/language", {"lang": "en", "next": "/courses/mau"})
    assert response.headers["Location"] == "/courses/mau"
    assert "lang=en" in response.headers["Set-Cookie"]
    db.refresh(member)
    assert member.locale == "en"
    html = client.get("/courses/mau").get_data(as_text=True)
    assert '<html lang="en">' in html and "Your progress" in html and "Home" in html


def test_the_user_language_applies_on_a_new_device(client, app, db, member):
    member.locale = "en"
    db.flush()
    other = new_client(app)
    post_form(other, "/login", "/login", {"login": "hoa", "password": PASSWORD})
    assert "My progress" in other.get("/").get_data(as_text=True)


def test_an_unknown_language_changes_nothing(client):
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/language", data={"csrf_token": token, "lang": "fr"})
    assert response.status_code == 302 and "lang=" not in response.headers.get("Set-Cookie", "")


def test_too_many_sign_in_attempts_are_slowed_down(client, member):
    token = csrf_from(client.get("/login").get_data(as_text=True))
    data = {"csrf_token": token, "password": "sai-mat-khau"}
    # A different account each time: the limit per address, not the one per account.
    statuses = [
        client.post("/login", data={**data, "login": f"hoa{i}"}).status_code for i in range(21)
    ]
    assert statuses[:20] == [401] * 20 and statuses[20] == 429
    data["login"] = "hoa"
    assert "Thử quá nhiều lần" in client.post("/login", data=data).get_data(as_text=True)


def test_a_team_member_shares_lessons_with_a_link_that_counts_for_the_team(client, db, member):
    member.team = make_team(db)
    db.flush()
    post_form(client, "/login", "/login", {"login": "hoa", "password": PASSWORD})
    html = client.get(LESSON).get_data(as_text=True)
    assert f"http://localhost{LESSON}?ref={member_code(member)}" in html
