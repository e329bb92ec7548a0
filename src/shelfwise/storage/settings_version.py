"""The version counters of settings that processes cache (``settings_versions``).

A write to a cached group (loan rules, branches, calendars: :data:`LENDING`) calls
:func:`bump` in its own transaction; a reader selects :func:`current` inside the
transaction that uses the cache (one scalar subquery, so it rides on a statement the
reader runs anyway) and reloads when the number differs from its copy's. Another
process's edit is therefore seen by the next transaction that starts after its commit.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, select
from sqlalchemy.dialects import postgresql, sqlite

from shelfwise.storage.tables import settings_versions

LENDING = "lending"  # loan rules, branches, branch calendars


def bump(conn: Connection, name: str = LENDING) -> None:
    """One more for ``name``, in the caller's transaction (an upsert: no row is no error)."""
    insert = postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert
    conn.execute(
        insert(settings_versions)
        .values(name=name, version=1)
        .on_conflict_do_update(
            index_elements=[settings_versions.c.name],
            set_={"version": settings_versions.c.version + 1},
        )
    )


def current(name: str = LENDING) -> Any:
    """A scalar subquery: the version of ``name`` now (0 before any write)."""
    found = select(settings_versions.c.version).where(settings_versions.c.name == name)
    return func.coalesce(found.scalar_subquery(), 0)
