"""The people and things the access matrix requests routes with: the small country of
tests/reports_support.py, one person per role in it, and each person's own objects."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from lms.accounts.identity import GUEST_COOKIE, _serializer
from lms.accounts.models import OFFICIAL_ROLES, User
from lms.accounts.models import ROLES as USER_ROLES
from lms.accounts.tokens import create_token
from lms.certificates.services import issue_certificate
from lms.contributions.referrals import team_code
from lms.quizzes.services import start_attempt
from lms.reports.rollups import rebuild_rollups
from tests.certificates_support import sign_in
from tests.factories import make_unit, make_user
from tests.learner_helpers import quiz_of
from tests.pages_support import csrf_from, new_client
from tests.reports_support import build_country

ROLES = ("anonymous", *USER_ROLES)
OFFICIALS = OFFICIAL_ROLES
GROUPS = {
    "nobody": ("anonymous", "guest"),
    "learners": ("citizen", "member", "team_leader"),
    "officials": OFFICIALS,
}
# The answers a request can get, as the matrix names them.
OK, LOGIN = "ok", "login"


def answers(default, **given) -> dict[str, object]:
    """Each role's answer: the default, then groups and roles as given (in that order)."""
    table = dict.fromkeys(ROLES, default)
    for name, answer in given.items():
        for role in GROUPS.get(name, (name,)):
            table[role] = answer
    return table


def answer_of(response) -> object:
    """ok (it did what was asked, or explained what was wrong), login, or the status."""
    status = response.status_code
    if status in (301, 302, 303, 307, 308):
        target = urlsplit(response.headers["Location"]).path
        return LOGIN if target.startswith("/login") else OK
    if status < 300 or status in (400, 409, 422):
        return OK
    return status


@dataclass
class World:
    """Team A (commune C1, district D1, province P1) holds the member and the team leader;
    team D (province P2) is outside every scope but the admin's."""

    country: object
    people: dict[str, User | None] = field(default_factory=dict)
    attempts: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, int] = field(default_factory=dict)
    values: dict[str, object] = field(default_factory=dict)
    guest_cookie: str = ""


def build_world(db) -> World:
    country = build_country(db)
    rebuild_rollups(db)
    world = World(country=country)
    units, teams, members = country.units, country.teams, country.members
    people = world.people
    people["anonymous"] = None
    people["guest"] = make_user(db, role="guest", login=None, full_name="")
    people["citizen"] = make_user(db, role="citizen")
    people["member"], people["team_leader"] = members["A"][1], members["A"][0]
    for role, place in zip(OFFICIALS, ("C1", "D1", "P1"), strict=True):
        people[role] = make_user(db, role=role, unit=units[place])
    people["admin"] = make_user(db, role="admin")
    quiz = quiz_of(db, "bat-dau")
    for role, person in people.items():
        if person is not None:
            world.attempts[role] = start_attempt(db, person, quiz).id
        if role in (*OFFICIALS, "admin"):
            world.tokens[role] = create_token(db, person, "ma-tran")[0].id
    outsider = members["D"][1]
    stranger = make_user(db, role="province_official", unit=make_unit(db, "province"))
    team_cert = issue_certificate(db, people["member"], country.course)
    other_cert = issue_certificate(db, outsider, country.course)
    own_cert = issue_certificate(db, people["citizen"], country.course)
    world.values = {
        "course": "mau",
        "module": "bat-dau",
        "lesson": "chao-mung",
        "quiz": quiz.id,
        "other_attempt": start_attempt(db, outsider, quiz).id,
        "other_token": create_token(db, stranger, "khac")[0].id,
        "team": teams["A"],
        "other_team": teams["D"],
        "unit": units["C1"].code,
        "other_unit": units["C3"].code,
        "member": people["member"].id,
        "outsider": outsider.id,
        "share_code": team_code(teams["A"]),
        "certificates": {"team": team_cert, "other": other_cert, "citizen": own_cert},
    }
    world.guest_cookie = _serializer().dumps(
        [people["guest"].id, people["guest"].created_at.isoformat()]
    )
    return world


def client_as(app, world: World, role: str):
    """A fresh browser for the role: signed in, a guest by its cookie, or nobody."""
    client = new_client(app)
    person = world.people[role]
    if role == "guest":
        client.set_cookie(GUEST_COOKIE, world.guest_cookie)
    elif person is not None:
        sign_in(client, person)
    return client


def form_token(client) -> str:
    """The CSRF token of the browser's session, as a page's form carries it."""
    return csrf_from(client.get("/offline").get_data(as_text=True))
