"""Import tables are refused beyond documented limits before their rows are held in memory."""

import json
import subprocess
import sys
import time

import pytest

from lms.tabular import TableError, TableLimits, read_table
from tests.tabular_support import cell, crafted_xlsx, header_row, many_rows_xlsx, row

COLUMNS = ("full_name", "phone", "team_code", "role")
MEASURE = """
import json, sys, time, tracemalloc
from lms.tabular import TableError, TableLimits, read_table
data = sys.stdin.buffer.read()
limits = TableLimits(**json.loads(sys.argv[1]))
tracemalloc.start()
started = time.perf_counter()
try:
    read_table("ds.xlsx", data, ("phone",), limits)
    message = None
except TableError as error:
    message = str(error)
seconds = time.perf_counter() - started
peak = tracemalloc.get_traced_memory()[1]
print(json.dumps({"message": message, "seconds": seconds, "peak": peak}))
"""


def _measure(data: bytes, **limits) -> dict:
    """Read the file in a fresh interpreter: the error, the time and the peak of allocations."""
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(limits)],
        input=data,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def test_a_tiny_xlsx_declaring_a_huge_sheet_is_refused_at_once_naming_the_limit():
    data = crafted_xlsx("A1:XFD20000", header_row(COLUMNS) + row(2, cell("A2", "An")))
    assert len(data) < 6000
    found = _measure(data)
    assert found["message"] == "Tệp có quá nhiều cột: tối đa 30 cột."
    assert found["seconds"] < 1
    assert found["peak"] < 5 * 1024 * 1024


def test_a_declared_row_count_beyond_the_limit_is_refused_before_reading():
    data = crafted_xlsx("A1:D20000", header_row(COLUMNS))
    with pytest.raises(TableError, match="tối đa 100 dòng dữ liệu"):
        read_table("ds.xlsx", data, COLUMNS, TableLimits(rows=100))


def test_an_xlsx_that_lies_about_its_dimension_stops_reading_at_the_limit():
    data = many_rows_xlsx(("phone",), rows=100_000)
    found = _measure(data, rows=1000)
    assert found["message"].startswith("Tệp có quá nhiều dòng: tối đa 1000 dòng dữ liệu")
    assert found["seconds"] < 5  # about 0.1 s on an idle machine: reading stopped early
    assert found["peak"] < 20 * 1024 * 1024


def test_one_far_row_does_not_make_the_reader_fill_a_million_empty_ones():
    data = crafted_xlsx("A1:A2", header_row(("phone",)) + row(1_048_576, cell("A1048576", "x")))
    started = time.perf_counter()
    with pytest.raises(TableError, match="tối đa 1000 dòng"):
        read_table("ds.xlsx", data, ("phone",), TableLimits(rows=1000))
    assert time.perf_counter() - started < 1


def test_a_cell_far_to_the_right_is_refused_not_dropped():
    data = crafted_xlsx("A1:A1", row(1, cell("A1", "phone"), cell("XFD1", "x")))
    with pytest.raises(TableError, match="tối đa 30 cột"):
        read_table("ds.xlsx", data, ("phone",))


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_parsing():
    body = "".join(row(n, cell(f"A{n}", "y" * 500)) for n in range(2, 3000))
    data = crafted_xlsx("A1:A2", header_row(("phone",)) + body)
    with pytest.raises(TableError, match="tối đa 1 MB"):
        read_table("ds.xlsx", data, ("phone",), TableLimits(xlsx_unpacked_bytes=1024 * 1024))


def test_long_xlsx_and_csv_cells_are_refused_by_row_and_column():
    data = crafted_xlsx("A1:B2", header_row(("phone", "role")) + row(2, cell("B2", "z" * 1001)))
    with pytest.raises(TableError, match=r"^Dòng 2, cột B: ô dài quá 1000 ký tự\.$"):
        read_table("ds.xlsx", data, ("phone",))
    csv = ("phone,role\n0912345678," + "z" * 1001 + "\n").encode()
    with pytest.raises(TableError, match=r"^Dòng 2, cột B: ô dài quá 1000 ký tự\.$"):
        read_table("ds.csv", csv, ("phone",))


def test_csv_rows_and_columns_beyond_the_limits_are_refused():
    rows = "phone\n" + "0912345678\n" * 11
    with pytest.raises(TableError, match="tối đa 10 dòng dữ liệu"):
        read_table("ds.csv", rows.encode(), ("phone",), TableLimits(rows=10))
    read_table(
        "ds.csv", ("phone\n" + "0912345678\n" * 10).encode(), ("phone",), TableLimits(rows=10)
    )
    wide = "phone" + ",x" * 30 + "\n"
    with pytest.raises(TableError, match="tối đa 30 cột"):
        read_table("ds.csv", wide.encode(), ("phone",))


@pytest.mark.parametrize("control", ["\x00", "\x1b", "\x7f", "\x80", "\x85", "\x9f"])
def test_a_cell_with_a_control_character_is_refused_naming_its_place(control):
    """C1 controls too: a cell of a mis-decoded file would otherwise lose them unseen."""
    table = f"team_code,name\nT1,Tổ {control}một\n".encode()
    with pytest.raises(TableError, match="dòng 2, cột name"):
        read_table("ds.csv", table, ("team_code", "name"))


def test_the_settings_reach_every_importer(app, db, runner, tmp_path, monkeypatch):
    monkeypatch.setitem(app.config, "IMPORT_MAX_ROWS", 2)
    files = {
        "units.csv": (
            "code,name,level,parent_code\n" + "X,Y,province,\n" * 3,
            ["units", "import", "--csv"],
        ),
        "teams.csv": ("team_code,name,commune_code\n" + "T,N,C\n" * 3, ["teams", "import"]),
        "members.csv": (",".join(COLUMNS) + "\n" + "A,0912345678,T,\n" * 3, ["members", "import"]),
    }
    for name, (text, command) in files.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        result = runner.invoke(args=["lms", *command, str(path)])
        assert result.exit_code == 1, (name, result.output)
        assert "tối đa 2 dòng dữ liệu" in result.output, name
    xlsx = tmp_path / "teams.xlsx"
    xlsx.write_bytes(many_rows_xlsx(("team_code", "name", "commune_code"), rows=3))
    result = runner.invoke(args=["lms", "teams", "import", str(xlsx)])
    assert "tối đa 2 dòng dữ liệu" in result.output
