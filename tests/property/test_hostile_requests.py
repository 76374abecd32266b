"""Every route of the URL map, pages and API, fed the hostile values a penetration test used:
ids beyond the database's integers, query arguments that views pass on (`code`, `_method`),
a NUL in every form field, JSON nested 100,000 levels deep and lone surrogates. Each answer is
a clear 4xx in the site's language (an error page, or the API's JSON error), never a 5xx."""

import re

import pytest
from werkzeug.routing import IntegerConverter

from lms.limits import limiter
from tests.certificates_support import sign_in
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import load_sample
from tests.pages_support import csrf_from, new_client

WRITES = {"POST", "PUT", "PATCH", "DELETE"}
HUGE_IDS = (2**31, 2**63, 10**40)
# every name a view reads from the query or a form (grep request.args/form/values in lms/)
FIELDS = (
    "action",
    "before",
    "below",
    "citizen_name",
    "citizen_phone",
    "code",
    "confirm",
    "consent",
    "course",
    "due_on",
    "held_on",
    "invite_code",
    "lang",
    "login",
    "module",
    "month",
    "name",
    "next",
    "order",
    "password",
    "percent",
    "period",
    "phone",
    "reason",
    "sort",
    "steps",
    "t",
    "ref",
    "v",
    "full_name",
    "file",
)
QUERY_VALUES = ("x", "2147483648", "99999999999999999999999999", "-1", "1e400", "%ff", "\u202e")
DEEP_JSON = "[" * 100_000 + "]" * 100_000
PAGE_ERROR = re.compile(r'<html lang="(vi|en)">')


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def people(db):
    load_sample(db)
    province = make_unit(db, "province", code="HX")
    commune = make_unit(db, "commune", parent=province, code="HX01")
    team = make_team(db, commune=commune, code="HX-T")
    return {
        "anonymous": None,
        "admin": make_user(db, role="admin"),
        "leader": make_user(db, role="team_leader", team=team, phone="0900000077"),
        "official": make_user(db, role="commune_official", unit=commune),
    }


def _rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _path(rule, int_value) -> str:
    """The rule's path with every int part set to int_value and every other part to 'x'."""
    path = rule.rule
    for name, converter in rule._converters.items():
        value = int_value if isinstance(converter, IntegerConverter) else "x"
        path = re.sub(rf"<[^>]*\b{name}>", str(value), path)
    return path


def _client(app, person):
    client = new_client(app)
    if person is not None:
        sign_in(client, person)
    return client


def _assert_clear_4xx(response, where) -> None:
    """No 5xx; an answer to bad input (400, 404, 422) is the API's JSON error or a page of
    the site in the request's language. (Pages' 401, 403 and 405 keep werkzeug's plain
    answers, which these values do not change.)"""
    status = response.status_code
    assert status < 500, (status, where)
    if status in (400, 404, 422):
        if where[1].startswith("/api/"):
            assert response.is_json and response.get_json()["error"]["message"], where
        else:
            assert PAGE_ERROR.search(response.get_data(as_text=True)), where


def test_ids_beyond_the_databases_integers_are_404_on_every_int_route(app, db, people):
    int_rules = [
        r
        for r in _rules(app)
        if any(isinstance(c, IntegerConverter) for c in r._converters.values())
    ]
    assert len(int_rules) >= 7
    for role in ("anonymous", "admin", "leader"):
        for rule in int_rules:
            for value in HUGE_IDS:
                path = _path(rule, value)
                for method in sorted(rule.methods - {"OPTIONS", "HEAD"}):
                    client = _client(app, people[role])
                    token = csrf_from(client.get("/").get_data(as_text=True))
                    response = client.open(path, method=method, data={"csrf_token": token})
                    assert response.status_code in (404, 405), (role, method, path)
                    _assert_clear_4xx(response, (method, path))


def test_hostile_query_arguments_never_reach_a_5xx(app, db, people):
    for role in ("anonymous", "admin", "official", "leader"):
        for rule in _rules(app):
            if "GET" not in rule.methods:
                continue
            path = _path(rule, 1)
            for value in QUERY_VALUES:
                query = dict.fromkeys(FIELDS, value)
                for extra in ({}, {"_method": "POST"}, {"code": "x", "_external": "1"}):
                    client = _client(app, people[role])
                    response = client.get(path, query_string={**query, **extra})
                    assert response.status_code < 500, (role, path, value, extra)
                    _assert_clear_4xx(response, ("GET", path))


def test_the_honours_shortcut_keeps_only_the_arguments_it_knows(app, db, people):
    client = _client(app, people["official"])
    response = client.get("/reports/honours?code=x&_method=POST&period=week&_anchor=a")
    assert response.status_code == 302
    assert response.headers["Location"] == "/reports/honours/HX01?period=week"


def test_a_nul_in_any_form_field_is_a_400_naming_it(app, db, people):
    for role in ("anonymous", "admin"):
        for rule in _rules(app):
            for method in sorted(rule.methods & WRITES):
                client = _client(app, people[role])
                path = _path(rule, 1)
                token = csrf_from(client.get("/").get_data(as_text=True))
                for field in FIELDS:
                    data = {"csrf_token": token, field: "a\x00b"}
                    response = client.open(path, method=method, data=data)
                    assert response.status_code == 400, (role, method, path, field)
                    _assert_clear_4xx(response, (method, path))
                    text = response.get_data(as_text=True)
                    if response.is_json:
                        text = response.get_json()["error"]["message"]
                    assert "ký tự NUL" in text, (path, field)


def test_the_nul_message_is_in_english_on_an_english_page(app, db, people):
    client = _client(app, people["admin"])
    client.set_cookie("lang", "en")
    token = csrf_from(client.get("/").get_data(as_text=True))
    response = client.post("/reports/tokens", data={"csrf_token": token, "name": "a\x00"})
    assert response.status_code == 400
    assert "The form has an invalid character (NUL)" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    "body",
    [
        DEEP_JSON,
        '{"login": "\\ud800", "password": "x"}',
        '{"full_name": "\\udfff", "phone": "0987654321", "password": "mat-khau-dai-1"}',
        '{"\\ud800": 1}',
        '{"answers": {"1": ["\\ud800"]}}',
    ],
)
def test_deep_or_surrogate_json_is_a_4xx_on_every_api_write(app, db, people, body):
    for rule in _rules(app):
        if not rule.rule.startswith("/api/"):
            continue
        for method in sorted(rule.methods & WRITES):
            client = _client(app, people["admin"])
            path = _path(rule, 1)
            response = client.open(path, method=method, data=body, content_type="application/json")
            assert response.status_code < 500, (method, path, response.status_code)
            _assert_clear_4xx(response, (method, path))


def test_a_json_body_that_cannot_be_read_names_the_body(app, db):
    client = new_client(app)
    for body in (DEEP_JSON, '{"login": "\\ud800", "password": "x"}'):
        response = client.post("/api/v1/auth/login", data=body, content_type="application/json")
        assert response.status_code == 422
        assert response.get_json()["error"]["field"] == "body"
    fine = client.post(
        "/api/v1/auth/login",
        data='{"login": "\\ud83d\\ude00", "password": "mat-khau-dai-1"}',
        content_type="application/json",
    )
    assert fine.status_code == 401  # a surrogate pair is one real character
