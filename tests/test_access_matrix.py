"""Every route of the application × every role: the designed answer, checked by request.

The table below must name every rule and method of app.url_map: a new route fails
test_every_route_is_in_the_matrix until its answers are designed here. Each route is then
requested as every role, with real path values (the role's own attempt, team A inside the
officials' scope, team D outside it...), and must answer exactly as written: ok (it did
what was asked, or explained what was wrong), login (a redirect to sign in), 401, 403 or
404. The deeper walk of every unit at every level is tests/test_scope_matrix.py.
"""

import pytest

from lms.security import CONTENT_SECURITY_POLICY
from tests.access_world import LOGIN, OK, ROLES, answer_of, answers, build_world, client_as
from tests.access_world import form_token as token_of

EVERYONE = answers(OK)
SIGNED_IN = answers(OK, nobody=LOGIN)
SIGNED_IN_API = answers(OK, nobody=401)
OFFICIALS = answers(403, nobody=LOGIN, officials=OK, admin=OK)
ADMIN = answers(403, nobody=LOGIN, admin=OK)
ADMIN_API_PAGE = answers(403, nobody=401, admin=OK)  # the audit log answers 401, not a redirect
ADMIN_ACTION = answers(403, admin=OK)  # a form only the admin is shown
EVERYONES_LOGIN = answers(LOGIN)
NOBODY_OWNS = answers(404)
OWN = answers(OK, anonymous=404)  # an attempt is its owner's; nobody owns one unseen
UNIT_IN = answers(403, nobody=LOGIN, team_leader=404, officials=OK, admin=OK)
UNIT_OUT = answers(403, nobody=LOGIN, team_leader=404, officials=404, admin=OK)
TEAM_IN = answers(403, nobody=LOGIN, team_leader=OK, officials=OK, admin=OK)
TEAM_OUT = answers(403, nobody=LOGIN, team_leader=404, officials=404, admin=OK)
API_UNIT_IN = {**UNIT_IN, "anonymous": 401, "guest": 401}
API_UNIT_OUT = {**UNIT_OUT, "anonymous": 401, "guest": 401}
API_TEAM_IN = {**TEAM_IN, "anonymous": 401, "guest": 401}
API_TEAM_OUT = {**TEAM_OUT, "anonymous": 401, "guest": 401}
OWN_TEAM = answers(404, nobody=LOGIN, member=OK, team_leader=OK)
OTHER_TEAM = answers(404, nobody=LOGIN)
REPORTS_HOME = answers(403, nobody=LOGIN, team_leader=OK, officials=OK, admin=OK)
TEAM_CERT = answers(404, nobody=LOGIN, member=OK, officials=OK, admin=OK)
OTHER_CERT = answers(404, nobody=LOGIN, admin=OK)
CITIZEN_CERT = answers(404, nobody=LOGIN, citizen=OK, admin=OK)
CERT_TEAM_OUT = answers(403, nobody=LOGIN, officials=404, admin=OK)
OWN_TOKEN = answers(403, nobody=LOGIN, officials=OK, admin=OK)
OTHER_TOKEN = answers(403, nobody=LOGIN, officials=404, admin=404)
LEAVE = answers(OK, nobody=LOGIN, officials=403, admin=403)  # officials are removed by the admin
LEAVE_API = {**LEAVE, "anonymous": 401, "guest": 401}

