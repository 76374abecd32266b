"""Account recovery: a team leader or an official gives a one-time code to a person in their
scope (decided in the query), the code signs in once on /login/code, and every code given is
audited."""

import re
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from lms.accounts.recovery import AUDIT_ACTION, find_by_id, find_by_phone
from lms.accounts.services import hash_password
from lms.audit.models import AuditEvent
from lms.reports.scope import scope_for
from tests.certificates_support import sign_in
from tests.factories import make_team, make_unit, make_user
from tests.learner_helpers import load_sample
from tests.pages_support import new_client, post_form

OLD_PASSWORD = "mat-khau-cu-dai"
NEW_PASSWORD = "mat-khau-moi-dai"
_CODE = re.compile(r'<code class="token">([A-Z0-9]{4}-[A-Z0-9]{4})</code>')


@pytest.fixture
def place(db):
    """P1 > C1 (teams A and B), P1 > C2 (team C), P2 > C3 (team D); a person in each role."""
    load_sample(db)
    p1 = make_unit(db, "province", code="K01")
    c1 = make_unit(db, "commune", parent=p1, code="K0101")
    c2 = make_unit(db, "commune", parent=p1, code="K0102")
    c3 = make_unit(db, "commune", parent=make_unit(db, "province", code="K02"), code="K0201")
    teams = {
        key: make_team(db, commune=c, code=f"REC-{key}")
        for key, c in (("A", c1), ("B", c1), ("C", c2), ("D", c3))
    }
    phones = iter(f"09880000{n:02d}" for n in range(50))

    def person(role, **fields):
        return make_user(
            db, role=role, phone=next(phones), password_hash=hash_password(OLD_PASSWORD), **fields
        )

    return SimpleNamespace(
        teams=teams,
        leader=person("team_leader", team=teams["A"]),
        member=person("member", team=teams["A"]),
        member_b=person("member", team=teams["B"]),
        member_c=person("member", team=teams["C"]),
        member_d=person("member", team=teams["D"]),
        referred=person("citizen", referred_by_team_id=teams["A"].id),
        # brought by team A once, now leading team D in another province: D's alone
        moved_away=person("team_leader", team=teams["D"], referred_by_team_id=teams["A"].id),
        stranger=person("citizen"),
        commune_official=person("commune_official", unit=c1),
        peer_official=person("commune_official", unit=c1),
        other_commune_official=person("commune_official", unit=c3),
        province_official=person("province_official", unit=p1),
        admin=person("admin"),
    )


def _findable(db, giver, people) -> set[str]:
    scope = scope_for(giver)
    return {name for name, person in people.items() if find_by_id(db, scope, giver, person.id)}


def test_who_may_be_given_a_code_is_decided_by_scope(db, place):
    people = {k: v for k, v in vars(place).items() if k != "teams"}
    assert _findable(db, place.leader, people) == {"member", "referred"}
    assert _findable(db, place.commune_official, people) == {
        "leader",
        "member",
        "member_b",
        "referred",
    }
    assert _findable(db, place.province_official, people) == {
        "leader",
        "member",
        "member_b",
        "member_c",
        "referred",
        "commune_official",
        "peer_official",
    }
    assert _findable(db, place.admin, people) == set(people) - {"admin"}
    scope = scope_for(place.leader)
    assert find_by_phone(db, scope, place.leader, place.moved_away.phone) is None
    scope = scope_for(place.commune_official)
    assert find_by_phone(db, scope, place.commune_official, place.member_d.phone) is None
    found = find_by_phone(db, scope, place.commune_official, place.member.phone)
    assert found is place.member


def _code_from(response) -> str:
    match = _CODE.search(response.get_data(as_text=True))
    assert match, response.get_data(as_text=True)
    return match.group(1)


def _redeem(app, phone, code):
    client = new_client(app)
    return client, post_form(client, "/login/code", "/login/code", {"phone": phone, "code": code})


