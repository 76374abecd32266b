import html
import io
import re
from datetime import timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select, update

from lms.accounts.models import User
from lms.accounts.onetime import MAX_FAILURES, OneTimeCode
from lms.accounts.services import authenticate
from lms.limits import limiter
from lms.reports.models import TeamRollup
from lms.units.models import Team
from tests.certificates_support import sign_in
from tests.factories import make_team, make_unit, make_user
from tests.pages_support import csrf_from, new_client, post_form

HEADER = "full_name,phone,team_code,role\n"


@pytest.fixture(autouse=True)
def fresh_limits():
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def place(db):
    province = make_unit(db, "province", code="M01")
    commune = make_unit(db, "commune", parent=province, code="M0101")
    other = make_unit(db, "commune", parent=make_unit(db, "province", code="M02"), code="M0201")
    return {
        "commune": commune,
        "team": make_team(db, commune=commune, code="TO-1"),
        "team2": make_team(db, commune=commune, code="TO-2"),
        "far": make_team(db, commune=other, code="TO-XA"),
        "official": make_user(db, role="commune_official", unit=commune),
    }


def _upload(app, official, data: bytes, name="ds.csv"):
    client = new_client(app)
    sign_in(client, official)
    files = {"file": (io.BytesIO(data), name)}
    response = post_form(
        client, "/reports/import", "/reports/import", files, content_type="multipart/form-data"
    )
    return client, response


def _members(db, team):
    return db.scalars(select(User).where(User.team_id == team.id).order_by(User.phone)).all()


def _rollup_members(db, team):
    return {r.members for r in db.scalars(select(TeamRollup).where(TeamRollup.team_id == team.id))}


def test_a_good_csv_creates_members_and_counts_them_in_the_roll_ups(app, db, place, runner):
    runner.invoke(args=["lms", "content", "sync"])
    csv_text = (
        HEADER + "Nguyễn Văn An,0912 345 678,TO-1,team_leader\nTrần Thị Bình,+84987654321,TO-1,\n"
    )
    _client, response = _upload(app, place["official"], csv_text.encode())
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Đã thêm 2 người, cập nhật 0 người." in response.get_data(as_text=True)
    people = _members(db, place["team"])
    assert [(p.full_name, p.phone, p.role) for p in people] == [
        ("Nguyễn Văn An", "0912345678", "team_leader"),
        ("Trần Thị Bình", "0987654321", "member"),
    ]
    assert all(p.password_hash is None for p in people)
    assert _rollup_members(db, place["team"]) == {2}


def test_xlsx_through_the_cli_keeps_a_dropped_leading_zero(app, db, place, runner, tmp_path):
    workbook = Workbook()
    workbook.active.append(["full_name", "phone", "team_code", "role"])
    workbook.active.append(["Lê Văn Cường", 912000111, "TO-2", "member"])
    path = tmp_path / "ds.xlsx"
    workbook.save(path)
    result = runner.invoke(args=["lms", "members", "import", str(path), "--unit", "M0101"])
    assert result.exit_code == 0, result.output
    assert "Đã thêm 1, cập nhật 0 thành viên." in result.output
    assert [p.phone for p in _members(db, place["team2"])] == ["0912000111"]


BAD_ROWS = [
    (",0912345670,TO-1,member", "full_name", "thiếu họ và tên"),
    ("An,12345,TO-1,member", "phone", "không phải số di động Việt Nam hợp lệ"),
    ("An,,TO-1,member", "phone", "thiếu số điện thoại"),
    ("An,0912345670,,member", "team_code", "thiếu mã tổ"),
    ("An,0912345670,TO-KHONG,member", "team_code", "không có tổ mã 'TO-KHONG'"),
    ("An,0912345670,TO-XA,member", "team_code", "không có tổ mã 'TO-XA'"),
    ("An,0912345670,TO-1,admin", "role", "phải là member hoặc team_leader"),
]


@pytest.mark.parametrize(("line", "column", "message"), BAD_ROWS)
def test_each_kind_of_bad_row_is_named_and_nothing_is_imported(
    app, db, place, line, column, message
):
    text = HEADER + "Người Tốt,0911111111,TO-1,member\n" + line + "\n"
    _client, response = _upload(app, place["official"], text.encode())
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 422
    assert re.search(rf"<td>3</td><td>{column}</td><td>[^<]*{re.escape(message)}", page), page
    assert _members(db, place["team"]) == []


def test_a_duplicate_phone_is_refused_by_row(app, db, place):
    text = HEADER + "A,0911111111,TO-1,member\nB,0911 111 111,TO-1,member\n"
    _client, response = _upload(app, place["official"], text.encode())
    assert "số 0911111111 trùng với dòng 2" in html.unescape(response.get_data(as_text=True))
    assert _members(db, place["team"]) == []


