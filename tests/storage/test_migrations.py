"""The migration history creates exactly the schema that storage/tables/ declares, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from shelfwise.services import Services
from shelfwise.storage import migrate
from shelfwise.storage.tables import metadata


def test_history_is_linear() -> None:
    assert migrate.head_revision()


def test_migrated_schema_matches_declared_tables(services: Services) -> None:
    assert migrate.current_revision(services.db) == migrate.head_revision()
    with services.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_tables_exist(services: Services) -> None:
    migrate.upgrade(services.db)
    names = set(inspect(services.db.engine).get_table_names())
    assert set(metadata.tables) <= names


def test_downgrade_to_base_and_back(services: Services) -> None:
    migrate.downgrade(services.db, "base")
    assert "records" not in set(inspect(services.db.engine).get_table_names())
    migrate.upgrade(services.db)
    assert "records" in set(inspect(services.db.engine).get_table_names())
