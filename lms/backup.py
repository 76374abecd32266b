"""`flask lms backup` and `flask lms restore`: SQLite online backup; pg_dump for PostgreSQL."""

import shutil
import sqlite3
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url


def sqlite_path(url: str) -> Path:
    return Path(make_url(url).database)


def backup_sqlite(source: Path, target: Path) -> None:
    """Copy a live SQLite database page by page, consistent while writers keep working."""
    _copy_sqlite(source, target)


def restore_sqlite(backup: Path, target: Path) -> None:
    """Replace the database at target with the backup, through SQLite's backup API."""
    _copy_sqlite(backup, target)


def _copy_sqlite(source: Path, target: Path) -> None:
    origin, destination = sqlite3.connect(source), sqlite3.connect(target)
    try:
        origin.backup(destination)
    finally:
        destination.close()
        origin.close()


def pg_dump_command(url: str, target: Path) -> list[str]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return ["pg_dump", "--format=custom", "--no-owner", f"--file={target}", plain]


def pg_restore_command(url: str, backup: Path) -> list[str]:
    plain = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    return ["pg_restore", "--clean", "--if-exists", "--no-owner", f"--dbname={plain}", str(backup)]


def _default_target(url: str) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    suffix = "sqlite3" if url.startswith("sqlite") else "pgdump"
    folder = Path(current_app.instance_path) / "backups"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"hocso-{stamp}.{suffix}"


def _run(command: list[str]) -> None:
    if shutil.which(command[0]) is None:
        raise click.ClickException(f"Cần chương trình {command[0]} (gói postgresql-client).")
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise click.ClickException(f"{command[0]} thất bại: {result.stderr.strip()}")


@click.command("backup")
@with_appcontext
@click.option(
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Where to write the backup (default: instance/backups/).",
)
def backup_command(output):
    """Back up the database while the platform keeps running."""
    url = current_app.config["DATABASE_URL"]
    target = output or _default_target(url)
    if url.startswith("sqlite"):
        backup_sqlite(sqlite_path(url), target)
    else:
        _run(pg_dump_command(url, target))
    click.echo(f"Đã sao lưu vào {target}.")


@click.command("restore")
@with_appcontext
@click.argument("backup", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(backup, yes):
    """Replace the database with a backup (stop the application first)."""
    url = current_app.config["DATABASE_URL"]
    if not yes:
        click.confirm("Thay toàn bộ dữ liệu hiện có bằng bản sao lưu?", abort=True)
    if url.startswith("sqlite"):
        restore_sqlite(backup, sqlite_path(url))
    else:
        _run(pg_restore_command(url, backup))
    click.echo(f"Đã khôi phục từ {backup}.")
