"""Arbitrary cells and bytes for every importer (units CSV, teams CSV/XLSX, members CSV/XLSX):
the answer is either a clean import of every row or row-numbered Vietnamese errors with
nothing written; never an exception, never a partial import."""

import csv
import io
import re
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import select

from lms.accounts.models import User
from lms.limits import limiter
from lms.units.models import Team, Unit
from tests.certificates_support import sign_in
from tests.factories import make_team, make_unit, make_user
from tests.pages_support import new_client, post_form

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# each message of the command: a row-numbered problem, or the whole-file refusal (a message
# may quote a cell that holds a line break)
CLI_MESSAGE = re.compile(r"(Dòng \d+[,:] |Error: ).+", re.DOTALL)
NEXT_MESSAGE = re.compile(r"\n(?=Dòng \d+[,:] |Error: )")
MOBILE = re.compile(r"^0[35789][0-9]{8}$")
TEXT = st.text(max_size=24)
PHONES = st.one_of(
    st.from_regex(r"0[35789][0-9]{8}", fullmatch=True),
    st.from_regex(r"\+84 ?9[0-9]{2} ?[0-9]{3} ?[0-9]{3}", fullmatch=True),
    st.from_regex(r"9[0-9]{8}", fullmatch=True),  # the leading zero a spreadsheet drops
    st.sampled_from(["０９１２３４５６７８", "٠٩١٢٣٤٥٦٧٨", "0912 345 678\n", "84 912345678"]),
    TEXT,
)
XLSX_EXTRAS = st.one_of(
    st.none(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1)),
    st.datetimes(min_value=datetime(1900, 3, 1)),
)


@pytest.fixture(autouse=True)
def fresh_limits(app):
    limiter.reset()
    yield
    limiter.reset()


@pytest.fixture
def place(db):
    province = make_unit(db, "province", code="H01", name="Tỉnh Hát")
    commune = make_unit(db, "commune", parent=province, code="H0101", name="Xã Hát")
    far = make_unit(db, "commune", parent=make_unit(db, "province", code="H02"), code="H0201")
    make_team(db, commune=far, code="TO-XA")
    return {
        "team": make_team(db, commune=commune, code="TO-H1"),
        "official": make_user(db, role="commune_official", unit=commune),
    }


def _table(data, header: list[str], cells: list) -> list[list]:
    """A header (sometimes with a column missing or moved) and rows of the given cells."""
    if data.draw(st.integers(min_value=0, max_value=9)) == 0:
        header = data.draw(st.permutations(header))[: data.draw(st.integers(1, len(header)))]
    rows = data.draw(st.lists(st.tuples(*cells).map(list), max_size=6))
    return [header, *rows]


def _file(data, table: list[list], xlsx_allowed: bool) -> tuple[str, bytes]:
    """CSV (UTF-8, maybe with BOM), XLSX, or any bytes at all under either name."""
    kind = data.draw(st.sampled_from(["csv", "csv", "xlsx", "bytes"] if xlsx_allowed else ["csv"]))
    if kind == "bytes":
        event("any bytes")
        suffix = data.draw(st.sampled_from([".csv", ".xlsx"] if xlsx_allowed else [".csv"]))
        return f"ds{suffix}", data.draw(st.binary(max_size=300))
    if kind == "xlsx":
        workbook = Workbook()
        for row in table:
            extras = [data.draw(XLSX_EXTRAS) if data.draw(st.booleans()) else c for c in row]
            workbook.active.append(
                [ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in extras]
            )
        buffer = io.BytesIO()
        workbook.save(buffer)
        return "ds.xlsx", buffer.getvalue()
    text = io.StringIO()
    csv.writer(text).writerows(table)
    bom = "\ufeff" if data.draw(st.booleans()) else ""
    return "ds.csv", (bom + text.getvalue()).encode("utf-8")


