import csv
import io

from openpyxl import load_workbook

from lms.reports.exports import export_rows, to_csv, to_xlsx
from lms.reports.tables import ReportRow, below, display, percent, sort_rows, totals


def _rows():
    return [
        ReportRow("team", "T2", "Bản Hạ", members=4, completed=1, quiz_attempts=3, quiz_passes=2),
        ReportRow("team", "T1", "ấp Đông", members=2, completed=2, active_30d=2),
        ReportRow("team", "T3", "Thôn Trống"),
    ]


def test_percentages_have_one_decimal_and_no_division_by_zero():
    assert percent(1, 3) == 33.3 and percent(0, 0) is None
    rows = _rows()
    assert [r.completion_percent for r in rows] == [25.0, 100.0, 0.0]
    assert [r.quiz_pass_rate for r in rows] == [66.7, None, None]


def test_totals_sum_every_counter():
    total = totals(_rows(), "total", "X", "Xã")
    assert (total.members, total.completed, total.quiz_attempts, total.active_30d) == (6, 3, 3, 2)
    assert total.completion_percent == 50.0


def test_sorting_by_each_key_and_direction_with_missing_rates_last():
    rows = _rows()
    assert [r.code for r in sort_rows(rows, "completion_percent", True)] == ["T1", "T2", "T3"]
    assert [r.code for r in sort_rows(rows, "name", False)] == ["T1", "T2", "T3"]
    assert [r.code for r in sort_rows(rows, "quiz_pass_rate", False)] == ["T2", "T1", "T3"]
    assert [r.code for r in sort_rows(rows, "unknown", False)] == ["T1", "T2", "T3"]


def test_threshold_keeps_rows_strictly_below():
    assert [r.code for r in below(_rows(), 25)] == ["T3"]
    assert [r.code for r in below(_rows(), 25.1)] == ["T2", "T3"]
    assert len(below(_rows(), None)) == 3


def test_csv_and_xlsx_hold_the_same_cells_and_defuse_formulas():
    rows = [*_rows(), ReportRow("team", "T4", '=HYPERLINK("x")')]
    table = export_rows(rows, totals(rows, "total", "X", "Tổng"))
    lines = list(csv.reader(io.StringIO(to_csv(table).decode("utf-8-sig"))))
    assert lines[0][0] == "Mã" and len(lines) == len(rows) + 2
    assert lines[1] == ["T2", "Bản Hạ", "4", "0", "1", "25", "66.7", "0", "0", "0", "0", "0"]
    assert lines[4][1] == '\'=HYPERLINK("x")'
    sheet = load_workbook(io.BytesIO(to_xlsx(table, "Xã: A/B"))).active
    cells = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert [display(c) if c is not None else "–" for c in cells[1]] == lines[1]
    assert cells[4][1] == lines[4][1]
    assert sheet.title == "Xã AB"
