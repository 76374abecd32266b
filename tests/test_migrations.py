from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect

from lms import migrate
from lms.models import Base


def _differences(engine):
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        return compare_metadata(context, Base.metadata)


def test_upgrade_head_equals_the_models(app):
    assert _differences(app.extensions["lms.db"].engine) == []


def test_downgrade_to_base_then_upgrade_rebuilds_every_table(app):
    engine = app.extensions["lms.db"].engine
    migrate.downgrade(engine, "base")
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    migrate.upgrade(engine)
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())
    assert _differences(engine) == []
