"""Accounts: scrypt hashes, the password policy wherever a password is set, session cookies,
a fresh session at sign-in, and signing out everywhere."""

import pytest
from sqlalchemy import func, select
from werkzeug.security import check_password_hash

from lms.accounts.models import User, UserSession
from lms.accounts.onetime import issue_code
from lms.accounts.services import AccountError, check_password_policy, create_user
from tests.factories import make_team
from tests.learner_helpers import api_client
from tests.pages_support import csrf_from, new_client, post_form, production_app

PASSWORD = "mat-khau-dai-1"
PHONE = "0912345678"


@pytest.fixture
def citizen(db):
    return create_user(db, full_name="Lê Thị Hoa", password=PASSWORD, role="citizen", phone=PHONE)


def _sign_in(client, login=PHONE, password=PASSWORD):
    return post_form(client, "/login", "/login", {"login": login, "password": password})


def _register(client, password, phone="0987654321"):
    data = {"full_name": "Trần Văn Bình", "phone": phone, "password": password}
    return post_form(client, "/register", "/register", data)


def test_stored_hashes_are_salted_scrypt_and_never_the_password(app, db):
    _register(new_client(app), "mot-mat-khau-dai")
    _register(new_client(app), "mot-mat-khau-dai", phone="0987000111")
    hashes = db.scalars(select(User.password_hash).where(User.role == "citizen")).all()
    assert len(hashes) == 2 and hashes[0] != hashes[1]  # a salt of its own each
    for stored in hashes:
        assert stored.startswith("scrypt:32768:8:1$")
        assert "mot-mat-khau-dai" not in stored
        assert check_password_hash(stored, "mot-mat-khau-dai")


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("ngan", "ít nhất 8 ký tự"),
        ("x" * 129, "dài quá 128 ký tự"),
        ("12345678", "quá dễ đoán"),
        ("MatKhau123", "quá dễ đoán"),
        ("abababab", "quá dễ đoán"),
        ("0987654321", "trùng số điện thoại"),
        ("+84 987 654 321", "trùng số điện thoại"),
    ],
)
def test_the_register_page_and_api_refuse_a_weak_password(app, db, password, reason):
    page = _register(new_client(app), password)
    assert page.status_code == 400 and reason in page.get_data(as_text=True)
    api = api_client(app).post(
        "/api/v1/auth/register",
        json={"full_name": "Trần Văn Bình", "phone": "0987654321", "password": password},
    )
    error = api.get_json()["error"]
    assert api.status_code == 422 and error["field"] == "password" and reason in error["message"]
    assert db.scalar(select(User).where(User.phone == "0987654321")) is None


def test_the_policy_names_the_field_in_english_too(app, db):
    client = new_client(app)
    client.set_cookie("lang", "en")
    page = _register(client, "12345678").get_data(as_text=True)
    assert "This password is too easy to guess" in page


def test_the_users_cli_refuses_a_password_equal_to_the_login(runner, db):
    args = ["lms", "users", "create", "--name", "Quản trị", "--role", "admin"]
    same = runner.invoke(args=[*args, "--login", "quantri-vien", "--password", "Quantri-Vien"])
    assert same.exit_code != 0 and "trùng số điện thoại hoặc tên đăng nhập" in same.output
    common = runner.invoke(args=[*args, "--login", "quantri", "--password", "password1"])
    assert common.exit_code != 0 and "quá dễ đoán" in common.output
    assert db.scalar(select(User).where(User.login == "quantri")) is None
    good = runner.invoke(args=[*args, "--login", "quantri", "--password", "Ba-con-meo-xanh"])
    assert good.exit_code == 0, good.output


def test_the_first_password_after_a_one_time_code_follows_the_policy(app, db):
    member = create_user(db, full_name="An", password=PASSWORD, role="member", phone=PHONE)
    member.password_hash, member.team = None, make_team(db)
    code = issue_code(db, app.config["SECRET_KEY"], member)
    client = new_client(app)
    post_form(client, "/login/code", "/login/code", {"phone": PHONE, "code": code})
    url = "/login/code/password"
    same = post_form(client, url, url, {"password": PHONE, "confirm": PHONE})
    assert same.status_code == 422 and "trùng số điện thoại" in same.get_data(as_text=True)
    done = post_form(client, url, url, {"password": "Hoa-sen-no-1", "confirm": "Hoa-sen-no-1"})
    assert done.status_code == 302
    assert db.get(User, member.id).password_hash.startswith("scrypt:")