def test_a_leader_gives_a_code_from_the_member_page_and_it_works_once(app, db, place):
    elsewhere = new_client(app)  # a session opened before the password was lost
    sign_in(elsewhere, place.member)
    assert elsewhere.get("/profile").status_code == 200
    leader = new_client(app)
    sign_in(leader, place.leader)
    member_page = f"/reports/teams/REC-A/members/{place.member.id}"
    html = leader.get(member_page).get_data(as_text=True)
    action = f"/reports/teams/REC-A/members/{place.member.id}/code"
    assert f'action="{action}"' in html and "Cấp mã đăng nhập một lần" in html
    given = post_form(leader, member_page, action, {})
    assert given.status_code == 200 and given.headers["Cache-Control"] == "no-store"
    code = _code_from(given)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == AUDIT_ACTION))
    assert (event.actor_id, event.target) == (place.leader.id, f"user:{place.member.id}")
    assert place.member.phone not in str(event.details)

    client, used = _redeem(app, place.member.phone, code)
    assert used.status_code == 302 and used.headers["Location"] == "/login/code/password"
    saved = post_form(
        client,
        "/login/code/password",
        "/login/code/password",
        {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert saved.status_code == 302
    assert client.get("/profile").status_code == 200  # this browser stays signed in
    assert elsewhere.get("/profile").status_code == 302  # a session from before has ended
    _client, again = _redeem(app, place.member.phone, code)
    assert again.status_code == 422  # spent
    signed = post_form(
        new_client(app), "/login", "/login", {"login": place.member.phone, "password": NEW_PASSWORD}
    )
    assert signed.status_code == 302


def test_a_leader_cannot_give_a_code_outside_their_team(app, db, place):
    leader = new_client(app)
    sign_in(leader, place.leader)
    page = f"/reports/teams/REC-A/members/{place.member.id}"
    other_team = f"/reports/teams/REC-B/members/{place.member_b.id}/code"
    assert post_form(leader, page, other_team, {}).status_code == 404
    # the own team's address with another team's member
    mixed = f"/reports/teams/REC-A/members/{place.member_b.id}/code"
    assert post_form(leader, page, mixed, {}).status_code == 404
    by_phone = post_form(
        leader, "/reports/recovery", "/reports/recovery", {"phone": place.member_d.phone}
    )
    assert by_phone.status_code == 422
    assert "Không có ai với số điện thoại này trong phạm vi của bạn" in by_phone.get_data(
        as_text=True
    )
    assert db.scalar(select(AuditEvent).where(AuditEvent.action == AUDIT_ACTION)) is None


def test_an_official_gives_a_code_by_phone_in_scope_only(app, db, place):
    official = new_client(app)
    sign_in(official, place.commune_official)
    outside = post_form(
        official, "/reports/recovery", "/reports/recovery", {"phone": place.member_c.phone}
    )
    assert outside.status_code == 422
    assert place.member_c.phone in outside.get_data(as_text=True)  # what was typed stays
    inside = post_form(
        official, "/reports/recovery", "/reports/recovery", {"phone": place.referred.phone}
    )
    assert inside.status_code == 200
    _client, used = _redeem(app, place.referred.phone, _code_from(inside))
    assert used.status_code == 302
    events = db.scalars(select(AuditEvent).where(AuditEvent.action == AUDIT_ACTION)).all()
    assert [(e.actor_id, e.target) for e in events] == [
        (place.commune_official.id, f"user:{place.referred.id}")
    ]


def test_a_new_code_spends_the_earlier_one(app, db, place):
    official = new_client(app)
    sign_in(official, place.province_official)
    first = _code_from(
        post_form(
            official, "/reports/recovery", "/reports/recovery", {"phone": place.peer_official.phone}
        )
    )
    second = _code_from(
        post_form(
            official, "/reports/recovery", "/reports/recovery", {"phone": place.peer_official.phone}
        )
    )
    assert _redeem(app, place.peer_official.phone, first)[1].status_code == 422
    assert _redeem(app, place.peer_official.phone, second)[1].status_code == 302


@pytest.mark.parametrize(
    ("locale", "words"),
    [("vi", ("Quên mật khẩu?", "tổ trưởng")), ("en", ("Forgot your password?", "team leader"))],
)
def test_the_sign_in_page_explains_the_way_back(app, db, locale, words):
    client = new_client(app)
    client.set_cookie("lang", locale)
    html = client.get("/login").get_data(as_text=True)
    for word in words:
        assert word in html
    assert 'href="/login/code"' in html


def test_leaders_and_officials_find_the_recovery_form_on_their_profile(app, db, place):
    for person, shown in (
        (place.leader, True),
        (place.commune_official, True),
        (place.member, False),
    ):
        client = new_client(app)
        sign_in(client, person)
        html = client.get("/profile").get_data(as_text=True)
        assert ('href="/reports/recovery"' in html) is shown, person.role
