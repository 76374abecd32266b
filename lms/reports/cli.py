"""`flask lms reports refresh|rebuild` and `flask lms members import FILE`."""

from pathlib import Path

import click
from flask.cli import AppGroup
from sqlalchemy import select

from lms.accounts.imports import COLUMNS, MembersRejected, import_members, record_import
from lms.db import session
from lms.reports.activity import refresh_activity
from lms.reports.rollups import rebuild_rollups
from lms.reports.scope import Scope
from lms.tabular import TableError, read_table
from lms.units.models import Unit

reports_group = AppGroup("reports", help="Report roll-ups.")
members_group = AppGroup("members", help="Team members.")


@reports_group.command("refresh")
def refresh():
    """Fold in activity since the last run and update active_30d (run every few minutes)."""
    db = session()
    result = refresh_activity(db)
    db.commit()
    if result.teams < 0:
        click.echo("Lần chạy đầu: đã tính lại toàn bộ số liệu.")
    else:
        click.echo(f"Đã cập nhật {result.teams} tổ ({result.members} thành viên có hoạt động mới).")


@reports_group.command("rebuild")
def rebuild():
    """Recount every roll-up from raw progress (repair)."""
    db = session()
    rows = rebuild_rollups(db)
    db.commit()
    click.echo(f"Đã tính lại {rows} dòng tổng hợp theo tổ.")


@members_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--unit", "unit_code", help="Import as this unit's official (only its teams).")
def import_members_command(path, unit_code):
    """Load members from CSV or XLSX (full_name, phone, team_code, role)."""
    db = session()
    scope = Scope(everything=True)
    if unit_code:
        unit = db.scalar(select(Unit).where(Unit.code == unit_code))
        if unit is None:
            raise click.ClickException(f"Không có đơn vị mã '{unit_code}'.")
        scope = Scope(unit_path=unit.path, unit_code=unit.code)
    try:
        rows = read_table(path, Path(path).read_bytes(), COLUMNS)
        result = import_members(db, scope, rows)
    except TableError as error:
        raise click.ClickException(str(error)) from error
    except MembersRejected as rejected:
        for error in rejected.errors:
            click.echo(str(error), err=True)
        raise click.ClickException(str(rejected)) from rejected
    record_import(db, None, result, "cli", unit=unit_code or "")
    db.commit()
    click.echo(f"Đã thêm {result.created}, cập nhật {result.updated} thành viên.")
    click.echo(f"Tổ có thay đổi: {', '.join(result.team_codes)}.")
