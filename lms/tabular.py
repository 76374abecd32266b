"""Read an uploaded or local table (CSV or XLSX) into rows of strings with row numbers.

Every importer (units, teams, members; page and command line) reads through `read_table`,
which refuses a table larger than its limits before it holds the rows: a sheet's declared
dimension and unpacked size are checked before any row is read, and rows, columns and cells
are counted while streaming, so a small file that declares or holds a huge sheet costs
little memory and time.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter

# PostgreSQL refuses NUL in text, and no cell needs a control character
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")  # C0 and C1, not tab or newline
MAX_LISTED = 20


class TableError(ValueError):
    """The file cannot be read as a table at all."""


@dataclass(frozen=True)
class TableLimits:
    """The largest table an import reads: data rows (after the header), columns, characters
    in a cell, and the unpacked size of an XLSX file (its XML)."""

    rows: int = 20_000
    columns: int = 30
    cell_chars: int = 1_000
    xlsx_unpacked_bytes: int = 64 * 1024 * 1024

    @classmethod
    def from_config(cls, config) -> "TableLimits":
        """IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELL_CHARS, IMPORT_MAX_XLSX_BYTES."""
        default = cls()
        return cls(
            rows=int(config.get("IMPORT_MAX_ROWS", default.rows)),
            columns=int(config.get("IMPORT_MAX_COLUMNS", default.columns)),
            cell_chars=int(config.get("IMPORT_MAX_CELL_CHARS", default.cell_chars)),
            xlsx_unpacked_bytes=int(
                config.get("IMPORT_MAX_XLSX_BYTES", default.xlsx_unpacked_bytes)
            ),
        )


@dataclass(frozen=True)
class TableRow:
    number: int  # the row number a spreadsheet shows (header is row 1)
    values: dict[str, str]


def read_table(
    name: str, data: bytes, required: tuple[str, ...], limits: TableLimits | None = None
) -> list[TableRow]:
    """Parse CSV (UTF-8, optional BOM) or XLSX bytes; check the header has the required columns.

    Without `limits`, the application's settings (or the defaults outside an application)."""
    limits = limits or _configured_limits()
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx":
        header, body = _xlsx_rows(data, limits)
    elif suffix == ".csv":
        header, body = _csv_rows(data, limits)
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


def _configured_limits() -> TableLimits:
    from flask import current_app, has_app_context

    return TableLimits.from_config(current_app.config) if has_app_context() else TableLimits()


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


def _too_many_rows(limits: TableLimits) -> TableError:
    return TableError(
        _(
            "Tệp có quá nhiều dòng: tối đa %(n)s dòng dữ liệu (sau dòng tiêu đề). "
            "Hãy chia tệp thành nhiều tệp nhỏ hơn.",
            n=limits.rows,
        )
    )


def _too_many_columns(limits: TableLimits) -> TableError:
    return TableError(_("Tệp có quá nhiều cột: tối đa %(n)s cột.", n=limits.columns))


def _check_row(number: int, cells, limits: TableLimits) -> None:
    """One row read from the file: its number and width and each cell's length."""
    if number > limits.rows + 1:
        raise _too_many_rows(limits)
    if len(cells) > limits.columns and any(c not in (None, "") for c in cells[limits.columns :]):
        raise _too_many_columns(limits)
    for index, cell in enumerate(cells[: limits.columns]):
        if isinstance(cell, str) and len(cell) > limits.cell_chars:
            raise TableError(
                _(
                    "Dòng %(row)s, cột %(column)s: ô dài quá %(n)s ký tự.",
                    row=number,
                    column=get_column_letter(index + 1),
                    n=limits.cell_chars,
                )
            )


def _csv_rows(data: bytes, limits: TableLimits):
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TableError(_("Tệp CSV phải được lưu với mã hoá UTF-8.")) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    rows = []
    try:
        for row in reader:
            _check_row(len(rows) + 1, row, limits)
            rows.append(row[: limits.columns])
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


def _xlsx_rows(data: bytes, limits: TableLimits):
    _check_unpacked_size(data, limits)
    from openpyxl import load_workbook

    try:  # openpyxl raises many kinds for a damaged file, some only while reading rows
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            rows = _sheet_rows(workbook.active, limits)
        finally:
            workbook.close()
    except TableError:
        raise
    except Exception as exc:
        raise TableError(_("Không đọc được tệp XLSX (tệp hỏng hoặc sai định dạng).")) from exc
    if not rows:
        raise TableError(_("Tệp trống."))
    return rows[0], rows[1:]


def _check_unpacked_size(data: bytes, limits: TableLimits) -> None:
    """The sizes a zip declares are the most it unpacks (zipfile stops there), so their sum
    bounds the XML that openpyxl parses."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise TableError(_("Không đọc được tệp XLSX (tệp hỏng hoặc sai định dạng).")) from exc
    if unpacked > limits.xlsx_unpacked_bytes:
        megabytes = limits.xlsx_unpacked_bytes // (1024 * 1024)
        raise TableError(_("Tệp XLSX quá lớn khi giải nén: tối đa %(n)s MB.", n=megabytes))


def _sheet_rows(sheet, limits: TableLimits) -> list[list]:
    """The sheet's rows, streamed: the declared dimension is checked first, and reading
    stops one row past the limit, whatever the file declares (a row is as wide as its last
    cell, at most the format's 16,384 columns, and is refused when it is too wide)."""
    if (sheet.max_row or 0) > limits.rows + 1:
        raise _too_many_rows(limits)
    if (sheet.max_column or 0) > limits.columns:
        raise _too_many_columns(limits)
    sheet.reset_dimensions()  # read what is there, not what the file claims
    rows = []
    for cells in sheet.iter_rows(max_row=limits.rows + 2, values_only=True):
        _check_row(len(rows) + 1, cells, limits)
        rows.append(list(cells[: limits.columns]))
    return rows
