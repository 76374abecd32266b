"""Every path that stores a phone number stores it as 0XXXXXXXXX (ASCII digits), whatever
form it was written in; a string that is not a Vietnamese mobile is refused, never stored."""

import io
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.phone import normalize_phone
from lms.contributions.models import AssistedSession
from lms.limits import limiter
from tests.certificates_support import sign_in
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import api_client
from tests.pages_support import new_client, post_form

NORMAL = re.compile(r"0[35789][0-9]{8}")
WRITTEN = ["+84 912 345 678", "84912345678", "0912.345.678", "(091) 234-5678", " 0912345678 "]


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


@given(st.text(alphabet="0123456789+ .-()٠٣９¹\n", max_size=16) | st.text(max_size=16))
def test_a_normal_form_is_ascii_and_ten_digits_or_nothing(raw):
    normal = normalize_phone(raw)
    assert normal is None or NORMAL.fullmatch(normal)


@pytest.mark.parametrize(
    "raw", ["０９１２３４５６７８", "٠٩١٢٣٤٥٦٧٨", "0912345678\n9", "¹912345678"]
)
def test_other_digits_are_not_a_phone(raw):
    assert normalize_phone(raw) is None


def _phone_of(db, **where) -> str:
    query = select(User.phone)
    for name, value in where.items():
        query = query.where(getattr(User, name) == value)
    return db.scalar(query)


@pytest.mark.parametrize("written", WRITTEN)
def test_the_users_command_stores_the_normal_form(runner, db, written):
    result = runner.invoke(
        args=["lms", "users", "create", "--login", "an", "--password", "mat-khau-dai"]
        + ["--name", "Trần Văn An", "--role", "citizen", "--phone", written]
    )
    assert result.exit_code == 0, result.output
    assert _phone_of(db, login="an") == "0912345678"


@pytest.mark.parametrize("written", WRITTEN[:3])
def test_registering_on_the_page_and_the_api_stores_the_normal_form(app, db, written):
    page = new_client(app)
    form = {"full_name": "Lê Thị Bình", "phone": written, "password": "mat-khau-dai"}
    assert post_form(page, "/register", "/register", form).status_code == 303
    assert _phone_of(db, full_name="Lê Thị Bình") == "0912345678"
    other = written.replace("912", "987")
    api = api_client(app)
    body = {"full_name": "Phạm Văn Cường", "phone": other, "password": "mat-khau-dai"}
    assert api.post("/api/v1/auth/register", json=body).status_code == 202
    assert _phone_of(db, full_name="Phạm Văn Cường") == "0987345678"


def test_registering_with_other_digits_is_refused_naming_the_phone(app, db):
    body = {"full_name": "Vũ Văn Dũng", "phone": "０９１２３４５６７８", "password": "mat-khau-dai"}
    answer = api_client(app).post("/api/v1/auth/register", json=body)
    assert answer.status_code == 422 and answer.get_json()["error"]["field"] == "phone"
    assert _phone_of(db, full_name="Vũ Văn Dũng") is None


def test_member_imports_store_the_normal_form(app, runner, db, tmp_path):
    commune = make_unit(db, "commune", parent=make_unit(db, "province", code="N01"))
    team = make_team(db, commune=commune, code="TO-SO")
    official = make_user(db, role="commune_official", unit=commune)
    rows = "".join(f"Người {i},{w},TO-SO,\n" for i, w in enumerate(WRITTEN[:3] + ["33344455"]))
    bad = post_form(
        _signed_in(app, official),
        "/reports/import",
        "/reports/import",
        {"file": (io.BytesIO(f"full_name,phone,team_code,role\n{rows}".encode()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422  # "33344455" is no mobile number; nothing is stored
    text = "full_name,phone,team_code,role\nNgười Một,+84 912 345 678,TO-SO,\n"
    text += "Người Hai,912000111,TO-SO,\n"  # the zero a spreadsheet drops
    done = post_form(
        _signed_in(app, official),
        "/reports/import",
        "/reports/import",
        {"file": (io.BytesIO(text.encode()), "a.csv")},
        content_type="multipart/form-data",
    )
    assert done.status_code == 200
    workbook = Workbook()
    workbook.active.append(["full_name", "phone", "team_code", "role"])
    workbook.active.append(["Người Ba", 987000222, "TO-SO", "member"])
    workbook.save(tmp_path / "b.xlsx")
    result = runner.invoke(args=["lms", "members", "import", str(tmp_path / "b.xlsx")])
    assert result.exit_code == 0, result.output
    stored = db.scalars(select(User.phone).where(User.team_id == team.id).order_by(User.phone))
    assert list(stored) == ["0912000111", "0912345678", "0987000222"]


def _signed_in(app, user):
    client = new_client(app)
    sign_in(client, user)
    return client


def test_an_assisted_session_stores_the_citizens_phone_in_the_normal_form(app, db):
    team = make_team(db, code="TO-HT")
    member = make_user(db, role="member", team=team)
    client = _signed_in(app, member)
    page = f"/teams/{team.code}/assisted"
    form = {"consent": "yes", "citizen_phone": "+84 (98) 7654-321", "steps": "qr_payment"}
    assert post_form(client, page, page, form).status_code in (302, 303)
    refused = post_form(client, page, page, {**form, "citizen_phone": "٠٩٨٧٦٥٤٣٢١"})
    assert refused.status_code == 422
    phones = db.scalars(
        select(AssistedSession.citizen_phone).where(AssistedSession.team_id == team.id)
    )
    assert list(phones) == ["0987654321"]
