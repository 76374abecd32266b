"""Share links attribute new learners to a team once; assisted sessions need consent and a
member of the team; the contribution roll-ups equal a brute-force count."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accounts import auth, identity
from lms.accounts.models import User
from lms.contributions import referrals
from lms.contributions.models import AssistedSession, TeamContribution
from lms.contributions.services import record_session
from lms.contributions.steps import STEP_KEYS, check_session
from lms.contributions.tally import rebuild_contributions
from lms.courses.models import CourseCompletion
from lms.db import utcnow
from lms.reports.periods import vietnam_day
from lms.reports.rollups import rebuild_rollups
from tests.certificates_support import sign_in
from tests.contributions_support import (
    brute_days,
    brute_teams,
    brute_units,
    rolled_days,
    rolled_teams,
    rolled_units,
)
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import load_sample
from tests.pages_support import LESSON, csrf_from, new_client, post_form
from tests.reports_support import build_country


@pytest.fixture
def team(db):
    load_sample(db)
    return make_team(db, code="TO-CHIA-SE")


def _read_lesson(client):
    return post_form(client, LESSON, LESSON + "/done", {})


def _contribution(db, team) -> dict:
    found = db.get(TeamContribution, team.id)
    names = ("reached", "learned", "sessions", "steps")
    return {n: getattr(found, n) if found else 0 for n in names}


def _newest_guest(db) -> User:
    return db.scalar(select(User).where(User.role == "guest").order_by(User.id.desc()))


def test_a_guest_arriving_through_the_team_link_and_learning_counts_for_the_team(app, db, team):
    client = new_client(app)
    link = client.get(f"/t/{referrals.team_code(team)}")
    assert link.status_code == 302 and client.get_cookie(referrals.REF_COOKIE) is not None
    assert _read_lesson(client).status_code == 302
    guest = _newest_guest(db)
    assert guest.referred_by_team_id == team.id
    assert client.get_cookie(referrals.REF_COOKIE) is None  # spent at the first progress
    assert _contribution(db, team) == {"reached": 1, "learned": 1, "sessions": 0, "steps": 0}


def test_a_personal_link_and_the_ref_parameter_count_for_the_members_team(app, db, team):
    member = make_user(db, role="member", team=team)
    client = new_client(app)
    client.get(f"{LESSON}?ref={referrals.member_code(member)}")
    _read_lesson(client)
    assert _newest_guest(db).referred_by_team_id == team.id


def test_an_altered_or_unknown_code_attributes_nobody(app, db, team):
    code = referrals.team_code(team)
    forged = code[:-1] + ("0" if code[-1] != "0" else "1")
    client = new_client(app)
    assert client.get(f"/t/{forged}").status_code == 404
    assert client.get("/t/t999999-0123456789").status_code == 404
    client.get(f"{LESSON}?ref={forged}")
    assert client.get_cookie(referrals.REF_COOKIE) is None
    _read_lesson(client)
    assert _newest_guest(db).referred_by_team_id is None


def test_a_known_learner_is_never_re_attributed(app, db, team):
    other = make_team(db, code="TO-KHAC")
    client = new_client(app)
    client.get(f"/t/{referrals.team_code(team)}")
    _read_lesson(client)
    guest = _newest_guest(db)
    client.get(f"/t/{referrals.team_code(other)}")  # a guest already known on this browser
    assert client.get_cookie(referrals.REF_COOKIE) is None
    assert guest.referred_by_team_id == team.id
    citizen = make_user(db, role="citizen")
    signed = new_client(app)
    sign_in(signed, citizen)
    signed.get(f"/t/{referrals.team_code(other)}")
    _read_lesson(signed)
    assert citizen.referred_by_team_id is None
    assert _contribution(db, other)["reached"] == 0


def test_registering_keeps_the_attribution_and_a_new_account_through_a_link_counts(app, db, team):
    client = new_client(app)
    client.get(f"/t/{referrals.team_code(team)}")
    _read_lesson(client)
    post_form(
        client,
        "/register",
        "/register",
        {"full_name": "Lò Thị Mai", "phone": "0912 000 111", "password": "mat-khau-dai"},
    )
    assert db.scalar(select(User).where(User.phone == "0912000111")).referred_by_team_id == team.id
    fresh = new_client(app)
    fresh.get(f"/t/{referrals.team_code(team)}")
    post_form(
        fresh,
        "/register",
        "/register",
        {"full_name": "Hà Văn Nam", "phone": "0912 000 222", "password": "mat-khau-dai"},
    )
    assert db.scalar(select(User).where(User.phone == "0912000222")).referred_by_team_id == team.id
    # The second account has done nothing yet: attributed, not yet reached.
    assert _contribution(db, team) == {"reached": 1, "learned": 1, "sessions": 0, "steps": 0}


def _session_page(client, team):
    return client.get(f"/teams/{team.code}/assisted")


def test_an_assisted_session_needs_consent_and_normalises_the_phone(app, db, team):
    member = make_user(db, role="member", team=team)
    client = new_client(app)
    sign_in(client, member)
    page = _session_page(client, team)
    assert page.status_code == 200 and 'name="consent"' in page.get_data(as_text=True)
    token = csrf_from(page.get_data(as_text=True))
    refused = client.post(
        f"/teams/{team.code}/assisted",
        data={"csrf_token": token, "steps": ["qr_payment"], "citizen_phone": "0912345678"},
    )
    assert refused.status_code == 422
    assert "Cần người dân đồng ý trước khi ghi lại" in refused.get_data(as_text=True)
    assert db.scalar(select(AssistedSession)) is None
    bad_phone = client.post(
        f"/teams/{team.code}/assisted",
        data={"csrf_token": token, "consent": "yes", "citizen_phone": "12345"},
    )
    assert bad_phone.status_code == 422
    assert "không phải số di động Việt Nam hợp lệ" in bad_phone.get_data(as_text=True)
    assert "(citizen_phone)" not in bad_phone.get_data(as_text=True)
    saved = client.post(
        f"/teams/{team.code}/assisted",
        data={
            "csrf_token": token,
            "consent": "yes",
            "citizen_name": "  Bà  Lò Thị   Hoa ",
            "citizen_phone": "+84 912 345 678",
            "steps": ["vneid_level2", "qr_payment"],
        },
    )
    assert saved.status_code == 302
    record = db.scalar(select(AssistedSession))
    assert (record.citizen_name, record.citizen_phone) == ("Bà Lò Thị Hoa", "0912345678")
    assert record.vneid_level2 and record.qr_payment and not record.online_purchase
    assert record.member_id == member.id and record.held_on == vietnam_day(utcnow())
    assert _contribution(db, team) == {"reached": 0, "learned": 0, "sessions": 1, "steps": 2}


def test_a_member_records_only_for_their_own_team(app, db, team):
    other = make_team(db, code="TO-LANG-GIENG")
    member = make_user(db, role="member", team=team)
    client = new_client(app)
    sign_in(client, member)
    assert client.get(f"/teams/{other.code}/assisted").status_code == 404
    assert client.get(f"/teams/{other.code}/share").status_code == 404
    token = csrf_from(_session_page(client, team).get_data(as_text=True))
    foreign = client.post(
        f"/teams/{other.code}/assisted", data={"csrf_token": token, "consent": "yes"}
    )
    assert foreign.status_code == 404
    no_csrf = client.post(f"/teams/{team.code}/assisted", data={"consent": "yes"})
    assert no_csrf.status_code == 400
    assert db.scalar(select(AssistedSession)) is None
    official = new_client(app)
    sign_in(official, make_user(db, role="commune_official", unit=team.commune))
    assert official.get(f"/teams/{team.code}/assisted").status_code == 404
    anonymous = new_client(app).get(f"/teams/{team.code}/assisted")
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]


def test_the_share_page_shows_both_links_with_qr_codes(app, db, team):
    member = make_user(db, role="team_leader", team=team)
    client = new_client(app)
    sign_in(client, member)
    html = client.get(f"/teams/{team.code}/share").get_data(as_text=True)
    assert referrals.team_code(team) in html and referrals.member_code(member) in html
    assert html.count("<svg") >= 2
    assert re.search(r'href="/teams/TO-CHIA-SE/assisted"', html)


def _arrive(app, code: str, reads: bool = True):
    client = new_client(app)
    client.get(f"/t/{code}")
    if reads:
        _read_lesson(client)
    return client


def test_rollups_equal_a_brute_force_count_and_a_rebuild(app, db):
    country = build_country(db)
    rebuild_rollups(db)  # the country's referred citizen was added without the services
    a, c = country.teams["A"], country.teams["C"]
    helper = country.members["C"][1]
    _arrive(app, referrals.team_code(a))
    _arrive(app, referrals.member_code(helper))
    registered = _arrive(app, referrals.team_code(a), reads=False)
    post_form(
        registered,
        "/register",
        "/register",
        {"full_name": "Vừ A Dính", "phone": "0987 000 333", "password": "mat-khau-dai"},
    )
    _arrive(app, referrals.team_code(c))
    identity.merge_guest_into(db, _newest_guest(db), country.members["D"][0])
    today = vietnam_day(utcnow())
    for held_on, steps in ((today, ("qr_payment",)), (today - timedelta(days=40), STEP_KEYS)):
        form = check_session(True, "", "", held_on.isoformat(), list(steps), today)
        record_session(db, helper, c, form)
    assert rolled_teams(db) == brute_teams(db)
    # A's two: the country's citizen and a reader; the account registered without reading is
    # attributed but not reached.
    assert rolled_teams(db)[a.id] == {"reached": 2, "learned": 1, "sessions": 0, "steps": 0}
    assert rolled_teams(db)[c.id] == {"reached": 1, "learned": 1, "sessions": 2, "steps": 6}
    assert rolled_units(db) == brute_units(db)
    assert rolled_days(db) == brute_days(db)
    rebuild_contributions(db)
    assert rolled_teams(db) == brute_teams(db) and rolled_days(db) == brute_days(db)
    rebuild_rollups(db)
    assert rolled_units(db) == brute_units(db) and rolled_days(db) == brute_days(db)


def test_a_member_joining_with_a_completion_counts_it_on_its_own_day(app, db):
    country = build_country(db)
    finisher = country.members["A"][3]  # completed the sample course
    finisher.team_id, finisher.role = None, "citizen"
    db.flush()
    rebuild_rollups(db)
    completion = db.scalar(select(CourseCompletion).where(CourseCompletion.user_id == finisher.id))
    completion.completed_at = utcnow() - timedelta(days=100)
    db.flush()
    rebuild_rollups(db)
    auth.join_team(db, finisher, country.teams["B"].invite_code)
    assert rolled_days(db) == brute_days(db)


def test_api_rows_and_exports_carry_the_contribution_columns(app, db):
    country = build_country(db)
    rebuild_rollups(db)
    helper = country.members["A"][1]
    form = check_session(True, "", "", "", ["qr_payment", "online_purchase"], vietnam_day(utcnow()))
    record_session(db, helper, country.teams["A"], form)
    client = new_client(app)
    sign_in(client, make_user(db, role="commune_official", unit=country.units["C1"]))
    rows = {r["code"]: r for r in client.get("/api/v1/units/R0111/report").get_json()["rows"]}
    expected = {"reached": 1, "learned": 0, "sessions": 1, "steps": 2}
    assert {k: rows["TO-A"][k] for k in expected} == expected
    lines = (
        client.get("/reports/units/R0111/export.csv").get_data().decode("utf-8-sig").splitlines()
    )
    assert lines[0].endswith(
        "Người dân tiếp cận,Người dân đã học bài,Buổi hỗ trợ tại nhà,Bước đã làm cùng người dân"
    )
    team_a = next(line for line in lines if line.startswith("TO-A"))
    assert team_a.endswith(",1,0,1,2")
    members = client.get("/api/v1/teams/TO-A/report").get_json()
    mine = next(r for r in members["rows"] if r["code"] == str(helper.id))
    assert (mine["sessions"], mine["steps"]) == (1, 2)
    assert {k: members["totals"][k] for k in expected} == expected


def test_the_team_dashboard_shows_the_team_share_link(app, db):
    country = build_country(db)
    client = new_client(app)
    sign_in(client, country.members["A"][0])  # the team leader
    html = client.get("/reports/teams/TO-A").get_data(as_text=True)
    assert f"/t/{referrals.team_code(country.teams['A'])}" in html and "<svg" in html
    profile = client.get("/profile").get_data(as_text=True)
    assert 'href="/teams/TO-A/share"' in profile


def test_a_commune_without_a_province_counts_its_teams_once(db):
    commune = make_unit(db, "commune")
    lone = make_team(db, commune=commune)
    member = make_user(db, role="member", team=lone)
    form = check_session(True, "", "", "", ["qr_payment"], vietnam_day(utcnow()))
    record_session(db, member, lone, form)
    record_session(db, member, lone, form)
    assert rolled_units(db)[commune.id] == {"reached": 0, "learned": 0, "sessions": 2, "steps": 2}
    rebuild_contributions(db)
    assert rolled_units(db)[commune.id]["sessions"] == 2
