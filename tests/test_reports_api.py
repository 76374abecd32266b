import re

import pytest
from sqlalchemy import select

from lms.accounts.tokens import ApiToken, create_token, user_for_token
from lms.api.openapi import build_document
from lms.reports.activity import refresh_activity
from lms.reports.rollups import rebuild_rollups
from tests.certificates_support import sign_in
from tests.factories import make_user
from tests.pages_support import csrf_from, new_client
from tests.reports_support import brute_force, build_country

FIELDS = ("members", "started", "completed", "active_30d")


@pytest.fixture
def country(db):
    country = build_country(db)
    refresh_activity(db)
    rebuild_rollups(db)
    return country


def _get(app, url, token):
    return new_client(app).get(url, headers={"Authorization": f"Bearer {token}"})


def _check(row, expected):
    assert {name: row[name] for name in FIELDS} == {name: expected[name] for name in FIELDS}
    assert row["completion_percent"] == round(100 * expected["completed"] / expected["members"], 1)
    attempts, passes = expected["quiz_attempts"], expected["quiz_passes"]
    assert row["quiz_pass_rate"] == (round(100 * passes / attempts, 1) if attempts else None)


def test_unit_reports_equal_a_brute_force_count_at_every_level(app, db, country):
    token = create_token(db, make_user(db, role="admin"), "api")[1]
    teams = {"R01": "ABC", "R011": "AB", "R012": "C", "R02": "D"}
    national = _get(app, "/api/v1/units/VN/report", token).get_json()
    assert national["unit"] == {"code": "VN", "name": "Toàn quốc", "level": "country"}
    assert national["course"]["slug"] == country.course.slug
    by_code = {row["code"]: row for row in national["rows"]}
    for code in ("R01", "R02"):
        ids = [country.teams[k].id for k in teams[code]]
        _check(by_code[code], brute_force(db, ids, country.course))
    everything = [t.id for t in country.teams.values()]
    _check(national["totals"], brute_force(db, everything, country.course))
    assert national["as_of"].endswith("Z")
    province = _get(app, "/api/v1/units/R01/report", token).get_json()
    assert [(r["kind"], r["code"]) for r in province["rows"]] == [
        ("unit", "R011"),
        ("unit", "R012"),
    ]
    commune = _get(app, "/api/v1/units/R0111/report", token).get_json()
    assert [(r["kind"], r["code"]) for r in commune["rows"]] == [("team", "TO-A"), ("team", "TO-B")]
    for row in commune["rows"]:
        key = row["code"][-1]
        _check(row, brute_force(db, [country.teams[key].id], country.course))


def test_team_report_lists_members_with_their_own_figures(app, db, country):
    leader = country.members["A"][0]
    token_owner = make_user(db, role="commune_official", unit=country.units["C1"])
    body = _get(app, "/api/v1/teams/TO-A/report", create_token(db, token_owner, "t")[1]).get_json()
    assert body["team"]["code"] == "TO-A" and len(body["rows"]) == 4
    assert {row["kind"] for row in body["rows"]} == {"member"}
    _check(body["totals"], brute_force(db, [country.teams["A"].id], country.course))
    assert str(leader.id) in {row["code"] for row in body["rows"]}


def test_unknown_course_and_unknown_unit_are_json_errors(app, db, country):
    token = create_token(db, make_user(db, role="admin"), "api")[1]
    bad = _get(app, "/api/v1/units/R01/report?course=khong-co", token)
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "course"
    missing = _get(app, "/api/v1/units/KHONG/report", token)
    assert missing.status_code == 404 and missing.get_json()["error"]["code"] == "not_found"


def test_tokens_are_created_shown_once_stored_hashed_and_revoked(app, db, country):
    official = make_user(db, role="province_official", unit=country.units["P1"])
    client = new_client(app)
    sign_in(client, official)
    page = client.get("/reports/tokens").get_data(as_text=True)
    created = client.post(
        "/reports/tokens", data={"csrf_token": csrf_from(page), "name": "Bảng tính"}
    )
    secret = re.search(r'<code class="token">(hs_[^<]+)</code>', created.get_data(as_text=True))[1]
    stored = db.scalar(select(ApiToken).where(ApiToken.user_id == official.id))
    assert (
        stored.token_hash != secret
        and secret not in created.get_data(as_text=True).split("Bảng tính")[-1]
    )
    assert _get(app, "/api/v1/units/R01/report", secret).status_code == 200
    assert _get(app, "/api/v1/units/R02/report", secret).status_code == 404
    listing = client.get("/reports/tokens").get_data(as_text=True)
    assert secret not in listing and stored.hint in listing
    client.post(f"/reports/tokens/{stored.id}/revoke", data={"csrf_token": csrf_from(listing)})
    assert _get(app, "/api/v1/units/R01/report", secret).status_code == 401
    assert user_for_token(db, secret) is None
    empty = client.post("/reports/tokens", data={"csrf_token": csrf_from(listing), "name": " "})
    assert empty.status_code == 422 and "Cần đặt tên" in empty.get_data(as_text=True)


def test_a_member_cannot_make_a_token_and_a_token_is_refused_outside_the_api(app, db, country):
    member = country.members["A"][1]
    with pytest.raises(Exception, match="Chỉ cán bộ"):
        create_token(db, member, "x")
    token = create_token(db, make_user(db, role="admin"), "api")[1]
    page = new_client(app).get("/reports/units/R01", headers={"Authorization": f"Bearer {token}"})
    assert page.status_code == 302  # web pages need a signed-in session


def test_the_openapi_document_describes_both_report_paths():
    paths = build_document()["paths"]
    for path in ("/api/v1/units/{code}/report", "/api/v1/teams/{code}/report"):
        operation = paths[path]["get"]
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
        assert any(p["name"] == "course" for p in operation["parameters"])


def test_refresh_and_rebuild_commands(runner, db, country):
    rebuilt = runner.invoke(args=["lms", "reports", "rebuild"])
    assert rebuilt.exit_code == 0 and "Đã tính lại" in rebuilt.output
    refreshed = runner.invoke(args=["lms", "reports", "refresh"])
    assert refreshed.exit_code == 0 and "Đã cập nhật" in refreshed.output