NEUTRAL = "số này không thể thêm từ tệp; người đó tự tham gia tổ bằng mã mời."
PROBE = HEADER + "Kẻ Mạo Danh,0900000001,TO-1,team_leader\nNgười Mới,0911111111,TO-1,member\n"


def _people_an_import_may_not_change(place):
    """Each kind of account an official's file must leave alone, all with one phone."""
    commune, far = place["official"].unit, place["far"]
    return {
        "self-registered citizen": dict(role="citizen"),
        "admin": dict(role="admin"),
        "commune official": dict(role="commune_official", unit=commune),
        "province official": dict(role="province_official", unit=commune.parent),
        "member outside scope": dict(role="member", team=far),
        "team leader outside scope": dict(role="team_leader", team=far),
    }


def _error_table(page: str) -> str:
    return page[page.index('<table class="report import-errors">') : page.index("</table>")]


def test_an_import_changes_no_one_outside_its_teams_and_says_the_same_about_all(app, db, place):
    tables = {}
    for kind, fields in _people_an_import_may_not_change(place).items():
        person = make_user(db, phone="0900000001", full_name="Chủ Số", **fields)
        before = (person.full_name, person.role, person.team_id, person.unit_id)
        _client, response = _upload(app, place["official"], PROBE.encode())
        page = html.unescape(response.get_data(as_text=True))
        assert response.status_code == 422, kind
        assert f"<td>2</td><td>phone</td><td>{NEUTRAL}</td>" in page, kind
        assert "Chủ Số" not in page and "official" not in _error_table(page), kind
        db.expire_all()
        assert (person.full_name, person.role, person.team_id, person.unit_id) == before, kind
        assert _members(db, place["team"]) == [], kind
        tables[kind] = _error_table(page)
        db.delete(person)
        db.flush()
    assert len(set(tables.values())) == 1, tables


