"""The English site is English. Every route of the access matrix is read in English as
every role (what the role may see, and the error page or JSON error it is refused with), and
must show no Vietnamese outside lesson content, names and places, which the templates mark
lang="vi". Forms are posted empty and with wrong values, so that their error messages and
flashes are read too, and the API's error messages are read as JSON.
"""

import io
from datetime import timedelta

import pytest

from lms.db import utcnow
from lms.i18n import LOCALE_COOKIE
from lms.reports import featured, targets
from lms.reports.periods import month_key, vietnam_day
from tests.access_world import LOGIN, ROLES, build_world, client_as
from tests.access_world import form_token as token_of
from tests.english_support import is_vietnamese, vietnamese_in
from tests.test_access_matrix import LAST, MATRIX, _rules, path_values

# Whose answers the walk reads last: their effect outlives the request (joining a team,
# signing out everywhere, leaving).
LEAVING = (*LAST, "POST /me/delete", "DELETE /api/v1/me")


def _order(key: str) -> tuple:
    return (key in LEAVING, not key.startswith("GET "), key)


@pytest.fixture
def world(db):
    """The access matrix's world, with a target on commune C1 and this month's featured topic."""
    world = build_world(db)
    admin, country = world.people["admin"], world.country
    today = vietnam_day(utcnow())
    due = today + timedelta(days=30)
    targets.set_target(db, country.units["C1"], country.course, 80, due, admin, today)
    module = featured.citizen_modules(db)[0]
    featured.set_topic(db, month_key(today), str(module.id), admin, today)
    return world


def english(app, world, role):
    client = client_as(app, world, role)
    client.set_cookie(LOCALE_COOKIE, "en")
    return client


def _walk(app, world, role, methods):
    """(method, url) of every matrix route as the role, in the matrix's order: what it may
    use, and what it is refused with a page or a JSON error (403, 404, 401). Only a redirect
    to sign in is skipped: the sign-in page is read as a route of its own."""
    rules, adapter = _rules(app), app.url_map.bind("localhost")
    for key in sorted(MATRIX, key=_order):
        method = key.split(" ", 1)[0]
        if method not in methods:
            continue
        for name, expected in MATRIX[key]:
            if expected[role] == LOGIN:
                continue
            values = path_values(world, role, name)
            rule = rules[key]
            arguments = {k: values[k] for k in rule.arguments}
            yield method, adapter.build(rule.endpoint, arguments, method=method)


def _report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{where}: {texts}" for where, texts in found.items() if texts)


@pytest.mark.parametrize("role", ROLES)
def test_every_page_is_english_for_every_role(app, db, world, role):
    found, read = {}, 0
    for _method, url in _walk(app, world, role, {"GET"}):
        for kind in ("csv", "xlsx") if "/export." in url else (None,):
            address = url.replace("export.csv", f"export.{kind}") if kind else url
            response = english(app, world, role).get(address)
            if response.status_code in (301, 302, 303, 307, 308):
                continue  # the page it leads to is a route of its own
            found[f"GET {address} ({response.status_code})"] = vietnamese_in(response)
            read += 1
    assert read >= 10, "the walk read too few pages to mean anything"
    assert not _report(found), f"{role} reads Vietnamese in English:\n{_report(found)}"


@pytest.mark.parametrize("role", ROLES)
def test_every_form_and_api_write_answers_in_english(app, db, world, role):
    """Every write of the matrix, posted empty as the role: the error (or the page it leads
    to, with its flash) is English; API writes answer with English error messages."""
    found = {}
    for method, url in _walk(app, world, role, {"POST", "DELETE"}):
        client = english(app, world, role)
        if url.startswith("/api/"):
            response = client.open(url, method=method, json={})
        else:
            response = client.open(
                url, method=method, data={"csrf_token": token_of(client)}, follow_redirects=True
            )
        found[f"{method} {url} ({response.status_code})"] = vietnamese_in(response)
    assert found, "the walk posted nothing"
    assert not _report(found), f"{role} reads Vietnamese in English:\n{_report(found)}"


BAD_MEMBERS = "full_name,phone,team_code,role\n,12345,KHONG-CO,chief\nNguyễn Văn Một,,,\n"
GOOD_MEMBERS = "full_name,phone,team_code,role\nTrần Thị Hai,0912000111,TO-A,member\n"


def _files(name: str, text: str) -> dict:
    return {"file": (io.BytesIO(text.encode()), name)}


