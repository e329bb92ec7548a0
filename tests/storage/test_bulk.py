"""Bulk inserts store exactly what SQLAlchemy's own inserts store, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import insert, select, text

from shelfwise.services import Services
from shelfwise.storage.bulk import bulk_insert
from shelfwise.storage.tables import branches


def test_bulk_rows_equal_orm_rows_including_timestamps(services: Services) -> None:
    moment = datetime(2026, 3, 4, 5, 6, 7, tzinfo=UTC)
    row = {"kind": "branch", "name_zh": "分馆", "created_at": moment, "updated_at": moment}
    with services.db.write() as conn:
        conn.execute(insert(branches).values(code="CORE", **row))
        bulk_insert(conn, branches, [{"code": "BULK", **row}, {"code": "BULK2", **row}])
        bulk_insert(conn, branches, [])
    with services.db.read() as conn:
        stored = {
            r.code: r.created_at
            for r in conn.execute(select(branches.c.code, branches.c.created_at))
        }
        raw = {
            str(code): str(stamp)
            for code, stamp in conn.execute(
                text("SELECT code, CAST(created_at AS TEXT) FROM branches")
            )
        }
        later = (
            conn.execute(select(branches.c.code).where(branches.c.created_at >= moment))
            .scalars()
            .all()
        )
    assert stored["CORE"] == stored["BULK"] == stored["BULK2"]
    # The same text on disk, so comparisons and ORDER BY agree whoever wrote the row.
    assert raw["CORE"] == raw["BULK"]
    assert sorted(later) == ["BULK", "BULK2", "CORE"]
