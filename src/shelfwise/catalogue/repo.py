"""SQL for the catalogue. Private to the catalogue package: other code calls the service."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, delete, func, insert, select, text, update

from shelfwise.catalogue.rows import ClassRow
from shelfwise.storage.bulk import bulk_insert
from shelfwise.storage.tables import (
    branches,
    items,
    locations,
    record_classes,
    record_isbns,
    records,
    sources,
)

if TYPE_CHECKING:
    from shelfwise.catalogue.preparing import Incoming

# SQLite allows 32766 bound parameters per statement; stay well under it.
_IN_CHUNK = 900


def _chunks(values: Sequence[str], size: int = _IN_CHUNK) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True, slots=True)
class ExistingSource:
    id: int
    record_id: int
    content_hash: str
    is_master: bool


@dataclass(frozen=True, slots=True)
class SourceRow:
    incoming: Incoming
    record_id: int
    is_master: bool
    matched_on: str


def sources_by_key(conn: Connection, keys: set[str]) -> dict[str, ExistingSource]:
    found: dict[str, ExistingSource] = {}
    for chunk in _chunks(sorted(keys)):
        rows = conn.execute(
            select(
                sources.c.source_key,
                sources.c.id,
                sources.c.record_id,
                sources.c.content_hash,
                sources.c.is_master,
            ).where(sources.c.source_key.in_(chunk))
        )
        for r in rows:
            found[r.source_key] = ExistingSource(
                r.id, r.record_id, r.content_hash, bool(r.is_master)
            )
    return found


def records_by_isbn(conn: Connection, isbns: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(isbns)):
        rows = conn.execute(
            select(record_isbns.c.isbn, record_isbns.c.record_id)
            .join(records, records.c.id == record_isbns.c.record_id)
            .where(record_isbns.c.isbn.in_(chunk), records.c.state == "active")
            .order_by(record_isbns.c.record_id)
        )
        for r in rows:
            found.setdefault(r.isbn, r.record_id)
    return found


def records_by_title_key(conn: Connection, keys: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in _chunks(sorted(keys)):
        rows = conn.execute(
            select(records.c.match_key, records.c.id)
            .where(records.c.match_key.in_(chunk), records.c.state == "active")
            .order_by(records.c.id)
        )
        for r in rows:
            found.setdefault(r.match_key, r.id)
    return found


def allocate_ids(conn: Connection, table: Table, count: int) -> list[int]:
    """``count`` fresh primary keys for ``table``, valid for the current write transaction."""
    if count == 0:
        return []
    if conn.dialect.name == "postgresql":
        sequence = conn.execute(
            text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table.name}
        ).scalar_one()
        return [
            int(v)
            for v in conn.execute(
                text("SELECT nextval(:seq) FROM generate_series(1, :n)"),
                {"seq": sequence, "n": count},
            ).scalars()
        ]
    # SQLite: the write transaction began IMMEDIATE, so no other writer can
    # take the same ids between this read and our insert.
    top = conn.execute(select(func.coalesce(func.max(table.c.id), 0))).scalar_one()
    return list(range(int(top) + 1, int(top) + 1 + count))


def insert_records(conn: Connection, incoming: list[Incoming], now: datetime) -> list[int]:
    rows = [
        {**i.columns, "state": "active", "created_at": now, "updated_at": now} for i in incoming
    ]
    # Ids are allocated up front so the whole batch is one plain executemany
    # (RETURNING forces SQLite to insert row by row).
    ids = allocate_ids(conn, records, len(rows))
    for row, record_id in zip(rows, ids, strict=True):
        row["id"] = record_id
    bulk_insert(conn, records, rows)
    _insert_keys(conn, [(rid, i.isbns, i.class_rows) for rid, i in zip(ids, incoming, strict=True)])
    return ids


def _insert_keys(conn: Connection, keyed: list[tuple[int, list[str], list[ClassRow]]]) -> None:
    isbn_rows = [
        {"record_id": rid, "isbn": isbn} for rid, isbns, _ in keyed for isbn in dict.fromkeys(isbns)
    ]
    class_rows = [
        {"record_id": rid, "scheme": c.scheme, "number": c.number, "sort_key": c.sort_key}
        for rid, _, classes in keyed
        for c in classes
    ]
    bulk_insert(conn, record_isbns, isbn_rows)
    bulk_insert(conn, record_classes, class_rows)


def rewrite_record(conn: Connection, record_id: int, incoming: Incoming, now: datetime) -> None:
    """Re-derive a record's columns from a new master MARC record."""
    rewrite_columns(conn, record_id, incoming.columns, incoming.isbns, incoming.class_rows, now)


def rewrite_columns(
    conn: Connection,
    record_id: int,
    columns: dict[str, Any],
    isbns: list[str],
    classes: list[ClassRow],
    now: datetime,
) -> None:
    """Store a record's new master with the columns, ISBNs and classes derived from it,
    and count a new version of it (the import and the editor both come here)."""
    conn.execute(
        update(records)
        .where(records.c.id == record_id)
        .values(**columns, updated_at=now, version=records.c.version + 1)
    )
    conn.execute(delete(record_isbns).where(record_isbns.c.record_id == record_id))
    conn.execute(delete(record_classes).where(record_classes.c.record_id == record_id))
    _insert_keys(conn, [(record_id, isbns, classes)])


