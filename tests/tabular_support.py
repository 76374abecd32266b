"""Crafted spreadsheets for the import limits: a real workbook whose sheet XML is replaced."""

import io
import zipfile

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<dimension ref="{dimension}"/><sheetData>'
)
TAIL = "</sheetData></worksheet>"


def cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def header_row(columns: tuple[str, ...]) -> str:
    letters = "ABCDEFGHIJ"
    return row(1, *(cell(f"{letters[i]}1", name) for i, name in enumerate(columns)))


def crafted_xlsx(dimension: str, rows_xml: str) -> bytes:
    """A valid XLSX whose only sheet declares `dimension` and holds `rows_xml`."""
    buffer = io.BytesIO()
    Workbook().save(buffer)
    out = io.BytesIO()
    sheet = HEAD.format(dimension=dimension) + rows_xml + TAIL
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            body = sheet.encode() if info.filename == SHEET else source.read(info)
            target.writestr(info.filename, body)
    return out.getvalue()


def many_rows_xlsx(columns: tuple[str, ...], rows: int, dimension: str = "A1:D5") -> bytes:
    """A sheet that declares a small dimension but holds `rows` data rows."""
    body = "".join(row(n, cell(f"A{n}", f"x{n}")) for n in range(2, rows + 2))
    return crafted_xlsx(dimension, header_row(columns) + body)