def test_the_policy_compares_logins_without_case_and_phones_in_any_form():
    check_password_policy("Ba-con-meo-xanh", PHONE, "hoa12345")
    for bad in ("HOA12345", "0912 345 678", "84912345678"):
        with pytest.raises(AccountError) as error:
            check_password_policy(bad, PHONE, "hoa12345")
        assert error.value.field == "password" and "trùng" in str(error.value)


def test_the_session_cookie_is_httponly_and_lax_and_secure_in_production(app, citizen):
    development = new_client(app).get("/login").headers["Set-Cookie"]
    assert "HttpOnly" in development and "SameSite=Lax" in development
    assert "Secure" not in development
    production = production_app(app)
    response = production.test_client().get("/login")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie
    assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert production.config["REMEMBER_COOKIE_SECURE"] is True


def test_sign_in_starts_a_fresh_session_that_a_planted_cookie_does_not_share(app, citizen):
    client = new_client(app)
    client.get("/login")
    with client.session_transaction() as planted:
        planted["planted"] = "by someone else"
    before = client.get_cookie("session").value
    assert _sign_in(client).status_code == 302
    after = client.get_cookie("session").value
    assert after != before
    with client.session_transaction() as fresh:
        assert "planted" not in fresh and fresh["_user_id"].startswith("s.")
    attacker = new_client(app)
    attacker.set_cookie("session", before)  # the cookie the attacker set before sign-in
    assert attacker.get("/profile").status_code == 302  # still nobody
    assert client.get("/profile").status_code == 200


def test_sign_out_everywhere_ends_every_other_session_and_keeps_this_one(app, db, citizen):
    phone, laptop = new_client(app), new_client(app)
    _sign_in(phone), _sign_in(laptop)
    stolen = laptop.get_cookie("session").value
    assert phone.get("/profile").status_code == laptop.get("/profile").status_code == 200
    page = phone.get("/profile").get_data(as_text=True)
    assert "Đăng xuất trên mọi thiết bị khác" in page
    done = phone.post("/logout/everywhere", data={"csrf_token": csrf_from(page)})
    assert done.status_code == 302
    assert "mọi thiết bị khác" in phone.get("/profile").get_data(as_text=True)
    assert laptop.get("/profile").status_code == 302
    thief = new_client(app)
    thief.set_cookie("session", stolen)
    assert thief.get("/profile").status_code == 302
    assert db.scalar(select(func.count()).where(UserSession.user_id == citizen.id)) == 1


def test_sign_out_everywhere_through_the_api(app, db, citizen):
    first, second = api_client(app), api_client(app)
    for client in (first, second):
        signed = client.post("/api/v1/auth/login", json={"login": PHONE, "password": PASSWORD})
        assert signed.status_code == 200
    assert second.get("/api/v1/me/certificates").status_code == 200
    assert first.post("/api/v1/auth/logout-everywhere").status_code == 204
    assert second.get("/api/v1/me/certificates").status_code == 401
    assert first.get("/api/v1/me/certificates").status_code == 200
    assert api_client(app).post("/api/v1/auth/logout-everywhere").status_code == 401


def test_a_nul_byte_in_a_login_or_a_name_is_refused_never_a_500(app, db, citizen):
    api = api_client(app)
    signed = api.post("/api/v1/auth/login", json={"login": "hoa\x00", "password": PASSWORD})
    assert signed.status_code == 401
    page = _sign_in(new_client(app), login="\x00")
    assert page.status_code == 400 and "ký tự NUL" in page.get_data(as_text=True)
    data = {"full_name": "Hoa\x00", "phone": "0987654321", "password": PASSWORD}
    registered = api.post("/api/v1/auth/register", json=data)
    assert registered.status_code == 422
    assert registered.get_json()["error"]["field"] == "full_name"
