"""Backups are taken from the live database and restore what was there."""

import uuid

import pytest
from sqlalchemy import select, text

from lms import create_app, migrate
from lms.db import make_engine, session
from lms.units.models import Unit


@pytest.fixture
def live_app(tmp_path, database_url):
    """An application on a database of its own (not the savepoint fixture): restore needs one."""
    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
        cleanup = None
    else:
        name = f"hocso_backup_{uuid.uuid4().hex[:8]}"
        base = database_url.split("?")[0]
        admin = make_engine(base).execution_options(isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f"CREATE DATABASE {name}"))
        url = base.rsplit("/", 1)[0] + f"/{name}"

        def cleanup():
            with admin.connect() as connection:
                connection.execute(text(f"DROP DATABASE {name} WITH (FORCE)"))
            admin.dispose()

    app = create_app({"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": url})
    app.instance_path = str(tmp_path / "instance")
    migrate.upgrade(app.extensions["lms.db"].engine)
    yield app
    app.extensions["lms.db"].engine.dispose()
    if cleanup:
        cleanup()


def _names(app):
    with app.app_context():
        return set(session().scalars(select(Unit.name)))


def _add_unit(app, code, name):
    with app.app_context():
        session().add(Unit(code=code, name=name, level="province", path=f"/{code}/"))
        session().commit()


def test_backup_then_restore_brings_back_the_data(live_app, tmp_path):
    _add_unit(live_app, "01", "Thành phố Hà Nội")
    runner = live_app.test_cli_runner()
    target = tmp_path / "saved.backup"

    result = runner.invoke(args=["lms", "backup", "--output", str(target)])
    assert result.exit_code == 0, result.output
    assert target.stat().st_size > 0

    _add_unit(live_app, "02", "Tỉnh Mới Thêm")
    live_app.extensions["lms.db"].engine.dispose()
    result = runner.invoke(args=["lms", "restore", str(target), "--yes"])
    assert result.exit_code == 0, result.output
    assert _names(live_app) == {"Thành phố Hà Nội"}