# "METHOD rule" → [(path values, answers per role)]
MATRIX = {
    "GET /": [("none", EVERYONE)],
    "GET /.well-known/hocso-certificates.pub": [("none", EVERYONE)],
    "GET /admin/audit": [("none", ADMIN_API_PAGE)],
    "POST /api/v1/attempts/<int(max=2147483647):attempt_id>/submit": [
        ("own_attempt", OWN),
        ("other_attempt", NOBODY_OWNS),
    ],
    "GET /api/v1/auth/csrf": [("none", EVERYONE)],
    "POST /api/v1/auth/login": [("none", EVERYONE)],
    "POST /api/v1/auth/logout": [("none", EVERYONE)],
    "POST /api/v1/auth/logout-everywhere": [("none", SIGNED_IN_API)],
    "POST /api/v1/auth/register": [("none", EVERYONE)],
    "GET /api/v1/certificates/<code>": [("verify", EVERYONE)],
    "GET /api/v1/courses": [("none", EVERYONE)],
    "GET /api/v1/courses/<course>": [("lesson", EVERYONE)],
    "GET /api/v1/courses/<course>/modules/<module>/lessons/<lesson>": [("lesson", EVERYONE)],
    "POST /api/v1/courses/<course>/modules/<module>/lessons/<lesson>/complete": [
        ("lesson", EVERYONE)
    ],
    "DELETE /api/v1/me": [("none", LEAVE_API)],
    "GET /api/v1/me/certificates": [("none", SIGNED_IN_API)],
    "GET /api/v1/me/data": [("none", SIGNED_IN_API)],
    "GET /api/v1/me/progress": [("none", EVERYONE)],
    "GET /api/v1/openapi.json": [("none", EVERYONE)],
    "POST /api/v1/quizzes/<int(max=2147483647):quiz_id>/attempts": [("quiz", EVERYONE)],
    "GET /api/v1/teams/<code>/report": [("team", API_TEAM_IN), ("other_team", API_TEAM_OUT)],
    "GET /api/v1/units/<code>/report": [("unit", API_UNIT_IN), ("other_unit", API_UNIT_OUT)],
    "GET /attempts/<int:attempt_id>": [("own_attempt", OWN), ("other_attempt", NOBODY_OWNS)],
    "POST /attempts/<int:attempt_id>": [("own_attempt", OWN), ("other_attempt", NOBODY_OWNS)],
    "GET /certificates/<serial>.pdf": [
        ("cert_team", TEAM_CERT),
        ("cert_other", OTHER_CERT),
        ("cert_citizen", CITIZEN_CERT),
    ],
    "GET /certificates/export.csv": [("none", OFFICIALS)],
    "GET /certificates/scope": [("none", OFFICIALS)],
    "GET /certificates/teams/<team_code>.zip": [
        ("team", OFFICIALS),
        ("other_team", CERT_TEAM_OUT),
    ],
    "GET /courses/<course_slug>": [("lesson", EVERYONE)],
    "GET /courses/<course_slug>/modules/<module_slug>/lessons/<lesson_slug>": [
        ("lesson", EVERYONE)
    ],
    "POST /courses/<course_slug>/modules/<module_slug>/lessons/<lesson_slug>/done": [
        ("lesson", EVERYONE)
    ],
    "GET /healthz": [("none", EVERYONE)],
    "GET /join/<code>": [("invite", EVERYONE)],
    "POST /join/<code>": [("invite", SIGNED_IN)],
    "POST /language": [("none", EVERYONE)],
    "GET /login": [("none", EVERYONE)],
    "POST /login": [("none", EVERYONE)],
    "GET /login/code": [("none", EVERYONE)],
    "POST /login/code": [("none", EVERYONE)],
    "GET /login/code/password": [("none", EVERYONES_LOGIN)],
    "POST /login/code/password": [("none", EVERYONES_LOGIN)],
    "POST /logout": [("none", EVERYONE)],
    "POST /logout/everywhere": [("none", SIGNED_IN)],
    "GET /manifest.webmanifest": [("none", EVERYONE)],
    "GET /me/certificates": [("none", SIGNED_IN)],
    "GET /me/data.json": [("none", SIGNED_IN)],
    "GET /me/delete": [("none", SIGNED_IN)],  # officials read why they cannot
    "POST /me/delete": [("none", LEAVE)],
    "GET /me/progress": [("none", EVERYONE)],
    "GET /offline": [("none", EVERYONE)],
    "GET /profile": [("none", SIGNED_IN)],
    "POST /profile/team": [("none", SIGNED_IN)],
    "GET /quizzes/<int:quiz_id>": [("quiz", EVERYONE)],
    "GET /register": [("none", EVERYONE)],
    "POST /register": [("none", EVERYONE)],
    "GET /reports": [("none", REPORTS_HOME)],
    "GET /reports/": [("none", REPORTS_HOME)],
    "GET /reports/featured": [("none", ADMIN)],
    "POST /reports/featured": [("none", ADMIN)],
    "GET /reports/honours": [("none", OFFICIALS)],
    "GET /reports/honours/<code>": [("unit", UNIT_IN), ("other_unit", UNIT_OUT)],
    "GET /reports/import": [("none", OFFICIALS)],
    "POST /reports/import": [("none", OFFICIALS)],
    "GET /reports/recovery": [("none", REPORTS_HOME)],
    "POST /reports/recovery": [("none", REPORTS_HOME)],
    "GET /reports/teams/<code>": [("team", TEAM_IN), ("other_team", TEAM_OUT)],
    "GET /reports/teams/<code>/codes": [("team", TEAM_IN), ("other_team", TEAM_OUT)],
    "POST /reports/teams/<code>/codes": [("team", TEAM_IN), ("other_team", TEAM_OUT)],
    "GET /reports/teams/<code>/export.<kind>": [("team", TEAM_IN), ("other_team", TEAM_OUT)],
    "GET /reports/teams/<code>/members/<int:user_id>": [
        ("team_member", TEAM_IN),
        ("other_member", TEAM_OUT),
    ],
    "POST /reports/teams/<code>/members/<int:user_id>/code": [
        ("team_member", TEAM_IN),
        ("other_member", TEAM_OUT),
    ],
    "GET /reports/tokens": [("none", OFFICIALS)],
    "POST /reports/tokens": [("none", OFFICIALS)],
    "POST /reports/tokens/<int:token_id>/revoke": [
        ("own_token", OWN_TOKEN),
        ("other_token", OTHER_TOKEN),
    ],
    "GET /reports/units/<code>": [("unit", UNIT_IN), ("other_unit", UNIT_OUT)],
    "GET /reports/units/<code>/export.<kind>": [("unit", UNIT_IN), ("other_unit", UNIT_OUT)],
    "POST /reports/units/<code>/target": [("unit", UNIT_IN), ("other_unit", UNIT_OUT)],
    "GET /static/<path:filename>": [("static", EVERYONE)],
    "GET /sw.js": [("none", EVERYONE)],
    "GET /t/<code>": [("share", EVERYONE)],
    "GET /teams/<code>/assisted": [("team", OWN_TEAM), ("other_team", OTHER_TEAM)],
    "POST /teams/<code>/assisted": [("team", OWN_TEAM), ("other_team", OTHER_TEAM)],
    "GET /teams/<code>/share": [("team", OWN_TEAM), ("other_team", OTHER_TEAM)],
    "GET /verify": [("none", EVERYONE)],
    "GET /verify/<code>": [("verify", EVERYONE)],
    "POST /verify/<code>/revoke": [("verify", ADMIN_ACTION)],
}


