"""Audited actions leave one event each, with counts and codes but no personal data;
/admin/audit lists them for the admin only."""

import io
import re

import pytest
from sqlalchemy import select

from lms.accounts.models import User
from lms.accounts.tokens import ApiToken
from lms.audit.models import AuditEvent
from lms.audit.services import record
from lms.limits import limiter
from tests.certificates_support import issued, sign_in
from tests.factories import make_team, make_unit, make_user
from tests.pages_support import csrf_from, new_client, post_form

PHONE = re.compile(r"0\d{9}")


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def place(db):
    province = make_unit(db, "province", code="A01")
    commune = make_unit(db, "commune", parent=province, code="A0101")
    return {
        "province": province,
        "commune": commune,
        "team": make_team(db, commune=commune, code="TO-AU"),
        "official": make_user(db, role="commune_official", unit=commune),
        "admin": make_user(db, role="admin", login="quantri"),
    }


def _events(db, action: str) -> list[AuditEvent]:
    return list(db.scalars(select(AuditEvent).where(AuditEvent.action == action)))


def _no_personal_data(event: AuditEvent) -> None:
    shown = f"{event.target} {event.details}"
    assert not PHONE.search(shown), shown


def test_units_and_teams_imports_are_recorded_with_counts(runner, db, tmp_path, place):
    units = tmp_path / "units.csv"
    units.write_text(
        "code,name,level,parent_code\nB01,Tỉnh Bê,province,\nB0101,Xã Bê,commune,B01\n",
        encoding="utf-8",
    )
    assert runner.invoke(args=["lms", "units", "import", "--csv", str(units)]).exit_code == 0
    teams = tmp_path / "teams.csv"
    teams.write_text("team_code,name,commune_code\nTO-B1,Thôn Bê,B0101\n", encoding="utf-8")
    assert runner.invoke(args=["lms", "teams", "import", str(teams)]).exit_code == 0
    bad = tmp_path / "bad.csv"
    bad.write_text("team_code,name,commune_code\nTO-B2,Thôn,KHONG\n", encoding="utf-8")
    assert runner.invoke(args=["lms", "teams", "import", str(bad)]).exit_code != 0

    [unit_event] = _events(db, "units.import")
    assert (unit_event.target, unit_event.details) == ("units.csv", {"created": 2, "updated": 0})
    [team_event] = _events(db, "teams.import")  # the refused file left no event
    assert (team_event.target, team_event.details) == ("teams.csv", {"created": 1, "updated": 0})
    assert team_event.actor_id is None


def test_member_imports_on_the_page_and_the_cli_are_recorded(app, runner, db, tmp_path, place):
    client = new_client(app)
    sign_in(client, place["official"])
    data = "full_name,phone,team_code,role\nNguyễn Văn An,0912345678,TO-AU,\n".encode()
    files = {"file": (io.BytesIO(data), "ds.csv")}
    page = post_form(
        client, "/reports/import", "/reports/import", files, content_type="multipart/form-data"
    )
    assert page.status_code == 200
    path = tmp_path / "ds.csv"
    path.write_bytes(data.replace(b"An,", b"Anh,"))
    result = runner.invoke(args=["lms", "members", "import", str(path), "--unit", "A0101"])
    assert result.exit_code == 0, result.output

    web, cli = sorted(_events(db, "members.import"), key=lambda e: e.id)
    assert (web.actor_id, web.target, web.details["created"]) == (place["official"].id, "TO-AU", 1)
    assert (cli.actor_id, cli.details["updated"], cli.details["via"]) == (None, 1, "cli")
    for event in (web, cli):
        _no_personal_data(event)
        assert "Nguyễn" not in str(event.details)


def test_revocations_on_the_page_and_the_cli_are_recorded(app, runner, db, place):
    first, second = issued(db), issued(db)
    client = new_client(app)
    sign_in(client, place["admin"])
    page = f"/verify/{first.code}"
    done = post_form(client, page, f"{page}/revoke", {"reason": "Cấp nhầm"})
    assert done.status_code == 303
    command = ["lms", "certificates", "revoke", second.serial, "--reason", "Trùng"]
    result = runner.invoke(args=[*command, "--by", "quantri"])
    assert result.exit_code == 0, result.output

    events = sorted(_events(db, "certificates.revoke"), key=lambda e: e.id)
    assert [(e.actor_id, e.target) for e in events] == [
        (place["admin"].id, first.serial),
        (place["admin"].id, second.serial),
    ]


def test_tokens_and_code_sheets_are_recorded(app, db, place):
    member = make_user(db, role="member", team=place["team"], phone="0977000111")
    client = new_client(app)
    sign_in(client, place["official"])
    post_form(client, "/reports/tokens", "/reports/tokens", {"name": "Bảng tính"})
    token = db.scalar(select(ApiToken).where(ApiToken.user_id == place["official"].id))
    listing = client.get("/reports/tokens").get_data(as_text=True)
    client.post(f"/reports/tokens/{token.id}/revoke", data={"csrf_token": csrf_from(listing)})
    sheet = post_form(client, "/reports/teams/TO-AU/codes", "/reports/teams/TO-AU/codes", {})
    assert sheet.status_code == 200 and member.phone in sheet.get_data(as_text=True)

    official = place["official"].id
    assert [(e.actor_id, e.target) for e in _events(db, "tokens.create")] == [
        (official, f"token:{token.id}")
    ]
    assert [(e.actor_id, e.target) for e in _events(db, "tokens.revoke")] == [
        (official, f"token:{token.id}")
    ]
    [codes] = _events(db, "codes.issue")
    assert (codes.actor_id, codes.target, codes.details) == (official, "TO-AU", {"codes": 1})
    _no_personal_data(codes)


def test_the_audit_page_is_for_the_admin_only(app, db, place):
    record(db, place["official"], "tokens.create", "token:7")
    record(db, None, "units.import", "units.csv", created=3, updated=0)
    admin = new_client(app)
    sign_in(admin, place["admin"])
    page = admin.get("/admin/audit")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert text.index("units.csv") < text.index("token:7")  # newest first
    assert place["official"].login in text and "created: 3" in text
    only = admin.get("/admin/audit?action=units.import").get_data(as_text=True)
    assert "units.csv" in only and "token:7" not in only

    official = new_client(app)
    sign_in(official, place["official"])
    assert official.get("/admin/audit").status_code == 403
    citizen = new_client(app)
    sign_in(citizen, make_user(db, role="citizen"))
    assert citizen.get("/admin/audit").status_code == 403
    assert new_client(app).get("/admin/audit").status_code == 401


def test_an_actor_who_leaves_keeps_the_event(db, place):
    event = record(db, place["official"], "tokens.revoke", "token:9")
    db.delete(db.get(User, place["official"].id))
    db.flush()
    db.expire_all()
    assert (db.get(AuditEvent, event.id).actor_id, event.target) == (None, "token:9")