def test_the_refusal_offers_the_teams_invite_link_in_the_pages_language(app, db, place):
    make_user(db, phone="0900000001", role="citizen")
    client, response = _upload(app, place["official"], PROBE.encode())
    page = html.unescape(response.get_data(as_text=True))
    team = place["team"]
    assert f"http://localhost/join/{team.invite_code}" in page
    assert response.headers["Cache-Control"] == "no-store"
    client.post("/language", data={"lang": "en", "csrf_token": csrf_from(page)})
    files = {"file": (io.BytesIO(PROBE.encode()), "ds.csv")}
    english = post_form(
        client, "/reports/import", "/reports/import", files, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert (
        "This number cannot be added from a file; the person joins the team with its invite code."
        in html.unescape(english)
    )
    assert f"/join/{team.invite_code}" in english


def test_the_command_line_import_leaves_them_alone_too(app, db, place, runner, tmp_path):
    citizen = make_user(db, phone="0900000001", role="citizen", full_name="Chủ Số")
    path = tmp_path / "ds.csv"
    path.write_text(PROBE, encoding="utf-8")
    result = runner.invoke(args=["lms", "members", "import", str(path)])
    assert result.exit_code == 1
    assert f"Dòng 2, cột phone: {NEUTRAL}" in result.output
    db.expire_all()
    assert (citizen.full_name, citizen.role, citizen.team_id) == ("Chủ Số", "citizen", None)


def test_a_member_of_a_team_in_scope_is_still_updated_and_moved(app, db, place):
    member = make_user(db, phone="0900000001", role="member", team=place["team2"])
    _client, response = _upload(app, place["official"], PROBE.encode())
    assert response.status_code == 200, response.get_data(as_text=True)
    db.expire_all()
    assert (member.full_name, member.role, member.team_id) == (
        "Kẻ Mạo Danh",
        "team_leader",
        place["team"].id,
    )


def test_the_import_limits_apply_to_the_page(app, db, place, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 1)
    _client, response = _upload(app, place["official"], PROBE.encode())
    assert response.status_code == 422
    assert "tối đa 1 dòng dữ liệu" in response.get_data(as_text=True)


def test_a_file_that_is_not_a_table_is_refused_with_a_reason(app, db, place):
    _client, response = _upload(app, place["official"], b"full_name,phone\nA,0911111111\n")
    assert response.status_code == 422
    assert "Thiếu cột: team_code, role" in response.get_data(as_text=True)
    _client, response = _upload(app, place["official"], b"hello", name="ds.txt")
    assert "phải là .csv hoặc .xlsx" in response.get_data(as_text=True)


def test_reimport_updates_by_phone_and_moves_roll_up_counts(app, db, place, runner):
    runner.invoke(args=["lms", "content", "sync"])
    _upload(app, place["official"], (HEADER + "An,0911111111,TO-1,member\n").encode())
    text = HEADER + "Nguyễn An,84911111111,TO-2,team_leader\nBình,0922222222,TO-2,member\n"
    _client, response = _upload(app, place["official"], text.encode())
    assert "Đã thêm 1 người, cập nhật 1 người." in response.get_data(as_text=True)
    moved = db.scalar(select(User).where(User.phone == "0911111111"))
    assert (moved.full_name, moved.role, moved.team_id) == (
        "Nguyễn An",
        "team_leader",
        place["team2"].id,
    )
    assert _members(db, place["team"]) == []
    assert _rollup_members(db, place["team"]) in (set(), {0})
    assert _rollup_members(db, place["team2"]) == {2}


def _print_codes(app, official, team_code):
    client = new_client(app)
    sign_in(client, official)
    page = f"/reports/teams/{team_code}/codes"
    sheet = post_form(client, page, page, {}).get_data(as_text=True)
    return dict(re.findall(r"<td>(0\d{9})</td><td class=\"code\">([A-Z0-9-]+)</td>", sheet))


def _code_login(app, phone, code):
    client = new_client(app)
    page = client.get("/login/code").get_data(as_text=True)
    response = client.post(
        "/login/code", data={"csrf_token": csrf_from(page), "phone": phone, "code": code}
    )
    return client, response


def test_first_sign_in_with_a_printed_code_then_a_password(app, db, place):
    _upload(app, place["official"], (HEADER + "An,0911111111,TO-1,member\n").encode())
    codes = _print_codes(app, place["official"], "TO-1")
    assert set(codes) == {"0911111111"} and re.fullmatch(
        r"[A-Z2-9]{4}-[A-Z2-9]{4}", codes["0911111111"]
    )
    stored = db.scalar(select(OneTimeCode))
    assert codes["0911111111"].replace("-", "") not in stored.code_hash
    client, response = _code_login(app, "0911 111 111", codes["0911111111"].lower())
    assert response.status_code == 302 and response.headers["Location"].endswith(
        "/login/code/password"
    )
    page = client.get("/login/code/password").get_data(as_text=True)
    short = client.post(
        "/login/code/password", data={"csrf_token": csrf_from(page), "password": "ngan"}
    )
    assert short.status_code == 422 and "ít nhất 8 ký tự" in short.get_data(as_text=True)
    done = client.post(
        "/login/code/password",
        data={
            "csrf_token": csrf_from(page),
            "password": "matkhau-moi-1",
            "confirm": "matkhau-moi-1",
        },
    )
    assert done.status_code == 302
    assert authenticate(db, "0911111111", "matkhau-moi-1") is not None
    _client, again = _code_login(app, "0911111111", codes["0911111111"])
    assert again.status_code == 422  # single use
    assert _print_codes(app, place["official"], "TO-1") == {}  # has a password now


def test_codes_expire_and_too_many_wrong_tries_spend_them(app, db, place):
    _upload(
        app,
        place["official"],
        (HEADER + "An,0911111111,TO-1,member\nBình,0922222222,TO-1,\n").encode(),
    )
    codes = _print_codes(app, place["official"], "TO-1")
    user = db.scalar(select(User).where(User.phone == "0911111111"))
    db.execute(
        update(OneTimeCode)
        .where(OneTimeCode.user_id == user.id)
        .values(expires_at=OneTimeCode.expires_at - timedelta(days=30))
    )
    assert _code_login(app, "0911111111", codes["0911111111"])[1].status_code == 422
    for _ in range(MAX_FAILURES):
        assert _code_login(app, "0922222222", "AAAA-AAAA")[1].status_code == 422
    assert _code_login(app, "0922222222", codes["0922222222"])[1].status_code == 422


def test_reprinting_spends_the_earlier_codes(app, db, place):
    _upload(app, place["official"], (HEADER + "An,0911111111,TO-1,member\n").encode())
    first = _print_codes(app, place["official"], "TO-1")["0911111111"]
    second = _print_codes(app, place["official"], "TO-1")["0911111111"]
    assert _code_login(app, "0911111111", first)[1].status_code == 422
    assert _code_login(app, "0911111111", second)[1].status_code == 302


def test_an_official_cannot_print_codes_for_a_team_outside_scope(app, db, place):
    client = new_client(app)
    sign_in(client, place["official"])
    assert client.get("/reports/teams/TO-XA/codes").status_code == 404
    assert db.scalar(select(Team).where(Team.code == "TO-XA")) is not None
