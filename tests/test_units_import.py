from sqlalchemy import func, select

from lms.units.models import Unit
from tests.conftest import FIXTURES

DISTRICTS_CSV = FIXTURES / "tables" / "units_with_districts.csv"


def _count(db, level):
    return db.scalar(select(func.count()).select_from(Unit).where(Unit.level == level))


def test_official_list_loads_34_provinces_and_3321_communes(runner, db):
    result = runner.invoke(args=["lms", "units", "import"])
    assert result.exit_code == 0, result.output
    assert (_count(db, "province"), _count(db, "district"), _count(db, "commune")) == (34, 0, 3321)
    hoan_kiem = db.scalar(select(Unit).where(Unit.name == "Phường Hoàn Kiếm"))
    assert hoan_kiem.parent.name == "Thành phố Hà Nội"
    assert hoan_kiem.path == f"/{hoan_kiem.parent.code}/{hoan_kiem.code}/"


def test_reimport_updates_names_by_code_and_never_duplicates(runner, db):
    runner.invoke(args=["lms", "units", "import"])
    hanoi = db.scalar(select(Unit).where(Unit.name == "Thành phố Hà Nội"))
    hanoi.name = "Tên cũ"
    db.flush()

    result = runner.invoke(args=["lms", "units", "import"])

    assert result.exit_code == 0, result.output
    assert "Đã thêm 0, cập nhật 3355" in result.output
    db.refresh(hanoi)
    assert hanoi.name == "Thành phố Hà Nội"
    assert db.scalar(select(func.count()).select_from(Unit)) == 3355


def test_csv_with_districts_builds_three_levels(runner, db):
    result = runner.invoke(args=["lms", "units", "import", "--csv", str(DISTRICTS_CSV)])
    assert result.exit_code == 0, result.output
    ward = db.scalar(select(Unit).where(Unit.code == "31507"))
    assert ward.level == "commune" and ward.parent.level == "district"
    assert ward.path == "/94/941/31507/"
    assert (_count(db, "province"), _count(db, "district"), _count(db, "commune")) == (2, 2, 3)


def test_a_csv_with_a_bad_row_is_refused_whole(runner, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        DISTRICTS_CSV.read_text(encoding="utf-8")
        + "99999,Xã Lạc,commune,777,xã\n"
        + "001,Trùng,district,01,quận\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["lms", "units", "import", "--csv", str(bad)])
    assert result.exit_code != 0
    assert "Dòng 9: đơn vị cha '777' không tồn tại." in result.output
    assert "Dòng 10: mã '001' bị trùng trong tệp." in result.output
    assert "không nhập dòng nào" in result.output
    assert db.scalar(select(func.count()).select_from(Unit)) == 0


def test_a_commune_cannot_hang_under_a_commune(runner, db, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "code,name,level,parent_code\n01,Hà Nội,province,\n"
        "00001,Phúc Xá,commune,01\n00002,Lạ,commune,00001\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["lms", "units", "import", "--csv", str(bad)])
    assert result.exit_code != 0
    assert "Dòng 4: đơn vị cha '00001' là cấp commune, không thể chứa cấp commune." in result.output
