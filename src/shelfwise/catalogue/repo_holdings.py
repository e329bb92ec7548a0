"""SQL of the branch network and the copies (private to catalogue; service.py holds the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, func, insert, select, update

from shelfwise.storage.settings_version import bump
from shelfwise.storage.tables import branches, items, locations, records


def upsert_branch(conn: Connection, code: str, at: datetime, **names: Any) -> None:
    """Add the branch, or replace its kind and names (``names``: kind, name_zh, name_ko, name_en)."""
    bump(conn)  # circulation caches what hangs on branches (storage/settings_version.py)
    existing = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    if existing is None:
        conn.execute(insert(branches).values(code=code, created_at=at, updated_at=at, **names))
    else:
        conn.execute(
            update(branches).where(branches.c.id == existing).values(updated_at=at, **names)
        )


def branch_row(conn: Connection, code: str) -> Row[Any] | None:
    return conn.execute(select(branches).where(branches.c.code == code)).first()


def branch_rows(conn: Connection) -> Sequence[Row[Any]]:
    return conn.execute(select(branches).order_by(branches.c.id)).all()


def location_row(conn: Connection, branch_id: int, code: str) -> Row[Any] | None:
    return conn.execute(
        select(locations).where(locations.c.branch_id == branch_id, locations.c.code == code)
    ).first()


def location_rows(conn: Connection) -> Sequence[Row[Any]]:
    return conn.execute(select(locations).order_by(locations.c.branch_id, locations.c.id)).all()


def newest_in_service(conn: Connection, limit: int) -> list[int]:
    """Active records by the day their newest copy entered service: acquired_on where the
    library recorded it, else the day the copy was added; newest first."""
    entered = func.max(items.c.acquired_on)
    query = (
        select(items.c.record_id)
        .join(records, records.c.id == items.c.record_id)
        .where(items.c.lifecycle == "in_service", records.c.state == "active")
        .group_by(items.c.record_id)
        .order_by(entered.desc().nulls_last(), func.max(items.c.created_at).desc())
        .order_by(items.c.record_id.desc())
        .limit(limit)
    )
    return [int(r) for r in conn.execute(query).scalars()]


def insert_location(conn: Connection, **values: Any) -> None:
    conn.execute(insert(locations).values(**values))


def item_row(conn: Connection, barcode: str) -> Row[Any] | None:
    return conn.execute(select(items).where(items.c.barcode == barcode)).first()


def insert_item(conn: Connection, **values: Any) -> None:
    conn.execute(insert(items).values(**values))


def barcodes_of(conn: Connection, record_id: int) -> list[str]:
    """The record's copies in shelf order (call number, then arrival)."""
    return [
        str(b)
        for b in conn.execute(
            select(items.c.barcode)
            .where(items.c.record_id == record_id)
            .order_by(items.c.call_number_sort, items.c.id)
        ).scalars()
    ]


def set_lifecycle(conn: Connection, item_id: int, lifecycle: str, at: datetime) -> None:
    conn.execute(
        update(items)
        .where(items.c.id == item_id)
        .values(lifecycle=lifecycle, updated_at=at, version=items.c.version + 1)
    )


def move_items(conn: Connection, from_record: int, to_record: int, at: datetime) -> None:
    conn.execute(
        update(items)
        .where(items.c.record_id == from_record)
        .values(record_id=to_record, updated_at=at)
    )


def withdraw_items(conn: Connection, record_id: int, at: datetime) -> None:
    conn.execute(
        update(items)
        .where(items.c.record_id == record_id, items.c.lifecycle != "withdrawn")
        .values(lifecycle="withdrawn", updated_at=at, version=items.c.version + 1)
    )


def item_count(conn: Connection, record_id: int | None = None) -> int:
    query = select(func.count()).select_from(items)
    if record_id is not None:
        query = query.where(items.c.record_id == record_id)
    return int(conn.execute(query).scalar_one())


def item_counts(conn: Connection, record_ids: Sequence[int]) -> dict[int, int]:
    """Copies per record, for those with any."""
    query = (
        select(items.c.record_id, func.count())
        .where(items.c.record_id.in_(record_ids))
        .group_by(items.c.record_id)
    )
    return {int(record_id): int(n) for record_id, n in conn.execute(query).all()}


def branch_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(branches)).scalar_one())


def barcodes_by_call_number(conn: Connection, prefix: str, limit: int) -> list[str]:
    """Copies whose call number starts with ``prefix``: a range over its index."""
    query = (
        select(items.c.barcode)
        .where(items.c.call_number >= prefix, items.c.call_number < prefix + "\U0010ffff")
        .order_by(items.c.call_number, items.c.id)
        .limit(limit)
    )
    return [str(b) for b in conn.execute(query).scalars()]


def update_item(conn: Connection, item_id: int, at: datetime, values: dict[str, Any]) -> None:
    """Change a copy's columns and count a new version of it."""
    conn.execute(
        update(items)
        .where(items.c.id == item_id)
        .values(**values, updated_at=at, version=items.c.version + 1)
    )
