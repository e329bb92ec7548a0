"""The migration history creates exactly the schema that tables.py declares, on both engines."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from shelfwise.app import Shelfwise
from shelfwise.storage import migrate
from shelfwise.storage.tables import metadata


def test_history_is_linear() -> None:
    assert migrate.head_revision()


def test_migrated_schema_matches_declared_tables(shelf: Shelfwise) -> None:
    assert migrate.current_revision(shelf.db) == migrate.head_revision()
    with shelf.db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_upgrade_is_idempotent_and_tables_exist(shelf: Shelfwise) -> None:
    migrate.upgrade(shelf.db)
    names = set(inspect(shelf.db.engine).get_table_names())
    assert set(metadata.tables) <= names


def test_downgrade_to_base_and_back(shelf: Shelfwise) -> None:
    migrate.downgrade(shelf.db, "base")
    assert "records" not in set(inspect(shelf.db.engine).get_table_names())
    migrate.upgrade(shelf.db)
    assert "records" in set(inspect(shelf.db.engine).get_table_names())
