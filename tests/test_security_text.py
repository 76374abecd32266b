"""Passwords judged by a strength estimator, and invisible characters kept out of names and
every free text that reaches a certificate, a report or an export (lms/text.py)."""

import unicodedata
from datetime import date

import pytest
from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.onetime import issue_code
from lms.accounts.services import AccountError, check_password_policy, create_user
from lms.accounts.tokens import create_token
from lms.certificates.services import revoke
from lms.contributions.steps import check_session
from lms.demo import DEMO_PASSWORD
from lms.text import invisible_characters, visible_text
from tests.certificates_support import issued
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import api_client
from tests.pages_support import new_client, post_form

ZWSP, RLO, LRI, PDI, BOM, SHY, FILLER = (
    "\u200b",
    "\u202e",
    "\u2066",
    "\u2069",
    "\ufeff",
    "\xad",
    "\u3164",
)
TOO_GUESSABLE = "Mật khẩu này quá dễ đoán"
INVISIBLE = "Mật khẩu có ký tự vô hình"


@pytest.mark.parametrize(
    ("password", "reason"),
    [
        ("abcabcab", TOO_GUESSABLE),
        ("Ab1" + ZWSP * 5, INVISIBLE),
        ("mat-khau" + RLO + "123", INVISIBLE),
        ("Matkhau@123", TOO_GUESSABLE),
        ("qwertyuiop", TOO_GUESSABLE),
        ("20122012", TOO_GUESSABLE),
        ("NguyenVanAn1990", TOO_GUESSABLE),  # the person's name without diacritics
        ("hocso2026!", TOO_GUESSABLE),  # the site's name
    ],
)
def test_the_policy_refuses_what_the_estimator_finds_weak_or_hidden(password, reason):
    with pytest.raises(AccountError) as refused:
        check_password_policy(password, "0912345678", "Nguyễn Văn An")
    assert refused.value.field == "password" and str(refused.value).startswith(reason)


@pytest.mark.parametrize(
    "password", ["Ba-con-meo-xanh", "Tôi-đi-học-số-mỗi-ngày", "trâu ăn cỏ bên sông", "mat-khau-dai"]
)
def test_phrases_of_a_few_words_pass(password):
    check_password_policy(password, "0912345678", "Nguyễn Văn An")


def _register(client, password, full_name="Trần Văn Bình", phone="0987654321"):
    data = {"full_name": full_name, "phone": phone, "password": password}
    return post_form(client, "/register", "/register", data)


@pytest.mark.parametrize(
    ("password", "reason"), [("abcabcab", TOO_GUESSABLE), ("Ab1" + ZWSP * 5, INVISIBLE)]
)
def test_the_register_page_and_api_refuse_them(app, db, password, reason):
    page = _register(new_client(app), password)
    assert page.status_code == 400 and reason in page.get_data(as_text=True)
    body = {"full_name": "Trần Văn Bình", "phone": "0987654321", "password": password}
    api = api_client(app).post("/api/v1/auth/register", json=body)
    assert api.status_code == 422
    assert api.get_json()["error"]["field"] == "password"
    assert api.get_json()["error"]["message"].startswith(reason)
    assert db.scalar(select(User).where(User.phone == "0987654321")) is None


def test_the_messages_are_in_english_on_an_english_page(app, db):
    client = new_client(app)
    client.set_cookie("lang", "en")
    weak = _register(client, "abcabcab").get_data(as_text=True)
    assert "This password is too easy to guess (repeats, sequences, dates or common words)" in weak
    hidden = _register(client, "Ab1" + ZWSP * 5).get_data(as_text=True)
    assert "The password has invisible or control characters" in hidden