def path_values(world, role: str, name: str) -> dict:
    """The values a route's path takes, by the name the matrix gives them."""
    v, cert = world.values, world.values["certificates"]
    team, other = v["team"], v["other_team"]
    lesson = {"course": v["course"], "module": v["module"], "lesson": v["lesson"]}
    return {
        "none": {},
        "lesson": {**lesson, **{f"{key}_slug": value for key, value in lesson.items()}},
        "quiz": {"quiz_id": v["quiz"]},
        "own_attempt": {"attempt_id": world.attempts.get(role, v["other_attempt"])},
        "other_attempt": {"attempt_id": v["other_attempt"]},
        "unit": {"code": v["unit"], "kind": "csv"},
        "other_unit": {"code": v["other_unit"], "kind": "csv"},
        "team": {"code": team.code, "team_code": team.code, "kind": "csv"},
        "other_team": {"code": other.code, "team_code": other.code, "kind": "csv"},
        "team_member": {"code": team.code, "user_id": v["member"]},
        "other_member": {"code": other.code, "user_id": v["outsider"]},
        "invite": {"code": team.invite_code},
        "share": {"code": v["share_code"]},
        "verify": {"code": cert["team"].code},
        "cert_team": {"serial": cert["team"].serial},
        "cert_other": {"serial": cert["other"].serial},
        "cert_citizen": {"serial": cert["citizen"].serial},
        "own_token": {"token_id": world.tokens.get(role, v["other_token"])},
        "other_token": {"token_id": v["other_token"]},
        "static": {"filename": "app.css"},
    }[name]


def _rules(app) -> dict[str, object]:
    return {
        f"{method} {rule.rule}": rule
        for rule in app.url_map.iter_rules()
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def test_every_route_is_in_the_matrix(app):
    routes = set(_rules(app))
    missing, gone = sorted(routes - set(MATRIX)), sorted(set(MATRIX) - routes)
    assert not missing, f"routes without designed answers: {missing}"
    assert not gone, f"the matrix names routes that no longer exist: {gone}"
    for key, cases in MATRIX.items():
        for _values, expected in cases:
            assert set(expected) == set(ROLES), key


@pytest.fixture
def world(db):
    return build_world(db)


# A body every write accepts as well formed, so that who asks decides the answer.
API_BODY = {"answers": {}, "password": "not-the-password"}
# Requests whose effect outlives them go last: joining a team, signing out everywhere.
LAST = ("POST /join/<code>", "POST /logout/everywhere", "POST /api/v1/auth/logout-everywhere")


def _order(key: str) -> tuple:
    return (key in LAST, not key.startswith("GET "), key)


def _request(app, world, role, method, url):
    client = client_as(app, world, role)
    if method == "GET":
        return client.get(url)
    if url.startswith("/api/"):  # the client sends X-CSRFToken itself
        return client.open(url, method=method, json=API_BODY)
    return client.open(url, method=method, data={"csrf_token": token_of(client)})


@pytest.mark.parametrize("role", ROLES)
def test_every_route_answers_every_role_as_designed(app, db, world, role):
    rules, adapter = _rules(app), app.url_map.bind("localhost")
    wrong = []
    for key in sorted(MATRIX, key=_order):
        method, _path = key.split(" ", 1)
        rule = rules[key]
        for name, expected in MATRIX[key]:
            values = path_values(world, role, name)
            url = adapter.build(
                rule.endpoint, {k: values[k] for k in rule.arguments}, method=method
            )
            response = _request(app, world, role, method, url)
            got = answer_of(response)
            if got != expected[role]:
                wrong.append(f"{method} {url} [{name}]: {got}, designed {expected[role]}")
            if response.headers.get("Content-Security-Policy") != CONTENT_SECURITY_POLICY:
                wrong.append(f"{method} {url}: no security headers")
    assert not wrong, f"{role}:\n" + "\n".join(wrong)
