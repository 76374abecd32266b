from sqlalchemy import select
from werkzeug.security import check_password_hash

from lms.accounts.models import User
from lms.accounts.services import authenticate
from tests.factories import make_commune, make_team


def _create(runner, *extra):
    return runner.invoke(
        args=[
            "lms",
            "users",
            "create",
            "--password",
            "mat-khau-dai",
            "--name",
            "Nguyễn Thị Ánh",
            *extra,
        ]
    )


def test_create_a_commune_official(runner, db):
    commune = make_commune(db)
    result = _create(
        runner, "--login", "canbo", "--role", "commune_official", "--unit", commune.code
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.login == "canbo"))
    assert (user.role, user.unit_id, user.full_name) == (
        "commune_official",
        commune.id,
        "Nguyễn Thị Ánh",
    )
    assert user.password_hash != "mat-khau-dai"
    assert check_password_hash(user.password_hash, "mat-khau-dai")
    assert authenticate(db, "canbo", "mat-khau-dai") == user
    assert authenticate(db, "canbo", "sai") is None


def test_create_a_team_leader_with_a_phone(runner, db):
    team = make_team(db)
    result = _create(
        runner, "--phone", "+84 912 345 678", "--role", "team_leader", "--team", team.code
    )
    assert result.exit_code == 0, result.output
    user = db.scalar(select(User).where(User.phone == "0912345678"))
    assert user.team_id == team.id
    assert authenticate(db, "0912 345 678", "mat-khau-dai") == user


def test_errors_are_clear_and_create_nothing(runner, db):
    commune = make_commune(db)
    cases = [
        (
            ["--login", "a", "--role", "province_official", "--unit", commune.code],
            "cần đơn vị cấp province",
        ),
        (["--login", "a", "--role", "commune_official"], "Cán bộ cần mã đơn vị"),
        (["--login", "a", "--role", "team_leader"], "Tổ trưởng cần mã tổ"),
        (["--phone", "12345", "--role", "citizen"], "Số điện thoại '12345' không hợp lệ"),
        (["--login", "a", "--role", "member", "--team", "NOPE"], "Không có tổ mã 'NOPE'"),
    ]
    for args, message in cases:
        result = _create(runner, *args)
        assert result.exit_code != 0 and message in result.output, (args, result.output)
    short = runner.invoke(
        args=[
            "lms",
            "users",
            "create",
            "--login",
            "b",
            "--password",
            "ngan",
            "--name",
            "B",
            "--role",
            "citizen",
        ]
    )
    assert "Mật khẩu cần ít nhất 8 ký tự" in short.output
    assert db.scalar(select(User.id)) is None


def test_a_taken_login_is_refused(runner, db):
    assert _create(runner, "--login", "an", "--role", "citizen").exit_code == 0
    result = _create(runner, "--login", "an", "--role", "citizen")
    assert "Tên đăng nhập 'an' đã có người dùng" in result.output
