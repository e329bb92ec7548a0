"""SQL of record versions: the masters the editor saved, who saved them (private to
catalogue)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, insert, select

from shelfwise.storage.tables import record_versions


def has_versions(conn: Connection, record_id: int) -> bool:
    found = conn.execute(
        select(record_versions.c.version).where(record_versions.c.record_id == record_id).limit(1)
    ).first()
    return found is not None


def insert_version(
    conn: Connection,
    *,
    record_id: int,
    version: int,
    dialect: str,
    master: bytes,
    staff_id: int | None,
    staff_name: str | None,
    restored_from: int | None,
    at: datetime,
) -> None:
    conn.execute(
        insert(record_versions).values(
            record_id=record_id,
            version=version,
            dialect=dialect,
            master=master,
            staff_id=staff_id,
            staff_name=staff_name,
            restored_from=restored_from,
            saved_at=at,
        )
    )


def versions_of(conn: Connection, record_id: int) -> Sequence[Any]:
    """The record's versions, newest first, without their MARC."""
    return conn.execute(
        select(
            record_versions.c.version,
            record_versions.c.staff_id,
            record_versions.c.staff_name,
            record_versions.c.restored_from,
            record_versions.c.saved_at,
        )
        .where(record_versions.c.record_id == record_id)
        .order_by(record_versions.c.version.desc())
    ).all()


def version_row(conn: Connection, record_id: int, version: int) -> Row[Any] | None:
    return conn.execute(
        select(record_versions).where(
            record_versions.c.record_id == record_id, record_versions.c.version == version
        )
    ).first()