def _form_cases(world) -> list[tuple]:
    """(role, method, url, form, files, status): wrong values first, then right ones whose
    page shows a flash. The status proves the case took the path it names."""
    v, today = world.values, vietnam_day(utcnow())
    team, code = v["team"].code, v["certificates"]["team"].code
    target = f"/reports/units/{v['unit']}/target"
    due = (today + timedelta(days=40)).isoformat()
    lesson = "/courses/mau/modules/bat-dau/lessons/chao-mung"
    return [
        ("commune_official", "/reports/import", {}, _files("members.csv", BAD_MEMBERS), 422),
        ("commune_official", "/reports/import", {}, _files("members.txt", "x"), 422),
        ("commune_official", "/reports/import", {}, _files("members.csv", "\ufeff"), 422),
        ("commune_official", "/reports/import", {}, _files("members.csv", GOOD_MEMBERS), 200),
        ("commune_official", target, {"percent": "0"}, None, 422),
        (
            "commune_official",
            target,
            {"percent": "90", "due_on": "x"},
            None,
            422,
        ),
        (
            "commune_official",
            target,
            {"percent": "90", "due_on": due},
            None,
            200,
        ),
        ("commune_official", "/reports/tokens", {"name": ""}, None, 422),
        ("commune_official", "/reports/tokens", {"name": "spreadsheet"}, None, 200),
        ("admin", "/reports/featured", {"month": "12/2026"}, None, 422),
        ("admin", "/reports/featured", {"month": month_key(today), "module": "0"}, None, 422),
        ("admin", "/reports/featured", {"month": month_key(today), "module": ""}, None, 200),
        ("admin", f"/verify/{code}/revoke", {"reason": ""}, None, 400),
        ("admin", f"/verify/{code}/revoke", {"reason": "Cấp nhầm"}, None, 200),
        ("member", f"/teams/{team}/assisted", {"citizen_phone": "123", "held_on": "x"}, None, 422),
        ("member", f"/teams/{team}/assisted", {"consent": "yes", "steps": "qr_payment"}, None, 200),
        ("anonymous", "/register", {"full_name": "", "phone": "12", "password": "ngan"}, None, 400),
        ("anonymous", "/login", {"login": "0900000000", "password": "sai-mat-khau"}, None, 401),
        ("anonymous", "/login/code", {"phone": "", "code": ""}, None, 422),
        ("citizen", "/profile/team", {"invite_code": "SAI"}, None, 422),
        ("citizen", "/profile/team", {"invite_code": v["team"].invite_code}, None, 200),
        ("citizen", f"{lesson}/done", {}, None, 200),
    ]


def test_wrong_values_and_flashes_are_english(app, db, world):
    found, statuses = {}, {}
    for role, url, form, files, status in _form_cases(world):
        client = english(app, world, role)
        data = {"csrf_token": token_of(client), **form, **(files or {})}
        response = client.post(url, data=data, follow_redirects=True)
        where = f"{role} POST {url} {sorted(form.items())}"
        statuses[where] = (response.status_code, status)
        found[where] = vietnamese_in(response)
    wrong = {where: got for where, got in statuses.items() if got[0] != got[1]}
    assert not wrong, f"cases that did not take their path (got, meant): {wrong}"
    assert not _report(found), f"Vietnamese in English:\n{_report(found)}"


API_CASES = [
    ("POST", "/api/v1/auth/login", {"login": "0900000000", "password": "sai"}, 401),
    ("POST", "/api/v1/auth/login", {"login": 5}, 422),
    ("POST", "/api/v1/auth/register", {"full_name": "A", "phone": "12", "password": "x"}, 422),
    (
        "POST",
        "/api/v1/auth/register",
        {"full_name": "A", "phone": "0912345678", "password": "ngan"},
        422,
    ),
    ("POST", "/api/v1/attempts/2147483647/submit", {"answers": {}}, 404),
    ("POST", "/api/v1/attempts/1/submit", {"answers": {"x": []}}, 422),
    ("GET", "/api/v1/courses/khong-co", None, 404),
    ("GET", "/api/v1/courses/mau/modules/bat-dau/lessons/khong-co", None, 404),
    ("GET", "/api/v1/units/KHONG-CO/report", None, 401),
    ("GET", "/api/v1/certificates/KHONGCO", None, 404),
    ("GET", "/api/v1/me/certificates", None, 401),
    ("GET", "/api/v1/khong-co", None, 404),
    ("PUT", "/api/v1/courses", None, 405),
]


def test_api_errors_are_english_in_the_english_locale(app, db, world):
    found, statuses = {}, {}
    for method, url, body, status in API_CASES:
        response = english(app, world, "anonymous").open(url, method=method, json=body)
        where = f"{method} {url} {body}"
        statuses[where] = (response.status_code, status)
        messages = response.get_json()["error"]["message"]
        found[where] = [messages] if is_vietnamese(messages) or not messages else []
    wrong = {where: got for where, got in statuses.items() if got[0] != got[1]}
    assert not wrong, f"cases that did not take their path (got, meant): {wrong}"
    assert not _report(found), f"Vietnamese (or nothing) in English:\n{_report(found)}"


def test_an_official_reads_the_api_report_errors_in_english(app, db, world):
    client = english(app, world, "commune_official")
    for url in ("/api/v1/units/R021/report", "/api/v1/teams/TO-D/report"):
        response = client.get(url)
        assert response.status_code == 404
        assert not is_vietnamese(response.get_json()["error"]["message"]), url
    refused = client.get("/api/v1/units/R0111/report?course=khong-co")
    assert refused.status_code == 422
    assert refused.get_json()["error"]["message"] == "There is no course 'khong-co'."
