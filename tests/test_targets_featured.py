"""Targets on a unit dashboard (form, pace, lagging teams, scope) and the monthly featured topic."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.audit.models import AuditEvent
from lms.courses.models import Module
from lms.db import utcnow
from lms.reports.models import FeaturedTopic, Target
from lms.reports.periods import month_key, vietnam_day
from lms.reports.rollups import rebuild_rollups
from tests.certificates_support import sign_in
from tests.factories import make_user
from tests.pages_support import csrf_from, new_client
from tests.reports_support import build_country


@pytest.fixture
def country(db):
    country = build_country(db)
    rebuild_rollups(db)
    return country


def _today():
    return vietnam_day(utcnow())


def _official(app, db, unit, role="commune_official"):
    client = new_client(app)
    sign_in(client, make_user(db, role=role, unit=unit))
    return client


def test_an_official_sets_a_target_and_sees_pace_and_lagging_teams(app, db, country):
    client = _official(app, db, country.units["C1"])
    page = client.get("/reports/units/R0111")
    html = page.get_data(as_text=True)
    assert "Chưa đặt chỉ tiêu" in html and 'name="due_on"' in html
    due = (_today() + timedelta(days=28)).isoformat()
    saved = client.post(
        f"/reports/units/R0111/target?course={country.course.slug}",
        data={"csrf_token": csrf_from(html), "percent": "100", "due_on": due},
    )
    assert saved.status_code == 302
    target = db.scalar(select(Target))
    assert (target.percent, target.due_on.isoformat()) == (100, due)
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "reports.target"))
    assert event.target == "R0111" and event.details["percent"] == 100
    assert target.baseline_percent == 33.3  # 2 of 6 members in teams A and B
    shown = client.get("/reports/units/R0111").get_data(as_text=True)
    assert "33,3\u00a0%" in shown and 'data-status="on_track"' in shown
    assert "Còn 4 thành viên cần hoàn thành trong 28 ngày" in shown
    assert "1 thành viên (16,7 điểm %) mỗi tuần" in shown
    target.set_on = _today() - timedelta(days=28)  # half of an eight-week line has gone by
    target.baseline_percent = 0.0
    db.flush()
    later = client.get("/reports/units/R0111").get_data(as_text=True)
    assert 'data-status="behind"' in later and "hôm nay phải đạt 50\u00a0%" in later
    assert "1 tổ dưới nhịp cần đạt" in later  # A at 25 % lags; B at 50 % is on the line


def test_lagging_teams_are_those_below_the_line(app, db, country):
    client = _official(app, db, country.units["C1"])
    html = client.get("/reports/units/R0111").get_data(as_text=True)
    client.post(
        "/reports/units/R0111/target",
        data={
            "csrf_token": csrf_from(html),
            "percent": "60",
            "due_on": (_today() + timedelta(days=10)).isoformat(),
        },
    )
    target = db.scalar(select(Target))
    target.set_on, target.baseline_percent = _today() - timedelta(days=30), 0.0
    db.flush()
    shown = client.get("/reports/units/R0111").get_data(as_text=True)
    assert "hôm nay phải đạt 45\u00a0%" in shown  # 30 of 40 days along a line to 60 %
    lagging = shown.split('class="lagging"')[1].split("</ul>")[0]
    assert "Thôn A" in lagging and "Thôn B" not in lagging  # 25 % lags, 50 % does not


@pytest.mark.parametrize(
    ("percent", "due", "field"), [("0", "+10", "percent"), ("80", "yesterday", "due_on")]
)
def test_a_bad_target_is_refused_naming_the_field(app, db, country, percent, due, field):
    client = _official(app, db, country.units["C1"])
    html = client.get("/reports/units/R0111").get_data(as_text=True)
    if due.startswith("+"):
        due = (_today() + timedelta(days=int(due[1:]))).isoformat()
    else:
        due = (_today() - timedelta(days=1)).isoformat()
    refused = client.post(
        "/reports/units/R0111/target",
        data={"csrf_token": csrf_from(html), "percent": percent, "due_on": due},
    )
    assert refused.status_code == 422
    assert f'data-field="{field}"' in refused.get_data(as_text=True)
    assert db.scalar(select(Target)) is None


def test_an_official_cannot_set_a_target_outside_their_unit(app, db, country):
    client = _official(app, db, country.units["C1"])
    token = csrf_from(client.get("/reports/units/R0111").get_data(as_text=True))
    data = {"csrf_token": token, "percent": "80", "due_on": (_today() + timedelta(30)).isoformat()}
    for code in ("R012", "R011", "R01", "R02", "VN"):
        assert client.post(f"/reports/units/{code}/target", data=data).status_code == 404
    assert (
        client.post("/reports/units/R0111/target", data={**data, "csrf_token": ""}).status_code
        == 400
    )
    assert db.scalar(select(Target)) is None


def test_the_admin_features_a_topic_and_the_home_shows_it_at_once(app, db, country):
    modules = db.scalars(select(Module).order_by(Module.position)).all()
    first_visit = new_client(app)
    assert modules[0].title in first_visit.get("/").get_data(as_text=True)
    admin = new_client(app)
    sign_in(admin, make_user(db, role="admin"))
    page = admin.get("/reports/featured").get_data(as_text=True)
    saved = admin.post(
        "/reports/featured",
        data={"csrf_token": csrf_from(page), "month": month_key(_today()), "module": modules[1].id},
    )
    assert saved.status_code == 302
    assert db.get(FeaturedTopic, month_key(_today())).module_id == modules[1].id
    event = db.scalar(select(AuditEvent).where(AuditEvent.action == "reports.featured"))
    assert event.target == month_key(_today()) and event.details["module"] == modules[1].slug
    home = first_visit.get("/").get_data(as_text=True)
    feature = home.split('class="card feature"')[1].split("</a>")[0]
    assert modules[1].title in feature
    listed = admin.get("/reports/featured").get_data(as_text=True)
    assert modules[1].title in listed and "tháng này" in listed


@pytest.mark.parametrize(
    ("month", "module", "field"),
    [("2026/12", "1", "month"), ("1999-01", "1", "month"), (None, "999999", "module")],
)
def test_a_bad_featured_topic_is_refused_naming_the_field(app, db, country, month, module, field):
    admin = new_client(app)
    sign_in(admin, make_user(db, role="admin"))
    page = admin.get("/reports/featured").get_data(as_text=True)
    refused = admin.post(
        "/reports/featured",
        data={
            "csrf_token": csrf_from(page),
            "month": month or month_key(_today()),
            "module": module,
        },
    )
    assert refused.status_code == 422
    assert f'data-field="{field}"' in refused.get_data(as_text=True)
    assert db.scalar(select(FeaturedTopic)) is None
