"""`flask lms units import` and `flask lms teams import`."""

from pathlib import Path

import click
from flask.cli import AppGroup

from lms.audit import services as audit
from lms.db import session
from lms.tabular import TableError, read_table
from lms.units import services

units_group = AppGroup("units", help="Administrative units (provinces, districts, communes).")
teams_group = AppGroup("teams", help="Community digital technology teams.")


def _read(path: str, columns: tuple[str, ...]):
    try:
        return read_table(path, Path(path).read_bytes(), columns)
    except TableError as exc:
        raise click.ClickException(str(exc)) from exc


def _commit_or_report(action, audited: str, source: str):
    db = session()
    try:
        counts = action(db)
    except services.ImportRejected as exc:
        for error in exc.errors:
            click.echo(error, err=True)
        raise click.ClickException(f"{len(exc.errors)} lỗi; không nhập dòng nào.") from exc
    audit.record(db, None, audited, source, created=counts.created, updated=counts.updated)
    db.commit()
    click.echo(f"Đã thêm {counts.created}, cập nhật {counts.updated}.")


@units_group.command("import")
@click.option(
    "--csv",
    "csv_path",
    type=click.Path(exists=True, dir_okay=False),
    help="CSV with columns code,name,level,parent_code[,kind].",
)
def import_units(csv_path):
    """Load the official current list, or any hierarchy from a CSV file."""
    if csv_path:
        rows = services.unit_rows_from_table(_read(csv_path, services.UNIT_COLUMNS))
    else:
        rows = services.official_unit_rows()
    source = Path(csv_path).name if csv_path else "vietnam-provinces"
    _commit_or_report(lambda db: services.import_units(db, rows), "units.import", source)


@teams_group.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
def import_teams(path):
    """Load teams from CSV or XLSX (team_code, name, commune_code)."""
    rows = _read(path, services.TEAM_COLUMNS)
    _commit_or_report(lambda db: services.import_teams(db, rows), "teams.import", Path(path).name)
