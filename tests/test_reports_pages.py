import csv
import io
import re

import pytest
from openpyxl import load_workbook

from lms.reports.activity import refresh_activity
from lms.reports.rollups import rebuild_rollups
from tests.certificates_support import sign_in
from tests.factories import make_user
from tests.pages_support import new_client
from tests.reports_support import brute_force, build_country

ROW = re.compile(
    r"<tr>\s*<td class=\"code[^\"]*\"[^>]*>([^<]*)</td>\s*"
    r"<td class=\"name\"><a [^>]*>([^<]*)</a>.*?</td>(.*?)</tr>",
    re.S,
)
CELL = re.compile(r"<td[^>]*>([^<]*)</td>")


def machine(shown: str) -> str:
    """A Vietnamese figure as the exports write it: '1.234' is 1234, '15,6 %' is 15.6."""
    return shown.replace("\u00a0%", "").replace(".", "").replace(",", ".")


@pytest.fixture
def country(db):
    country = build_country(db)
    refresh_activity(db)
    rebuild_rollups(db)
    return country


@pytest.fixture
def admin_client(app, db):
    client = new_client(app)
    sign_in(client, make_user(db, role="admin"))
    return client


def screen_rows(html: str) -> list[list[str]]:
    """The body rows of the report table: code, name, then the numbers."""
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [
        [code, name, *(machine(cell) for cell in CELL.findall(rest))]
        for code, name, rest in ROW.findall(body)
    ]


def test_reports_home_leads_an_official_to_their_own_unit(app, db, country):
    client = new_client(app)
    sign_in(client, make_user(db, role="province_official", unit=country.units["P1"]))
    response = client.get("/reports")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/reports/units/R01")


def test_province_page_shows_children_with_figures_equal_to_a_brute_force_count(
    admin_client, db, country
):
    response = admin_client.get("/reports/units/R01")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    rows = {row[0]: row for row in screen_rows(html)}
    assert set(rows) == {"R011", "R012"}
    teams = {"R011": ["A", "B"], "R012": ["C"]}
    for code, keys in teams.items():
        expected = brute_force(db, [country.teams[k].id for k in keys], country.course)
        members, started, completed, percent, pass_rate, active = rows[code][2:8]
        assert (int(members), int(started), int(completed), int(active)) == (
            expected["members"],
            expected["started"],
            expected["completed"],
            expected["active_30d"],
        )
        assert float(percent) == round(100 * expected["completed"] / expected["members"], 1)
        assert float(pass_rate) == round(
            100 * expected["quiz_passes"] / expected["quiz_attempts"], 1
        )
    assert "<svg" in html and "Số liệu hoạt động 30 ngày tính đến" in html


def test_sort_and_threshold_filter_and_exports_equal_the_screen(admin_client, db, country):
    query = "?sort=completion_percent&order=desc&below=60"
    html = admin_client.get("/reports/units/R0111" + query).get_data(as_text=True)
    shown = screen_rows(html)
    percents = [float(row[5]) for row in shown]
    assert percents == sorted(percents, reverse=True) and all(p < 60 for p in percents)
    assert [row[0] for row in shown] == ["TO-B", "TO-A"]  # 1 of 2 done (50%), 1 of 4 (25%)
    fewer = admin_client.get("/reports/units/R0111?below=30").get_data(as_text=True)
    assert [row[0] for row in screen_rows(fewer)] == ["TO-A"]
    exported = admin_client.get("/reports/units/R0111/export.csv" + query)
    assert exported.headers["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(exported.get_data().decode("utf-8-sig"))))
    assert [line[:2] for line in lines[1:-1]] == [row[:2] for row in shown]
    assert [line[2:] for line in lines[1:-1]] == [row[2:] for row in shown]
    workbook = load_workbook(
        io.BytesIO(admin_client.get("/reports/units/R0111/export.xlsx" + query).data)
    )
    sheet = [list(r) for r in workbook.active.iter_rows(values_only=True)]
    assert sheet[0] == lines[0]
    assert [[str(c) for c in r[:2]] for r in sheet[1:-1]] == [row[:2] for row in shown]


def test_team_page_lists_members_and_drills_down_to_modules(admin_client, db, country):
    html = admin_client.get("/reports/teams/TO-A").get_data(as_text=True)
    rows = screen_rows(html)
    assert len(rows) == 4
    done = country.members["A"][3]
    page = admin_client.get(f"/reports/teams/TO-A/members/{done.id}")
    assert page.status_code == 200
    assert page.get_data(as_text=True).count("Hoàn thành") >= 2


def test_bad_parameters_get_a_clear_message_naming_the_field(admin_client, country):
    for query, field in (
        ("below=abc", "below"),
        ("sort=evil", "sort"),
        ("course=khong-co", "course"),
    ):
        response = admin_client.get(f"/reports/units/R01?{query}")
        assert response.status_code == 400
        assert f'data-field="{field}"' in response.get_data(as_text=True)


def test_figures_follow_the_locale_and_the_time_is_vietnam_time(admin_client, db, country):
    vietnamese = admin_client.get("/reports/units/R0111").get_data(as_text=True)
    assert "<strong>33,3\u00a0%</strong>" in vietnamese and "(giờ Việt Nam)" in vietnamese
    admin_client.set_cookie("lang", "en")
    english = admin_client.get("/reports/units/R0111").get_data(as_text=True)
    assert "<strong>33.3%</strong>" in english and "(Vietnam time)" in english


def test_a_unit_without_a_team_says_so_and_comes_last(admin_client, db, country):
    from tests.factories import make_unit

    make_unit(db, "commune", parent=country.units["P1"], code="R010", name="Xã Không Tổ")
    html = admin_client.get("/reports/units/R01?sort=completion_percent&order=desc")
    rows = screen_rows(html.get_data(as_text=True))
    assert [row[0] for row in rows][-1] == "R010"
    assert rows[-1][5] == "chưa có tổ"
