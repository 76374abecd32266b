"""Account enumeration: sign-in takes as long for an unknown login as for a known one (page
and API), so timing does not tell which phones and logins have accounts. Registration gives
one answer for a new and a taken phone: tests/test_pages_accounts.py and test_api_auth.py."""

import statistics
import time

import pytest

from lms.accounts.services import create_user
from tests.learner_helpers import api_client
from tests.pages_support import new_client, post_form

PASSWORD = "mat-khau-dai-1"
TRIES = 7


@pytest.fixture
def known(db):
    create_user(db, full_name="Lê Thị Hoa", password=PASSWORD, role="citizen", phone="0912345678")
    return "0912345678"


def _page_sign_in(app, login) -> float:
    client = new_client(app)  # an address of its own: the per-address limit stays out of it
    client.get("/login")
    started = time.perf_counter()
    answer = post_form(client, "/login", "/login", {"login": login, "password": "sai-mat-khau"})
    elapsed = time.perf_counter() - started
    assert answer.status_code == 401
    return elapsed


def _api_sign_in(app, login) -> float:
    client = api_client(app)
    client.get("/api/v1/auth/csrf")
    started = time.perf_counter()
    answer = client.post("/api/v1/auth/login", json={"login": login, "password": "sai-mat-khau"})
    elapsed = time.perf_counter() - started
    assert answer.status_code == 401
    return elapsed


@pytest.mark.parametrize("attempt", [_page_sign_in, _api_sign_in], ids=["page", "api"])
def test_an_unknown_login_takes_as_long_as_a_known_one(app, db, known, attempt):
    known_times, unknown_times = [], []
    for n in range(TRIES):  # interleaved, so that a slow moment hits both alike
        known_times.append(attempt(app, known))
        unknown_times.append(attempt(app, f"09770000{n:02d}"))
    known_median = statistics.median(known_times)
    unknown_median = statistics.median(unknown_times)
    # Before the dummy hash an unknown login answered about ten times faster.
    assert 0.5 < unknown_median / known_median < 2, (known_median, unknown_median)
