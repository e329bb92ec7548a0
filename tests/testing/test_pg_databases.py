"""The PostgreSQL test databases are emptied back to the template after a test, not dropped:
the next test must see exactly the template's rows, sequences from their start, and never a
schema a test changed."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from shelfwise.testing.pg_databases import ReusedDatabases

pytestmark = pytest.mark.postgres

BRANCH = (
    "INSERT INTO branches (code, kind, name_zh, created_at, updated_at)"
    " VALUES (:code, 'branch', '分馆', now(), now()) RETURNING id"
)


def _run(url: str, sql: str, **params: object) -> list[tuple[object, ...]]:
    engine = create_engine(url, poolclass=NullPool)
    try:
        with engine.begin() as conn:
            result = conn.execute(text(sql), params)
            return [tuple(row) for row in result.all()] if result.returns_rows else []
    finally:
        engine.dispose()


def test_a_reused_database_holds_only_the_templates_rows(pg_databases: ReusedDatabases) -> None:
    name = pg_databases.take()
    url = pg_databases.url(name)
    template_rows = _run(url, "SELECT name, version FROM settings_versions ORDER BY name")
    assert template_rows, "the template has its settings_versions row"
    first_id = _run(url, BRANCH, code="first")[0][0]
    _run(url, BRANCH, code="second")
    _run(url, "DELETE FROM settings_versions")
    # A connection the test forgot to close must not block the reset.
    forgotten = create_engine(url, poolclass=NullPool).connect()
    forgotten.execute(text("SELECT 1"))
    pg_databases.give_back(name)

    again = pg_databases.take()
    reused = pg_databases.url(again)
    assert _run(reused, "SELECT count(*) FROM branches") == [(0,)]
    assert (
        _run(reused, "SELECT name, version FROM settings_versions ORDER BY name") == template_rows
    )
    assert _run(reused, BRANCH, code="third")[0][0] == first_id, "sequences start again"
    # What the last test left running (a scheduler thread holding its URL) cannot reach the
    # next test's data: the database goes on under another name.
    assert again != name
    with pytest.raises(OperationalError, match="does not exist"):
        _run(url, "SELECT 1")
    pg_databases.give_back(again)
    with contextlib.suppress(OperationalError):  # the reset ended it on the server
        forgotten.close()


def test_a_database_whose_schema_a_test_changed_is_not_reused(
    pg_databases: ReusedDatabases,
) -> None:
    name = pg_databases.take()
    _run(pg_databases.url(name), "ALTER TABLE branches ADD COLUMN left_behind text")
    pg_databases.give_back(name)
    fresh = pg_databases.take()
    assert fresh != name
    assert _run(pg_databases.url(fresh), "SELECT count(*) FROM branches") == [(0,)]
    columns = _run(
        pg_databases.url(fresh),
        "SELECT count(*) FROM information_schema.columns WHERE column_name = 'left_behind'",
    )
    assert columns == [(0,)]
    pg_databases.give_back(fresh)
