"""SQL that reads records and sources for the service, merges and withdraws (private to
catalogue; the import's SQL is in repo.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, Select, func, insert, select, update

from shelfwise.marc import compact
from shelfwise.marc.record import Record
from shelfwise.storage.tables import (
    items,
    record_classes,
    record_isbns,
    records,
    sources,
    tombstones,
)


def title(conn: Connection, record_id: int) -> str | None:
    found = conn.execute(
        select(records.c.title).where(records.c.id == record_id)
    ).scalar_one_or_none()
    return None if found is None else str(found)


def master(conn: Connection, record_id: int) -> Record | None:
    """The record's master MARC record, decoded from its compact stored form."""
    found = conn.execute(select(records.c.master).where(records.c.id == record_id)).scalar()
    return None if found is None else compact.loads(found)


def state(conn: Connection, record_id: int) -> str | None:
    found = conn.execute(select(records.c.state).where(records.c.id == record_id)).scalar()
    return None if found is None else str(found)


def record_row(conn: Connection, record_id: int) -> Row[Any] | None:
    return conn.execute(select(records).where(records.c.id == record_id)).first()


def record_rows(conn: Connection, record_ids: Sequence[int]) -> list[Row[Any]]:
    """The rows of these records without their MARC master (a page of cards needs none)."""
    columns = [c for c in records.c if c.name != "master"]
    return list(conn.execute(select(*columns).where(records.c.id.in_(record_ids))).all())


def isbns_of_many(conn: Connection, record_ids: Sequence[int]) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    query = (
        select(record_isbns.c.record_id, record_isbns.c.isbn)
        .where(record_isbns.c.record_id.in_(record_ids))
        .order_by(record_isbns.c.record_id, record_isbns.c.isbn)
    )
    for r in conn.execute(query):
        out.setdefault(int(r.record_id), []).append(str(r.isbn))
    return out


def counts_by_state(conn: Connection) -> dict[str, int]:
    rows = conn.execute(select(records.c.state, func.count()).group_by(records.c.state)).all()
    return {str(state_): int(count) for state_, count in rows}


def source_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(sources)).scalar_one())


@dataclass(frozen=True, slots=True)
class MasterRow:
    id: int
    dialect: str
    master: Record


def masters_after(conn: Connection, last: int, batch: int, dialect: str | None) -> list[MasterRow]:
    """Active records' masters (decoded) after id ``last``, in id order."""
    query = (
        select(records.c.id, records.c.dialect, records.c.master)
        .where(records.c.state == "active", records.c.id > last)
        .order_by(records.c.id)
        .limit(batch)
    )
    if dialect:
        query = query.where(records.c.dialect == dialect)
    return [MasterRow(r.id, r.dialect, compact.loads(r.master)) for r in conn.execute(query).all()]


def sources_after(conn: Connection, last: int, batch: int) -> Sequence[Any]:
    """(id, format, raw) of source records after id ``last``, in arrival order."""
    return conn.execute(
        select(sources.c.id, sources.c.format, sources.c.raw)
        .where(sources.c.id > last)
        .order_by(sources.c.id)
        .limit(batch)
    ).all()


def isbns_of(conn: Connection, record_id: int) -> list[str]:
    return [
        str(i)
        for i in conn.execute(
            select(record_isbns.c.isbn)
            .where(record_isbns.c.record_id == record_id)
            .order_by(record_isbns.c.isbn)
        ).scalars()
    ]


def add_isbns(conn: Connection, record_id: int, isbns: Sequence[str]) -> None:
    if isbns:
        conn.execute(insert(record_isbns), [{"record_id": record_id, "isbn": i} for i in isbns])


def move_sources(conn: Connection, from_record: int, to_record: int, at: datetime) -> None:
    """The duplicate's sources now belong to the survivor, none of them its master."""
    conn.execute(
        update(sources)
        .where(sources.c.record_id == from_record)
        .values(record_id=to_record, is_master=0, updated_at=at)
    )


def update_record(conn: Connection, record_id: int, at: datetime, **values: Any) -> None:
    """Change the record and count a new version of it."""
    conn.execute(
        update(records)
        .where(records.c.id == record_id)
        .values(updated_at=at, version=records.c.version + 1, **values)
    )


def tombstone(
    conn: Connection, entity_id: int, reason: str, replaced_by: int | None, at: datetime
) -> None:
    conn.execute(
        insert(tombstones).values(
            kind="record",
            entity_id=entity_id,
            replaced_by=replaced_by,
            reason=reason,
            deleted_at=at,
        )
    )


def classes_of(conn: Connection, record_ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(scheme, number) of each record's classifications, in the order the table sorts them."""
    found: dict[int, list[tuple[str, str]]] = {}
    rows = conn.execute(
        select(record_classes.c.record_id, record_classes.c.scheme, record_classes.c.number)
        .where(record_classes.c.record_id.in_(list(record_ids)))
        .order_by(record_classes.c.record_id, record_classes.c.scheme, record_classes.c.number)
    )
    for r in rows:
        found.setdefault(int(r.record_id), []).append((str(r.scheme), str(r.number)))
    return found


def copies_by_record(conn: Connection, branch_ids: Sequence[int] | None) -> list[Row[Any]]:
    """(home branch, record, copies) of the copies in service (all branches when None)."""
    query = (
        select(items.c.home_branch_id, items.c.record_id, func.count().label("copies"))
        .where(items.c.lifecycle == "in_service")
        .group_by(items.c.home_branch_id, items.c.record_id)
    )
    if branch_ids is not None:
        query = query.where(items.c.home_branch_id.in_(list(branch_ids)))
    return list(conn.execute(query).all())


def items_in_service(conn: Connection) -> list[Row[Any]]:
    """(id, home branch, record) of every copy in service: the statistics' hourly stock."""
    query: Select[Any] = select(items.c.id, items.c.home_branch_id, items.c.record_id).where(
        items.c.lifecycle == "in_service"
    )
    return list(conn.execute(query).all())


def copy_labels(conn: Connection, item_ids: Sequence[int]) -> list[Row[Any]]:
    """(id, barcode, call number, record, title) of the copies named."""
    query: Select[Any] = (
        select(items.c.id, items.c.barcode, items.c.call_number, items.c.record_id, records.c.title)
        .join(records, records.c.id == items.c.record_id)
        .where(items.c.id.in_(list(item_ids)))
    )
    return list(conn.execute(query).all())


def record_titles(conn: Connection, record_ids: Sequence[int]) -> dict[int, str]:
    query = select(records.c.id, records.c.title).where(records.c.id.in_(list(record_ids)))
    return {int(r.id): str(r.title) for r in conn.execute(query)}
