"""Every report page and report API route, for every role, over every unit and team of the
country: nothing outside scope is visible. That every route of the application has designed
answers for every role is tests/test_access_matrix.py."""

from datetime import timedelta

import pytest

from lms.accounts.tokens import create_token
from lms.db import utcnow
from lms.reports.periods import vietnam_day
from lms.reports.rollups import rebuild_rollups
from tests.certificates_support import sign_in
from tests.factories import make_user
from tests.pages_support import csrf_from, new_client
from tests.reports_support import build_country

UNIT_ROUTES = (
    "/reports/units/{code}",
    "/reports/honours/{code}",
    "/reports/units/{code}/export.csv",
    "/reports/units/{code}/export.xlsx",
    "/api/v1/units/{code}/report",
)
TEAM_ROUTES = (
    "/reports/teams/{code}",
    "/reports/teams/{code}/export.csv",
    "/reports/teams/{code}/export.xlsx",
    "/reports/teams/{code}/members/{member}",
    "/reports/teams/{code}/codes",
    "/api/v1/teams/{code}/report",
)
OFFICIAL_ROUTES = ("/reports/import", "/reports/tokens")
ADMIN_ROUTES = ("/reports/featured",)
# A team's own pages for its members: the share links and the assisted-session form.
MEMBER_ROUTES = ("/teams/{code}/share", "/teams/{code}/assisted")
UNITS = {
    "VN": "VN",
    "P1": "R01",
    "D1": "R011",
    "C1": "R0111",
    "C2": "R012",
    "P2": "R02",
    "C3": "R021",
}
# role -> (its place, the units it sees, the teams it sees)
ROLES = {
    "admin": (None, set(UNITS), set("ABCD")),
    "province_official": ("P1", {"P1", "D1", "C1", "C2"}, set("ABC")),
    "district_official": ("D1", {"D1", "C1"}, set("AB")),
    "commune_official": ("C1", {"C1"}, set("AB")),
    "team_leader": ("A", set(), {"A"}),
    "member": ("A", set(), set()),
    "citizen": (None, set(), set()),
}


@pytest.fixture
def country(db):
    country = build_country(db)
    rebuild_rollups(db)
    return country


def _person(db, country, role):
    place = ROLES[role][0]
    if role in ("team_leader", "member"):
        return make_user(db, role=role, team=country.teams[place])
    unit = country.units[place] if place else None
    return make_user(db, role=role, unit=unit)


def _status(client, url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.get(url, headers=headers).status_code


def _expected(url: str, visible: bool, has_scope: bool) -> set[int]:
    if not has_scope:
        return {403}
    return {200} if visible else {404}


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_sees_exactly_its_scope_on_every_route(app, db, country, role):
    person = _person(db, country, role)
    client = new_client(app)
    sign_in(client, person)
    token = create_token(db, person, "matrix")[1] if role.endswith(("official", "admin")) else None
    _, units, teams = ROLES[role]
    has_scope = bool(units or teams)
    for key, code in UNITS.items():
        for route in UNIT_ROUTES:
            url = route.format(code=code)
            got = _status(client, url)
            assert got in _expected(url, key in units, has_scope), (role, url, got)
            if token and url.startswith("/api/"):
                assert _status(new_client(app), url, token) == got, (role, url, "token")
    for key, team in country.teams.items():
        member = country.members[key][1]
        for route in TEAM_ROUTES:
            url = route.format(code=team.code, member=member.id)
            got = _status(client, url)
            assert got in _expected(url, key in teams, has_scope), (role, url, got)
            if token and url.startswith("/api/"):
                assert _status(new_client(app), url, token) == got, (role, url, "token")
    for url in OFFICIAL_ROUTES:
        allowed = role.endswith(("official", "admin"))
        assert _status(client, url) == (200 if allowed else 403), (role, url)
    for url in ADMIN_ROUTES:
        assert _status(client, url) == (200 if role == "admin" else 403), (role, url)
    home = client.get("/reports")
    assert home.status_code == (302 if has_scope else 403)
    honours = client.get("/reports/honours")
    assert honours.status_code == (302 if units else 403), role
    for key, team in country.teams.items():
        own = role in ("member", "team_leader") and key == ROLES[role][0]
        for route in MEMBER_ROUTES:
            url = route.format(code=team.code)
            assert _status(client, url) == (200 if own else 404), (role, url)


def _in_days(days: int) -> str:
    return (vietnam_day(utcnow()) + timedelta(days=days)).isoformat()


@pytest.mark.parametrize("role", list(ROLES))
def test_each_role_writes_exactly_within_its_scope(app, db, country, role):
    person = _person(db, country, role)
    client = new_client(app)
    sign_in(client, person)
    token = csrf_from(client.get("/profile").get_data(as_text=True))
    _, units, _teams = ROLES[role]
    has_scope = bool(units or _teams)
    target = {"csrf_token": token, "percent": "80", "due_on": _in_days(90)}
    for key, code in UNITS.items():
        got = client.post(f"/reports/units/{code}/target", data=target).status_code
        visible = key in units and key != "VN"  # the country has no target of its own
        assert got == (302 if visible else 404 if has_scope else 403), (role, code, got)
    featured = client.post("/reports/featured", data={"csrf_token": token, "month": ""})
    assert featured.status_code == (422 if role == "admin" else 403), role
    for key, team in country.teams.items():
        url = f"/teams/{team.code}/assisted"
        got = client.post(url, data={"csrf_token": token, "consent": "yes"}).status_code
        own = role in ("member", "team_leader") and key == ROLES[role][0]
        assert got == (302 if own else 404), (role, url, got)


def test_a_member_of_another_team_is_not_found_through_a_visible_team(app, db, country):
    client = new_client(app)
    sign_in(client, _person(db, country, "commune_official"))
    outsider = country.members["C"][0]
    assert client.get(f"/reports/teams/TO-A/members/{outsider.id}").status_code == 404


def test_without_sign_in_pages_lead_to_login_and_the_api_answers_401(app, db, country):
    client = new_client(app)
    page = client.get("/reports/units/R01")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    api = client.get("/api/v1/units/R01/report")
    assert api.status_code == 401 and api.get_json()["error"]["code"] == "unauthorized"
    assert _status(client, "/api/v1/units/R01/report", "hs_not-a-real-token") == 401
