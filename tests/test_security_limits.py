"""Failed sign-ins are limited per account on the page, the API and the one-time code
together (from any address), and per address on each path."""

import pytest

from lms.accounts.onetime import issue_code
from lms.accounts.services import create_user
from tests.factories import make_team
from tests.learner_helpers import api_client
from tests.pages_support import new_client, post_form

PASSWORD = "mat-khau-dai-1"
PHONE = "0912345678"
LIMIT = 10  # ACCOUNT_SIGN_IN_LIMIT: 10 failures per 15 minutes


@pytest.fixture
def member(db):
    user = create_user(db, full_name="Lê Thị Hoa", password=PASSWORD, role="member", phone=PHONE)
    user.team = make_team(db)
    return user


def _page(app, login, password=PASSWORD):
    client = new_client(app)  # a new address every time
    return post_form(client, "/login", "/login", {"login": login, "password": password})


def _api(app, login, password=PASSWORD):
    return api_client(app).post("/api/v1/auth/login", json={"login": login, "password": password})


def _code(app, phone, code):
    client = new_client(app)
    return post_form(client, "/login/code", "/login/code", {"phone": phone, "code": code})


def test_failures_on_every_path_count_for_one_account_from_any_address(app, db, member):
    statuses = [_page(app, PHONE, "sai-mat-khau").status_code for _ in range(4)]
    statuses += [_api(app, "+84 912 345 678", "sai-mat-khau").status_code for _ in range(3)]
    statuses += [_code(app, "0912.345.678", "ABCD-EFGH").status_code for _ in range(3)]
    assert statuses == [401] * 7 + [422] * 3
    locked = _page(app, PHONE)  # the right password, from a new address
    assert locked.status_code == 429
    assert "Đã nhập sai quá nhiều lần" in locked.get_data(as_text=True)
    api = _api(app, PHONE)
    assert api.status_code == 429 and api.get_json()["error"]["code"] == "too_many_failures"
    code = issue_code(db, app.config["SECRET_KEY"], member)
    assert _code(app, PHONE, code).status_code == 429  # even a valid one-time code
    create_user(db, full_name="Khác", password=PASSWORD, role="citizen", phone="0987654321")
    assert _page(app, "0987654321").status_code == 302  # other accounts are not touched


def test_successful_sign_ins_cost_nothing(app, member):
    statuses = [_page(app, PHONE).status_code for _ in range(LIMIT + 2)]
    assert statuses == [302] * (LIMIT + 2)


def test_the_account_key_is_the_same_for_any_spelling_of_the_login(app, db):
    create_user(db, full_name="Bình", password=PASSWORD, role="citizen", login="binh")
    for n in range(LIMIT):
        assert _page(app, "BINH" if n % 2 else " binh ", "sai-mat-khau").status_code == 401
    assert _api(app, "Binh").status_code == 429


def test_one_time_code_attempts_are_limited_per_address_in_vietnamese(app, db):
    client = new_client(app)
    statuses = [
        post_form(client, "/login/code", "/login/code", {"phone": f"09123400{n:02d}", "code": "X"})
        for n in range(21)
    ]
    assert [r.status_code for r in statuses] == [422] * 20 + [429]
    assert "Thử quá nhiều lần" in statuses[-1].get_data(as_text=True)
