"""Figures in the reader's locale through Babel, Vietnam time, and teamless units in tables."""

from datetime import UTC, datetime

from lms.reports.figures import number, percent_pattern, percentage, vietnam_time
from lms.reports.tables import ReportRow, below, sort_rows

NBSP = "\u00a0"


def test_numbers_and_percentages_follow_the_locale():
    assert number(1234, "vi") == "1.234" and number(1234, "en") == "1,234"
    assert number(1234567, "vi") == "1.234.567"
    assert percentage(15.6, "vi") == f"15,6{NBSP}%" and percentage(15.6, "en") == "15.6%"
    assert percentage(100.0, "vi") == f"100{NBSP}%" and percentage(0.0, "en") == "0%"
    assert percentage(33.3, "en") == "33.3%"
    assert number(None, "vi") == "–" and percentage(None, "en") == "–"


def test_another_locale_keeps_its_cldr_pattern_with_one_decimal():
    assert percent_pattern("fr") == f"#,##0.#{NBSP}%"
    assert percentage(15.6, "fr") == f"15,6{NBSP}%"


def test_data_as_of_is_shown_in_vietnam_time():
    assert vietnam_time(datetime(2026, 12, 4, 18, 41), "vi") == "05/12/2026 01:41"
    assert vietnam_time(datetime(2026, 12, 4, 1, 5, tzinfo=UTC), "en") == "04/12/2026 08:05"
    assert vietnam_time(None, "vi") == "–"


def test_units_without_a_team_follow_the_ranked_rows_in_either_order_and_pass_no_filter():
    rows = [
        ReportRow("unit", "U1", "Xã Một", members=4, completed=1, teams=2),
        ReportRow("unit", "U2", "Xã Hai", teams=0),
        ReportRow("unit", "U3", "Xã Ba", members=2, completed=2, teams=1),
    ]
    up = sort_rows(rows, "completion_percent", descending=False)
    down = sort_rows(rows, "completion_percent", descending=True)
    assert [r.code for r in up] == ["U1", "U3", "U2"]
    assert [r.code for r in down] == ["U3", "U1", "U2"]
    assert [r.code for r in below(rows, 50)] == ["U1"]
    assert not rows[1].has_team and rows[0].has_team
    assert ReportRow("team", "T1", "Thôn").has_team  # team and member rows always count
