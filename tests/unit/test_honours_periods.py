from datetime import date, datetime

import pytest

from lms.reports.honours import Standing, ranked
from lms.reports.periods import month_key, period_start, vietnam_day


def test_a_vietnam_day_starts_at_17_utc():
    assert vietnam_day(datetime(2026, 3, 31, 16, 59)) == date(2026, 3, 31)
    assert vietnam_day(datetime(2026, 3, 31, 17, 0)) == date(2026, 4, 1)
    assert month_key(date(2026, 4, 1)) == "2026-04"


def test_periods_start_on_calendar_boundaries():
    today = date(2026, 2, 17)
    assert period_start("month", today) == date(2026, 2, 1)
    assert period_start("3months", today) == date(2025, 12, 1)
    assert period_start("year", today) == date(2026, 1, 1)
    assert period_start("all", today) is None
    with pytest.raises(ValueError):
        period_start("week", today)


def test_ranking_is_highest_first_with_shared_ranks_and_names_breaking_ties():
    rows = [
        Standing("team", "T1", "Thôn Đông", members=4, completed=1, reached=5, sessions=1),
        Standing("team", "T2", "Ấp Bắc", members=2, completed=1, reached=2, sessions=4),
        Standing("team", "T3", "Bản Cáp", members=5, completed=5),
        Standing("team", "T4", "Thôn Trống"),
    ]
    by_completion = [(rank, s.code) for rank, s in ranked(rows, "completion_percent")]
    assert by_completion == [(1, "T3"), (2, "T2"), (3, "T1"), (None, "T4")]
    by_contribution = [(rank, s.code) for rank, s in ranked(rows, "contribution")]
    assert by_contribution == [(1, "T2"), (1, "T1"), (None, "T3"), (None, "T4")]


def test_an_all_zero_measure_ranks_nobody_and_a_unit_without_teams_is_never_ranked():
    rows = [
        Standing("unit", "U1", "Xã Một", members=3),
        Standing("unit", "U2", "Xã Hai", members=5),
        Standing("unit", "U3", "Xã Ba", teams=0),
    ]
    assert [rank for rank, _s in ranked(rows, "completion_percent")] == [None, None, None]
    rows.append(Standing("unit", "U4", "Xã Bốn", members=2, completed=2, teams=0))
    shown = [(rank, s.code) for rank, s in ranked(rows, "completion_percent")]
    assert shown == [(None, "U2"), (None, "U1"), (None, "U4"), (None, "U3")]