def _invoke(runner, tmp_path, name: str, content: bytes, args: list[str]):
    path = tmp_path / name
    path.write_bytes(content)
    result = runner.invoke(args=[*args, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code:
        messages = NEXT_MESSAGE.split(result.output.strip())
        assert all(CLI_MESSAGE.fullmatch(message) for message in messages), result.output
        assert messages[-1].startswith("Error: ")
    event("imported" if result.exit_code == 0 else "refused")
    return result


def _units(db) -> list:
    return db.execute(
        select(Unit.code, Unit.name, Unit.level, Unit.kind, Unit.path).order_by(Unit.code)
    ).all()


@SETTINGS
@given(data=st.data())
def test_units_csv(runner, db, place, tmp_path, data):
    codes = st.one_of(st.sampled_from(["H01", "H0101", "H03", "H0301", "H0102"]), TEXT)
    levels = st.one_of(st.sampled_from(["province", "commune", "district", "Commune", ""]), TEXT)
    table = _table(
        data, ["code", "name", "level", "parent_code", "kind"], [codes, TEXT, levels, codes, TEXT]
    )
    before = _units(db)
    name, content = _file(data, table, xlsx_allowed=False)
    result = _invoke(runner, tmp_path, name, content, ["lms", "units", "import", "--csv"])
    db.expire_all()
    if result.exit_code:
        assert _units(db) == before
        return
    stored = {code: row for code, *row in _units(db)}
    for code, unit_name, level, *_rest in table[1:]:
        if code.strip():
            assert stored[code.strip()][:2] == [unit_name.strip(), level.strip().lower()]


def _teams(db) -> list:
    return db.execute(
        select(Team.code, Team.name, Team.commune_id, Team.invite_code).order_by(Team.code)
    ).all()


@SETTINGS
@given(data=st.data())
def test_teams_csv_and_xlsx(runner, db, place, tmp_path, data):
    codes = st.one_of(st.sampled_from(["TO-H1", "TO-H2", "TO-H3", "TO H4"]), TEXT)
    communes = st.one_of(st.sampled_from(["H0101", "H01", "H0201"]), TEXT)
    table = _table(data, ["team_code", "name", "commune_code"], [codes, TEXT, communes])
    before = _teams(db)
    name, content = _file(data, table, xlsx_allowed=True)
    result = _invoke(runner, tmp_path, name, content, ["lms", "teams", "import"])
    db.expire_all()
    if result.exit_code:
        assert _teams(db) == before
        return
    names = {code: team_name for code, team_name, *_ in _teams(db)}
    for row in table[1:]:
        code = str(row[0]).strip()
        if code and name.endswith(".csv"):
            assert names[code] == row[1].strip()


def _people(db) -> list:
    return db.execute(
        select(User.phone, User.full_name, User.role, User.team_id)
        .where(User.phone.is_not(None))
        .order_by(User.phone)
    ).all()


@SETTINGS
@given(data=st.data())
def test_members_csv_and_xlsx_on_the_page(app, db, place, data):
    teams = st.one_of(st.sampled_from(["TO-H1", "TO-XA", "TO-KHONG"]), TEXT)
    roles = st.one_of(st.sampled_from(["", "member", "team_leader", "Member", "admin"]), TEXT)
    table = _table(data, ["full_name", "phone", "team_code", "role"], [TEXT, PHONES, teams, roles])
    before = _people(db)
    name, content = _file(data, table, xlsx_allowed=True)
    client = new_client(app)
    sign_in(client, place["official"])
    files = {"file": (io.BytesIO(content), name)}
    response = post_form(
        client, "/reports/import", "/reports/import", files, content_type="multipart/form-data"
    )
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 422), page
    db.expire_all()
    event("imported" if response.status_code == 200 else "refused")
    if response.status_code == 422:
        assert 'role="alert"' in page or "<td>" in page
        assert _people(db) == before
        return
    people = _people(db)
    assert all(MOBILE.match(phone) for phone, *_ in people)  # stored in one normal form
    assert len(people) >= len(before)
