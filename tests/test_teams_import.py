from openpyxl import Workbook
from sqlalchemy import func, select

from lms.units.models import Team
from tests.factories import make_commune


def _write_xlsx(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)


def _teams(db):
    return db.scalar(select(func.count()).select_from(Team))


def test_csv_import_creates_teams_with_invite_codes(runner, db, tmp_path):
    commune = make_commune(db)
    file = tmp_path / "teams.csv"
    file.write_text(
        f"team_code,name,commune_code\nT1,Thôn Đông,{commune.code}\n"
        f"T2,Tổ dân phố 3,{commune.code}\n",
        encoding="utf-8-sig",
    )
    result = runner.invoke(args=["lms", "teams", "import", str(file)])
    assert result.exit_code == 0, result.output
    teams = db.scalars(select(Team).order_by(Team.code)).all()
    assert [(t.code, t.name, t.commune_id) for t in teams] == [
        ("T1", "Thôn Đông", commune.id),
        ("T2", "Tổ dân phố 3", commune.id),
    ]
    assert len({t.invite_code for t in teams}) == 2


def test_xlsx_reimport_updates_by_code(runner, db, tmp_path):
    commune = make_commune(db)
    file = tmp_path / "teams.xlsx"
    _write_xlsx(file, [("team_code", "name", "commune_code"), ("T1", "Thôn Đông", commune.code)])
    runner.invoke(args=["lms", "teams", "import", str(file)])
    invite = db.scalar(select(Team.invite_code))
    _write_xlsx(file, [("team_code", "name", "commune_code"), ("T1", "Thôn Tây", commune.code)])

    result = runner.invoke(args=["lms", "teams", "import", str(file)])

    assert result.exit_code == 0, result.output
    assert "Đã thêm 0, cập nhật 1" in result.output
    team = db.scalar(select(Team))
    db.refresh(team)
    assert (team.name, team.invite_code, _teams(db)) == ("Thôn Tây", invite, 1)


def test_a_file_with_bad_rows_is_refused_whole_listing_every_row(runner, db, tmp_path):
    commune = make_commune(db)
    file = tmp_path / "teams.csv"
    file.write_text(
        "team_code,name,commune_code\n"
        f"T1,Thôn Đông,{commune.code}\n"
        ",Thôn Không Mã,{commune.code}\n"
        "T3,Thôn Lạc,00000\n"
        f"T1,Thôn Trùng,{commune.code}\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["lms", "teams", "import", str(file)])
    assert result.exit_code != 0
    assert "Dòng 3: thiếu team_code." in result.output
    assert "Dòng 4: không có xã/phường mã '00000'." in result.output
    assert "Dòng 5: mã tổ 'T1' trùng với dòng 2." in result.output
    assert _teams(db) == 0


def test_missing_columns_and_wrong_file_types_are_named(runner, db, tmp_path):
    file = tmp_path / "teams.csv"
    file.write_text("code,name\nT1,Thôn\n", encoding="utf-8")
    result = runner.invoke(args=["lms", "teams", "import", str(file)])
    assert "Thiếu cột: team_code, commune_code" in result.output
    other = tmp_path / "teams.txt"
    other.write_text("x", encoding="utf-8")
    result = runner.invoke(args=["lms", "teams", "import", str(other)])
    assert "phải là .csv hoặc .xlsx" in result.output
    assert _teams(db) == 0
