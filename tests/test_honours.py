"""Honours: standings over a period equal a brute-force count, ranked highest first."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from lms.accounts.models import User
from lms.contributions.models import AssistedSession
from lms.courses.models import CourseCompletion
from lms.db import utcnow
from lms.reports.honours_services import honours
from lms.reports.periods import PERIOD_KEYS, period_start, vietnam_day
from lms.reports.rollups import rebuild_rollups
from lms.reports.scope import Scope
from tests.certificates_support import sign_in
from tests.factories import make_user
from tests.pages_support import new_client
from tests.reports_support import build_country


@pytest.fixture
def country(db):
    """The report country, with an old completion, old and new sessions and referrals."""
    country = build_country(db)
    old = utcnow() - timedelta(days=500)
    done_in_a = country.members["A"][3]
    completion = db.scalar(select(CourseCompletion).where(CourseCompletion.user_id == done_in_a.id))
    completion.completed_at = old
    today = vietnam_day(utcnow())
    for key, days_ago in (("B", 0), ("B", 0), ("C", 0), ("C", 45), ("D", 400)):
        db.add(
            AssistedSession(
                team_id=country.teams[key].id,
                held_on=today - timedelta(days=days_ago),
                consent_at=utcnow(),
                qr_payment=True,
            )
        )
    make_user(db, role="citizen", referred_by_team_id=country.teams["D"].id, reached_at=utcnow())
    make_user(
        db,
        role="citizen",
        referred_by_team_id=country.teams["D"].id,
        created_at=old,
        reached_at=old,
    )
    # attributed, but never did anything that counts: not reached
    make_user(db, role="citizen", referred_by_team_id=country.teams["D"].id)
    db.flush()
    rebuild_rollups(db)
    return country


def _brute(db, country, keys, start):
    """(members, completed, reached, sessions) of these teams since start, from raw rows."""
    teams = [country.teams[k].id for k in keys]
    members = db.scalars(
        select(User.id).where(User.team_id.in_(teams), User.role.in_(("member", "team_leader")))
    ).all()
    completions = db.scalars(
        select(CourseCompletion.completed_at).where(
            CourseCompletion.user_id.in_(members),
            CourseCompletion.course_id == country.course.id,
        )
    ).all()
    referred = db.scalars(
        select(User.reached_at).where(
            User.referred_by_team_id.in_(teams), User.reached_at.is_not(None)
        )
    )
    sessions = db.scalars(select(AssistedSession.held_on).where(AssistedSession.team_id.in_(teams)))

    def kept(day):
        return start is None or day >= start

    return (
        len(members),
        sum(kept(vietnam_day(at)) for at in completions),
        sum(kept(vietnam_day(at)) for at in referred),
        sum(kept(day) for day in sessions),
    )


def _figures(standing):
    return (standing.members, standing.completed, standing.reached, standing.sessions)


@pytest.mark.parametrize("period", PERIOD_KEYS)
def test_standings_equal_a_brute_force_count_in_every_period(db, country, period):
    start = period_start(period, vietnam_day(utcnow()))
    everything = Scope(everything=True)
    national = honours(db, everything, "VN", country.course, start)
    children = {s.code: s for s in national.children}
    assert _figures(children["R01"]) == _brute(db, country, "ABC", start)
    assert _figures(children["R02"]) == _brute(db, country, "D", start)
    teams = {s.code: s for s in national.teams}
    for key in "ABCD":
        assert _figures(teams[f"TO-{key}"]) == _brute(db, country, key, start), key
    province = honours(db, everything, "R01", country.course, start)
    by_code = {s.code: s for s in province.children}
    assert _figures(by_code["R011"]) == _brute(db, country, "AB", start)
    assert _figures(by_code["R012"]) == _brute(db, country, "C", start)


def _ranked_names(html: str, caption: str) -> list[str]:
    table = html.split(f"<caption>{caption}</caption>")[1].split("</table>")[0]
    ranked_row = r"<td class=\"rank\"[^>]*>\d+</td>\s*<td class=\"name\"><a [^>]*>([^<]+)</a>"
    return re.findall(ranked_row, table)


def test_the_page_ranks_by_completion_and_by_contribution(app, db, country):
    client = new_client(app)
    sign_in(client, make_user(db, role="province_official", unit=country.units["P1"]))
    assert client.get("/reports/honours").headers["Location"].endswith("/reports/honours/R01")
    this_month = client.get("/reports/honours/R0111?period=month").get_data(as_text=True)
    # This month: B has 1 of 2 done (50 %), A none (its completion is 500 days old): a
    # zero earns no rank, so A is listed unranked.
    assert _ranked_names(this_month, "Tỉ lệ hoàn thành") == ["Thôn B"]
    completion = this_month.split("<caption>Tỉ lệ hoàn thành</caption>")[1].split("</table>")[0]
    unranked = r'<td class="rank"[^>]*>–</td>\s*<td class="name"><a [^>]*>Thôn A<'
    assert re.search(unranked, completion)
    assert _ranked_names(this_month, "Đóng góp") == ["Thôn B", "Thôn A"]
    all_time = client.get("/reports/honours/R01?period=all").get_data(as_text=True)
    # Huyện Một: 2 of 6 (33.3 %); Phường Hai: 1 of 3 (33.3 %): a tie, ordered by name.
    assert _ranked_names(all_time, "Tỉ lệ hoàn thành")[:2] == ["Huyện Một", "Phường Hai"]
    assert _ranked_names(all_time, "Đóng góp")[:2] == ["Huyện Một", "Phường Hai"]
    assert "Các tổ tiêu biểu" in all_time
    bad = client.get("/reports/honours/R01?period=week")
    assert bad.status_code == 400 and 'data-field="period"' in bad.get_data(as_text=True)
    assert client.get("/reports/honours/R02").status_code == 404


def test_a_unit_without_a_team_is_listed_unranked_after_the_others(app, db, country):
    from tests.factories import make_unit

    make_unit(db, "commune", parent=country.units["P1"], code="R010", name="Xã Không Tổ")
    client = new_client(app)
    sign_in(client, make_user(db, role="province_official", unit=country.units["P1"]))
    html = client.get("/reports/honours/R01?period=all").get_data(as_text=True)
    for caption in ("Tỉ lệ hoàn thành", "Đóng góp"):
        table = html.split(f"<caption>{caption}</caption>")[1].split("</table>")[0]
        rows = table.split("<tbody>")[1].split("</tr>")[:-1]
        last = rows[-1]
        assert "Xã Không Tổ" in last and '<td class="rank" data-label="Hạng">–</td>' in last
        assert "chưa có tổ" in last
        assert "Xã Không Tổ" not in _ranked_names(html, caption)
