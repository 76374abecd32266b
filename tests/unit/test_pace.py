from datetime import date, timedelta

import pytest

from lms.reports.pace import TargetInputError, check_target, expected_percent, lags, pace

START = date(2026, 1, 1)
DUE = date(2026, 1, 29)  # four weeks later


def test_pace_needed_members_per_week_and_points_per_week():
    result = pace(80, DUE, START, members=50, completed=10, start=START)
    assert result.current_percent == 20.0
    assert result.needed == 30  # 80 % of 50 is 40
    assert result.days_left == 28
    assert result.per_week == 7.5 and result.points_per_week == 15.0
    assert result.expected_percent == 0.0 and result.status == "on_track"


def test_needed_rounds_up_to_whole_members():
    assert pace(90, DUE, START, members=7, completed=0, start=START).needed == 7  # 6.3 → 7
    assert pace(50, DUE, START, members=7, completed=3, start=START).needed == 1  # 3.5 → 4


def test_halfway_through_a_steady_line_and_behind_it():
    halfway = START + timedelta(days=14)
    result = pace(100, DUE, halfway, members=10, completed=4, start=START, baseline=20.0)
    assert result.expected_percent == 60.0  # from 20 % to 100 %, half the time gone
    assert result.status == "behind"
    assert result.per_week == 3.0  # 6 members in 2 weeks


def test_met_and_overdue():
    met = pace(50, DUE, START, members=4, completed=2, start=START)
    assert met.status == "met" and met.needed == 0 and met.per_week == 0.0
    late = pace(50, DUE, DUE + timedelta(days=3), members=4, completed=1, start=START)
    assert late.status == "overdue" and late.per_week is None and late.days_left == -3
    empty = pace(50, DUE, START, members=0, completed=0, start=START)
    assert empty.status == "met" and empty.current_percent == 0.0


def test_expected_percent_stays_between_the_ends():
    assert expected_percent(80, 10.0, START, DUE, START - timedelta(days=5)) == 10.0
    assert expected_percent(80, 10.0, START, DUE, DUE + timedelta(days=5)) == 80.0
    assert expected_percent(80, 10.0, START, DUE, START + timedelta(days=7)) == 27.5


def test_a_team_lags_only_below_the_line_and_never_when_empty():
    assert lags(completed=2, members=10, expected=25.0)
    assert not lags(completed=3, members=12, expected=25.0)  # exactly on the line
    assert not lags(completed=0, members=0, expected=50.0)


@pytest.mark.parametrize(
    ("percent", "due", "field"),
    [
        ("0", "2026-02-01", "percent"),
        ("101", "2026-02-01", "percent"),
        ("abc", "2026-02-01", "percent"),
        ("80", "31/12/2026", "due_on"),
        ("80", "2026-01-01", "due_on"),
        ("80", "2040-01-01", "due_on"),
    ],
)
def test_bad_target_input_names_the_field(percent, due, field):
    with pytest.raises(TargetInputError) as raised:
        check_target(percent, due, START)
    assert set(raised.value.errors) == {field}
    assert f"({field})" not in str(raised.value)  # plain words, no internal names


def test_every_bad_target_field_is_reported_at_once():
    with pytest.raises(TargetInputError) as raised:
        check_target("0", "31/12/2026", START)
    assert set(raised.value.errors) == {"percent", "due_on"}
    assert str(raised.value.errors["due_on"]).startswith("Hạn hoàn thành phải là một ngày")


def test_good_target_input():
    assert check_target(" 75% ", "2026-06-30", START) == (75, date(2026, 6, 30))
