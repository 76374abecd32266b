"""CSV and XLSX files of exactly the rows a report page shows (same sort, same filter)."""

import csv
import io

from flask_babel import lazy_gettext as _l

from lms.reports.tables import COLUMNS, ReportRow, display, table_cells

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def export_rows(rows: list[ReportRow], total: ReportRow) -> list[list]:
    """The header, the shown rows, then the totals row."""
    header = [str(label) for _key, label in COLUMNS]
    return [header, *(table_cells(row) for row in rows), table_cells(total)]


def to_csv(rows: list[list]) -> bytes:
    """UTF-8 with a byte-order mark, so that spreadsheet programs read the diacritics."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow([_safe(display(cell)) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _safe(text: str) -> str:
    """Text a spreadsheet will not run as a formula (names come from imported files)."""
    return "'" + text if text[:1] in FORMULA_STARTS else text


def to_xlsx(rows: list[list], title: str) -> bytes:
    """One sheet with a bold header row."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _sheet_title(title)
    for row in rows:
        sheet.append([_safe(cell) if isinstance(cell, str) else cell for cell in row])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["B"].width = 32
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_title(title: str) -> str:
    cleaned = "".join(ch for ch in title if ch not in "[]:*?/\\")
    return (cleaned or str(_l("Báo cáo")))[:31]
