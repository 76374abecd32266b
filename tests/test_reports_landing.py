"""Where sign-in leads each role, the header's "Báo cáo" link, and an official's profile."""

import pytest

from lms.accounts.services import hash_password
from tests.factories import make_team, make_unit, make_user
from tests.pages_support import new_client, post_form

PASSWORD = "mat-khau-dang-nhap"


@pytest.fixture
def places(db):
    province = make_unit(db, "province", code="L01", name="Tỉnh Đích")
    commune = make_unit(db, "commune", parent=province, code="L0101", name="Xã Đích")
    team = make_team(db, commune=commune, code="TO-DICH")
    return province, commune, team


def _person(db, role: str, **fields):
    user = make_user(db, role=role, **fields)
    user.password_hash = hash_password(PASSWORD)
    db.flush()
    return user


def _sign_in(app, user, next_url: str | None = None):
    client = new_client(app)
    data = {"login": user.login, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    answer = post_form(client, "/login", "/login", data)
    assert answer.status_code == 302
    return client, answer.headers["Location"]


def test_sign_in_without_next_leads_each_role_to_its_own_reports(app, db, places):
    province, commune, team = places
    expected = {
        "commune_official": ({"unit": commune}, "/reports/units/L0101"),
        "province_official": ({"unit": province}, "/reports/units/L01"),
        "admin": ({}, "/reports/units/VN"),
        "team_leader": ({"team": team}, "/reports/teams/TO-DICH"),
        "member": ({"team": team}, "/me/progress"),
        "citizen": ({}, "/me/progress"),
    }
    for role, (fields, landing) in expected.items():
        client, landed = _sign_in(app, _person(db, role, **fields))
        assert landed == landing, role
        # Already signed in, /login leads to the same place.
        assert client.get("/login").headers["Location"] == landing, role


def test_a_next_address_still_wins_except_the_home_page(app, db, places):
    _province, commune, _team = places
    official = _person(db, "commune_official", unit=commune)
    _client, landed = _sign_in(app, official, next_url="/courses/mau")
    assert landed == "/courses/mau"
    # The header's sign-in link on the home page carries next=/: that is no destination.
    _client, landed = _sign_in(app, official, next_url="/")
    assert landed == "/reports/units/L0101"
    citizen = _person(db, "citizen")
    assert _sign_in(app, citizen, next_url="/")[1] == "/me/progress"


def test_the_header_shows_reports_to_officials_and_team_leaders_only(app, db, places):
    _province, commune, team = places
    for role, fields, shown in (
        ("commune_official", {"unit": commune}, True),
        ("team_leader", {"team": team}, True),
        ("admin", {}, True),
        ("member", {"team": team}, False),
        ("citizen", {}, False),
    ):
        client, _landed = _sign_in(app, _person(db, role, **fields))
        header = client.get("/").get_data(as_text=True).split("</header>")[0]
        assert (">Báo cáo</a>" in header) is shown, role


def test_an_officials_profile_never_asks_for_a_team_invite_code(app, db, places):
    _province, commune, _team = places
    for role, fields in (("commune_official", {"unit": commune}), ("admin", {})):
        client, landing = _sign_in(app, _person(db, role, **fields))
        profile = client.get("/profile").get_data(as_text=True)
        assert 'name="invite_code"' not in profile and "Mã mời" not in profile, role
        assert f'href="{landing}"' in profile, role
    citizen_client, _landed = _sign_in(app, _person(db, "citizen"))
    assert 'name="invite_code"' in citizen_client.get("/profile").get_data(as_text=True)


def test_a_team_leaders_first_password_after_a_code_leads_to_the_team(app, db, places):
    from lms.accounts.onetime import display_code, issue_code

    _province, _commune, team = places
    leader = make_user(db, role="team_leader", team=team, phone="0912000111")
    code = display_code(issue_code(db, app.config["SECRET_KEY"], leader))
    client = new_client(app)
    signed = post_form(client, "/login/code", "/login/code", {"phone": leader.phone, "code": code})
    assert signed.status_code == 302
    new_password = "mat-khau-to-truong-moi"
    answer = post_form(
        client,
        "/login/code/password",
        "/login/code/password",
        {"password": new_password, "confirm": new_password},
    )
    assert answer.headers["Location"] == "/reports/teams/TO-DICH"