def insert_sources(conn: Connection, rows: list[SourceRow], now: datetime) -> None:
    if not rows:
        return
    bulk_insert(
        conn,
        sources,
        [
            {
                "record_id": r.record_id,
                "source_key": r.incoming.source_key,
                "agency": r.incoming.control_agency,
                "control_number": r.incoming.control_number,
                "format": r.incoming.format,
                "dialect": r.incoming.dialect,
                "encoding": r.incoming.encoding,
                "raw": r.incoming.raw,
                "content_hash": r.incoming.content_hash,
                "is_master": 1 if r.is_master else 0,
                "matched_on": r.matched_on,
                "origin": f"offset {r.incoming.offset}",
                "created_at": now,
                "updated_at": now,
            }
            for r in rows
        ],
    )


def update_source(
    conn: Connection, existing: ExistingSource, incoming: Incoming, now: datetime
) -> None:
    conn.execute(
        update(sources)
        .where(sources.c.id == existing.id)
        .values(
            raw=incoming.raw,
            content_hash=incoming.content_hash,
            encoding=incoming.encoding,
            format=incoming.format,
            updated_at=now,
        )
    )
    if existing.is_master:
        rewrite_record(conn, existing.record_id, incoming, now)
    else:
        conn.execute(
            update(records).where(records.c.id == existing.record_id).values(updated_at=now)
        )


# --- branches and items -------------------------------------------------------------


def branch_ids(conn: Connection) -> dict[str, int]:
    return {r.code: r.id for r in conn.execute(select(branches.c.code, branches.c.id))}


def central_branch_id(conn: Connection) -> int | None:
    central = conn.execute(
        select(branches.c.id).where(branches.c.kind == "central").order_by(branches.c.id).limit(1)
    ).scalar()
    return int(central) if central is not None else None


def ensure_location(
    conn: Connection, cache: dict[tuple[int, str], int], branch_id: int, code: str, now: datetime
) -> int:
    key = (branch_id, code)
    if key in cache:
        return cache[key]
    found = conn.execute(
        select(locations.c.id).where(locations.c.branch_id == branch_id, locations.c.code == code)
    ).scalar()
    if found is None:
        found = conn.execute(
            insert(locations)
            .values(branch_id=branch_id, code=code, name=code, created_at=now)
            .returning(locations.c.id)
        ).scalar_one()
    cache[key] = int(found)
    return int(found)


def existing_barcodes(conn: Connection, barcodes: set[str]) -> set[str]:
    found: set[str] = set()
    for chunk in _chunks(sorted(barcodes)):
        found.update(
            conn.execute(select(items.c.barcode).where(items.c.barcode.in_(chunk))).scalars()
        )
    return found


@dataclass(frozen=True, slots=True)
class RejectedCopy:
    """An embedded holding that names a branch the library does not have (or none, with no
    central library to take it): an import never creates a branch, so the copy waits."""

    incoming: Incoming
    record_id: int
    barcode: str
    branch_code: str


@dataclass(slots=True)
class HoldingsOutcome:
    added: int = 0
    skipped: int = 0  # no barcode, or the barcode exists already
    rejected: list[RejectedCopy] = field(default_factory=list)


def add_holdings(
    conn: Connection, placed: list[tuple[Incoming, int]], now: datetime
) -> HoldingsOutcome:
    """Create items from embedded holdings at existing branches; see :class:`RejectedCopy`."""
    outcome = HoldingsOutcome()
    copies = [(inc, c, rid) for inc, rid in placed for c in inc.copies]
    if not copies:
        return outcome
    taken = existing_barcodes(conn, {c.barcode for _, c, _ in copies if c.barcode})
    known = branch_ids(conn)
    central = central_branch_id(conn)
    location_cache: dict[tuple[int, str], int] = {}
    rows: list[dict[str, Any]] = []
    # A holding that names only a shelving location (KORMARC 049 $f) belongs to
    # the branch that has that location, when exactly one branch has it.
    shelved = _unique_locations(conn)
    for incoming, copy, record_id in copies:
        if not copy.barcode or copy.barcode in taken:
            outcome.skipped += 1
            continue
        location_id = None
        if not copy.branch_code and copy.location_code in shelved:
            branch_id, location_id = shelved[copy.location_code]
        else:
            found = known.get(copy.branch_code) if copy.branch_code else central
            if found is None:
                outcome.rejected.append(
                    RejectedCopy(incoming, record_id, copy.barcode, copy.branch_code)
                )
                continue
            branch_id = found
        taken.add(copy.barcode)
        if copy.location_code and location_id is None:
            location_id = ensure_location(conn, location_cache, branch_id, copy.location_code, now)
        rows.append(
            {
                "record_id": record_id,
                "barcode": copy.barcode,
                "rfid": copy.rfid,
                "call_number": copy.call_number,
                "call_number_sort": copy.call_number_sort,
                "home_branch_id": branch_id,
                "location_id": location_id,
                "lifecycle": "in_service",
                "item_type": "book",
                "price_cents": copy.price_cents,
                "currency": copy.currency,
                "created_at": now,
                "updated_at": now,
            }
        )
    bulk_insert(conn, items, rows)
    outcome.added = len(rows)
    return outcome


def _unique_locations(conn: Connection) -> dict[str, tuple[int, int]]:
    found: dict[str, tuple[int, int] | None] = {}
    for row in conn.execute(select(locations.c.code, locations.c.branch_id, locations.c.id)):
        found[row.code] = None if row.code in found else (row.branch_id, row.id)
    return {code: place for code, place in found.items() if place is not None}
