import pytest
from sqlalchemy import func, select

from lms.accounts.models import User
from lms.accounts.services import create_user
from lms.courses.models import LessonProgress
from lms.limits import limiter
from tests.learner_helpers import api_client, load_sample, switch_person

LESSON = "/api/v1/courses/mau/modules/bat-dau/lessons/chao-mung/complete"
OTHER_LESSON = "/api/v1/courses/mau/modules/an-toan/lessons/ma-otp/complete"
NEW = {"full_name": "Lê Thị Hoa", "phone": "0912 345 678", "password": "mat-khau-dai"}


@pytest.fixture
def api(app, db):
    load_sample(db)
    switch_person()
    return api_client(app)


def _lessons_done(api) -> int:
    return api.get("/api/v1/me/progress").get_json()["courses"][0]["lessons_done"]


def _register_and_sign_in(api, registration=NEW):
    response = api.post("/api/v1/auth/register", json=registration)
    assert response.status_code == 202 and response.get_json()["status"] == "sign_in"
    credentials = {"login": registration["phone"], "password": registration["password"]}
    return api.post("/api/v1/auth/login", json=credentials)


def test_register_keeps_the_guests_progress_then_signs_in(api, db):
    api.post(LESSON)
    guest_count = db.scalar(select(func.count()).select_from(User))

    response = _register_and_sign_in(api)

    assert response.status_code == 200
    user = response.get_json()["user"]
    assert user["full_name"] == "Lê Thị Hoa" and user["phone"] == "0912345678"
    assert user["role"] == "citizen" and user["team"] is None and "password_hash" not in user
    assert db.scalar(select(func.count()).select_from(User)) == guest_count
    assert api.get_cookie("hs_guest") is None
    assert _lessons_done(api) == 1


def test_register_without_any_progress_creates_the_account(api, db):
    response = api.post("/api/v1/auth/register", json=NEW)
    assert response.status_code == 202
    assert db.scalar(select(User).where(User.phone == "0912345678")).role == "citizen"
    assert api.get("/api/v1/me/data").status_code == 401  # signed in only by signing in


def test_a_taken_phone_gets_the_answer_a_new_one_gets_and_changes_nothing(api, app, db):
    owner = create_user(
        db, full_name="Có rồi", password="mat-khau-cu-1", role="citizen", phone="0912345678"
    )
    stored = owner.password_hash
    taken = api.post("/api/v1/auth/register", json=NEW)
    fresh = api_client(app).post("/api/v1/auth/register", json={**NEW, "phone": "0987000111"})
    assert taken.status_code == fresh.status_code == 202
    assert taken.get_json() == fresh.get_json()
    assert "đã được đăng ký" not in taken.get_data(as_text=True)
    assert _cookie_names(taken) == _cookie_names(fresh)  # values differ: signed per browser
    db.refresh(owner)
    assert owner.full_name == "Có rồi" and owner.password_hash == stored


def _cookie_names(response) -> list[str]:
    return sorted(cookie.split("=", 1)[0] for cookie in response.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"full_name": ""}, "full_name"),
        ({"full_name": 5}, "full_name"),
        ({"phone": "123"}, "phone"),
        ({"phone": None}, "phone"),
        ({"password": "ngan"}, "password"),
    ],
)
def test_invalid_registration_fields_are_422_named(api, change, field):
    response = api.post("/api/v1/auth/register", json={**NEW, **change})
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["field"] == field and error["message"]


def test_login_by_phone_or_login_name_merges_the_guest(api, db):
    user = create_user(
        db,
        full_name="Trần Bình",
        password="mat-khau-dai",
        role="citizen",
        phone="0987654321",
        login="binh",
    )
    api.post(OTHER_LESSON)
    response = api.post(
        "/api/v1/auth/login", json={"login": "098 765 4321", "password": "mat-khau-dai"}
    )
    assert response.status_code == 200 and response.get_json()["user"]["id"] == user.id
    assert api.get_cookie("hs_guest") is None
    assert (
        db.scalar(
            select(func.count())
            .select_from(LessonProgress)
            .where(LessonProgress.user_id == user.id)
        )
        == 1
    )
    assert db.scalar(select(func.count()).select_from(User).where(User.role == "guest")) == 0

    assert api.post("/api/v1/auth/logout").status_code == 204
    assert _lessons_done(api) == 0
    again = api.post("/api/v1/auth/login", json={"login": "BINH", "password": "mat-khau-dai"})
    assert again.status_code == 200 and _lessons_done(api) == 1


def test_wrong_credentials_are_401(api, db):
    create_user(
        db, full_name="Trần Bình", password="mat-khau-dai", role="citizen", phone="0987654321"
    )
    for login, password in (("0987654321", "sai-mat-khau"), ("0911111111", "mat-khau-dai")):
        response = api.post("/api/v1/auth/login", json={"login": login, "password": password})
        assert response.status_code == 401
        assert response.get_json()["error"]["code"] == "invalid_credentials"


def test_missing_login_fields_are_422(api):
    response = api.post("/api/v1/auth/login", json={"login": "binh"})
    assert response.status_code == 422 and response.get_json()["error"]["field"] == "password"


def test_a_second_register_while_signed_in_is_refused(api):
    _register_and_sign_in(api)
    response = api.post("/api/v1/auth/register", json={**NEW, "phone": "0987654321"})
    assert response.status_code == 409
    assert response.get_json()["error"]["code"] == "already_signed_in"


def test_sign_in_renews_the_session(api, db):
    create_user(db, full_name="Trần Bình", password="mat-khau-dai", role="citizen", login="binh")
    with api.session_transaction() as flask_session:
        flask_session["planted"] = "by someone else"
    api.post("/api/v1/auth/login", json={"login": "binh", "password": "mat-khau-dai"})
    with api.session_transaction() as flask_session:
        assert "planted" not in flask_session and flask_session.get("_user_id")


def test_login_attempts_are_rate_limited_as_json(api):
    limiter.reset()
    # A different account each time: the limit per address (per account: test_security_limits)
    statuses = [
        api.post("/api/v1/auth/login", json={"login": f"ai{n}", "password": "x" * 8}).status_code
        for n in range(11)
    ]
    assert statuses == [401] * 10 + [429]
    response = api.post("/api/v1/auth/login", json={"login": "ai", "password": "x" * 8})
    assert response.is_json and response.get_json()["error"]["code"] == "too_many_requests"