def test_the_first_password_after_a_code_and_the_users_command_use_the_estimator(app, db, runner):
    member = make_user(db, role="member", phone="0912345678", team=make_team(db))
    code = issue_code(db, app.config["SECRET_KEY"], member)
    client = new_client(app)
    post_form(client, "/login/code", "/login/code", {"phone": "0912345678", "code": code})
    url = "/login/code/password"
    weak = post_form(client, url, url, {"password": "abcabcab", "confirm": "abcabcab"})
    assert weak.status_code == 422 and TOO_GUESSABLE in weak.get_data(as_text=True)
    args = ["lms", "users", "create", "--name", "Quản trị", "--role", "admin", "--login", "qt"]
    refused = runner.invoke(args=[*args, "--password", "Ab1" + ZWSP * 5])
    assert refused.exit_code != 0 and INVISIBLE in refused.output
    assert db.scalar(select(User).where(User.login == "qt")) is None


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("Lê" + ZWSP + " Thị Hoa", "Lê Thị Hoa"),
        (RLO + "Hoa Thị Lê", "Hoa Thị Lê"),
        ("An " + LRI + "Bình" + PDI, "An Bình"),
        (BOM + "Tổ" + SHY + " Đông", "Tổ Đông"),
        ("Thôn" + FILLER + FILLER + " Tây", "Thôn Tây"),
        ("  Nguyễn\t\n Văn\u00a0An  ", "Nguyễn Văn An"),
        (unicodedata.normalize("NFD", "Nguyễn Ánh"), "Nguyễn Ánh"),
    ],
)
def test_visible_text_keeps_what_is_seen(typed, kept):
    assert visible_text(typed) == kept
    assert invisible_characters(kept) == []


def test_invisible_characters_are_named_for_a_message():
    assert invisible_characters("a" + ZWSP + "b" + RLO + ZWSP) == ["U+200B", "U+202E"]
    assert invisible_characters("Mật khẩu dài 1") == []


def test_a_registered_name_is_stored_without_them_and_an_invisible_one_is_refused(app, db):
    page = _register(new_client(app), "mat-khau-dai-1", full_name=RLO + "Lê" + ZWSP + " Thị Hoa")
    assert page.status_code == 303
    user = db.scalar(select(User).where(User.phone == "0987654321"))
    assert user.full_name == "Lê Thị Hoa"
    body = {"full_name": ZWSP * 3 + RLO, "phone": "0987000111", "password": "mat-khau-dai-1"}
    api = api_client(app).post("/api/v1/auth/register", json=body)
    assert api.status_code == 422 and api.get_json()["error"]["field"] == "full_name"


def test_every_path_to_a_certificate_or_report_stores_visible_text(app, db, runner, tmp_path):
    """Member and team imports, the users command, tokens, assisted sessions, revocations,
    and any other assignment of those columns (the model keeps them visible)."""
    commune = make_unit(db, "commune", parent=make_unit(db, "province", code="V01"), code="V0101")
    teams = tmp_path / "teams.csv"
    teams.write_text(f"team_code,name,commune_code\nTV-1,{RLO}Tổ{ZWSP} Đông,V0101\n", "utf-8")
    assert runner.invoke(args=["lms", "teams", "import", str(teams)]).exit_code == 0
    members = tmp_path / "members.csv"
    members.write_text(f"full_name,phone,team_code,role\nAn{ZWSP} Bình,0911111111,TV-1,\n", "utf-8")
    assert runner.invoke(args=["lms", "members", "import", str(members)]).exit_code == 0
    units = tmp_path / "units.csv"
    units.write_text(f"code,name,level,parent_code\nV01,Tỉnh{LRI} Một{PDI},province,\n", "utf-8")
    assert runner.invoke(args=["lms", "units", "import", "--csv", str(units)]).exit_code == 0
    db.expire_all()
    member = db.scalar(select(User).where(User.phone == "0911111111"))
    assert (member.full_name, member.team.name, commune.parent.name) == (
        "An Bình",
        "Tổ Đông",
        "Tỉnh Một",
    )
    admin = create_user(
        db,
        full_name=BOM + "Quản" + SHY + " trị",
        password="Ba-con-meo-xanh",
        role="admin",
        login="qt2",
    )
    assert admin.full_name == "Quản trị"
    token, _secret = create_token(db, admin, "Báo cáo" + RLO + " tỉnh")
    assert token.name == "Báo cáo tỉnh"
    form = check_session(
        True, "Bà" + ZWSP + " Tư", "", date.today().isoformat(), ["vneid_level2"], date.today()
    )
    assert form.citizen_name == "Bà Tư"
    member.full_name = "An" + RLO + " Bình"
    certificate = issued(db, member)
    assert certificate.holder_name == "An Bình" and certificate.team_name == "Tổ Đông"
    revoke(db, certificate, "Cấp" + ZWSP + " nhầm" + RLO, admin)
    assert certificate.revoked_reason == "Cấp nhầm"
    with pytest.raises(AccountError):
        create_token(db, admin, ZWSP + ZWSP)


def test_the_demo_password_passes_the_policy():
    check_password_policy(DEMO_PASSWORD, "0900000001", "demo", "Nguyễn Văn An")
