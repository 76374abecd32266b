"""Read an uploaded or local table (CSV or XLSX) into rows of strings with row numbers."""

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _

# PostgreSQL refuses NUL in text, and no cell needs a control character
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_LISTED = 20


class TableError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class TableRow:
    number: int  # the row number a spreadsheet shows (header is row 1)
    values: dict[str, str]


def read_table(name: str, data: bytes, required: tuple[str, ...]) -> list[TableRow]:
    """Parse CSV (UTF-8, optional BOM) or XLSX bytes; check the header has the required columns."""
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        header, body = _xlsx_rows(data)
    elif suffix == ".csv":
        header, body = _csv_rows(data)
    else:
        raise TableError(_("Tệp '%(name)s' phải là .csv hoặc .xlsx.", name=name))
    columns = [str(cell or "").strip().lower() for cell in header]
    missing = [column for column in required if column not in columns]
    if missing:
        raise TableError(
            _(
                "Thiếu cột: %(missing)s (dòng tiêu đề có: %(found)s).",
                missing=", ".join(missing),
                found=", ".join(columns),
            )
        )
    rows = []
    for number, cells in enumerate(body, start=2):
        values = {
            column: _text(cells[index] if index < len(cells) else None)
            for index, column in enumerate(columns)
            if column
        }
        if any(values.values()):
            rows.append(TableRow(number, values))
    _refuse_control_characters([TableRow(1, {c: c for c in columns}), *rows])
    return rows


def _refuse_control_characters(rows: list[TableRow]) -> None:
    places = [
        _("dòng %(row)s, cột %(column)s", row=row.number, column=column)
        for row in rows
        for column, value in row.values.items()
        if CONTROL.search(value) or CONTROL.search(column)
    ]
    if places:
        listed = "; ".join(places[:MAX_LISTED]) + ("; …" if len(places) > MAX_LISTED else "")
        raise TableError(
            _("Có ký tự điều khiển (như NUL) trong ô: %(places)s. Hãy xoá chúng.", places=listed)
        )


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        cell = int(cell)
    return str(cell).strip()


def _csv_rows(data: bytes):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(_("Tệp CSV phải được lưu với mã hoá UTF-8.")) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = list(reader)
    except csv.Error as exc:  # a cell longer than the csv module's limit
        raise TableError(
            _(
                "Dòng %(row)s: ô quá dài hoặc sai định dạng CSV (%(error)s).",
                row=reader.line_num,
                error=exc,
            )
        ) from exc
    if not rows:
        raise TableError(_("Tệp trống."))
    return rows[0], rows[1:]


def _xlsx_rows(data: bytes):
    from openpyxl import load_workbook

    try:  # openpyxl raises many kinds for a damaged file, some only while reading rows
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = [list(row) for row in workbook.active.iter_rows(values_only=True)]
        finally:
            workbook.close()
    except Exception as exc:
        raise TableError(_("Không đọc được tệp XLSX (tệp hỏng hoặc sai định dạng).")) from exc
    if not rows:
        raise TableError(_("Tệp trống."))
    return rows[0], rows[1:]
