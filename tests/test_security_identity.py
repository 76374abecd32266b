"""Who a request is: sessions on record (a copied cookie dies at sign-out, a deleted account's
cookie never names the next account), sign out everywhere revokes API tokens, and CSRF is
skipped only for a valid Bearer token."""

import pytest
from sqlalchemy import func, select

from lms.accounts.models import UserSession
from lms.accounts.services import create_user
from lms.accounts.tokens import ApiToken, create_token
from tests.factories import make_unit
from tests.learner_helpers import api_client, load_sample
from tests.pages_support import LESSON, csrf_from, new_client, post_form

PASSWORD = "mat-khau-dai-1"
PHONE = "0912345678"


@pytest.fixture
def citizen(db):
    return create_user(db, full_name="Lê Thị Hoa", password=PASSWORD, role="citizen", phone=PHONE)


def _sign_in(client, login=PHONE, password=PASSWORD):
    return post_form(client, "/login", "/login", {"login": login, "password": password})


def _api_sign_in(client) -> int:
    answer = client.post("/api/v1/auth/login", json={"login": PHONE, "password": PASSWORD})
    return answer.status_code


def _copy_of(app, client):
    thief = new_client(app)
    thief.set_cookie("session", client.get_cookie("session").value)
    return thief


def test_a_copied_session_cookie_is_refused_after_sign_out(app, db, citizen):
    client = new_client(app)
    assert _sign_in(client).status_code == 302
    copy = _copy_of(app, client)
    assert copy.get("/profile").status_code == 200
    page = client.get("/profile").get_data(as_text=True)
    assert client.post("/logout", data={"csrf_token": csrf_from(page)}).status_code == 302
    assert copy.get("/profile").status_code == 302  # to the sign-in page
    assert db.scalar(select(func.count()).where(UserSession.user_id == citizen.id)) == 0


def test_a_copied_cookie_is_refused_after_signing_out_through_the_api(app, db, citizen):
    client = api_client(app)
    assert _api_sign_in(client) == 200
    copy = api_client(app)
    copy.set_cookie("session", client.get_cookie("session").value)
    assert copy.get("/api/v1/me/progress").status_code == 200
    assert copy.get("/api/v1/me/data").status_code == 200
    assert client.post("/api/v1/auth/logout").status_code == 204
    assert copy.get("/api/v1/me/data").status_code == 401


def test_signing_out_one_device_leaves_the_others_signed_in(app, db, citizen):
    phone, laptop = new_client(app), new_client(app)
    _sign_in(phone), _sign_in(laptop)
    page = phone.get("/profile").get_data(as_text=True)
    phone.post("/logout", data={"csrf_token": csrf_from(page)})
    assert phone.get("/profile").status_code == 302
    assert laptop.get("/profile").status_code == 200


def test_sign_out_everywhere_revokes_the_api_tokens_too(app, db):
    unit = make_unit(db, "province")
    official = create_user(
        db,
        full_name="Cán Bộ Tỉnh",
        password=PASSWORD,
        role="province_official",
        phone="0911000222",
        unit_code=unit.code,
    )
    secret = create_token(db, official, "bảng tính")[1]
    bearer = {"Authorization": f"Bearer {secret}"}
    report = "/api/v1/me/data"
    assert api_client(app).get(report, headers=bearer).status_code == 200
    browser = new_client(app)
    assert _sign_in(browser, "0911000222").status_code == 302
    page = browser.get("/profile").get_data(as_text=True)
    done = browser.post("/logout/everywhere", data={"csrf_token": csrf_from(page)})
    assert done.status_code == 302
    assert "Các mã API của tài khoản cũng đã bị thu hồi" in browser.get("/profile").get_data(
        as_text=True
    )
    assert api_client(app).get(report, headers=bearer).status_code == 401
    assert db.scalar(select(ApiToken.revoked_at).where(ApiToken.user_id == official.id))
    assert browser.get("/profile").status_code == 200  # this browser stays, on a new session


def test_a_deleted_accounts_cookie_never_names_the_next_new_account(app, db, citizen):
    device, other_device = new_client(app), new_client(app)
    _sign_in(device), _sign_in(other_device)
    left_open = other_device.get_cookie("session").value
    page = device.get("/me/delete").get_data(as_text=True)
    deleted_id = citizen.id
    done = device.post("/me/delete", data={"csrf_token": csrf_from(page), "password": PASSWORD})
    assert done.status_code == 303
    newcomer = create_user(
        db, full_name="Người Mới", password="mat-khau-moi-9", role="citizen", phone="0933444555"
    )
    if db.bind.dialect.name == "sqlite":
        assert newcomer.id == deleted_id  # SQLite gives the freed id again: the case at hand
    stale = new_client(app)
    stale.set_cookie("session", left_open)
    assert stale.get("/profile").status_code == 302
    assert "Người Mới" not in stale.get("/").get_data(as_text=True)
    assert api_client(app).get("/api/v1/me/data").status_code == 401


def test_a_bearer_header_without_a_valid_token_does_not_skip_csrf(app, db, citizen):
    client, other = api_client(app), api_client(app)
    for each in (client, other):
        assert _api_sign_in(each) == 200
    forged = {"Authorization": "Bearer x"}  # a page elsewhere cannot add it, but a tool can
    answer = client.post("/api/v1/auth/logout-everywhere", headers=forged)
    assert answer.status_code == 400
    assert answer.get_json()["error"]["code"] == "csrf_failed"
    assert other.get("/api/v1/me/data").status_code == 200  # nothing was signed out
    made_up = {"Authorization": "Bearer hs_made-up-token"}
    assert client.post("/api/v1/auth/logout", headers=made_up).status_code == 400


def test_a_request_with_a_bearer_header_is_the_tokens_alone(app, db, citizen):
    client = api_client(app)
    assert _api_sign_in(client) == 200
    assert client.get("/api/v1/me/data").status_code == 200
    # The session cookie does not stand in for a token that authenticates nobody.
    answer = client.get("/api/v1/me/data", headers={"Authorization": "Bearer x"})
    assert answer.status_code == 401


def test_sign_out_asks_the_browser_to_drop_its_cached_pages(app, db, citizen):
    client = new_client(app)
    _sign_in(client)
    page = client.get("/profile")
    assert page.headers["X-Personal-Page"] == "1"  # the service worker keeps no copy
    signed_out = client.post("/logout", data={"csrf_token": csrf_from(page.get_data(as_text=True))})
    assert signed_out.headers["Clear-Site-Data"] == '"cache"'
    assert "X-Personal-Page" not in new_client(app).get("/").headers  # nobody known
    api = api_client(app)
    assert _api_sign_in(api) == 200
    assert api.post("/api/v1/auth/logout").headers["Clear-Site-Data"] == '"cache"'


def test_a_guests_pages_are_personal_too(app, db):
    load_sample(db)
    client = new_client(app)
    assert "X-Personal-Page" not in client.get(LESSON).headers
    post_form(client, LESSON, LESSON + "/done", {})
    assert client.get_cookie("hs_guest") is not None
    assert client.get(LESSON).headers["X-Personal-Page"] == "1"
