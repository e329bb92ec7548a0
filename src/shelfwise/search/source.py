"""What the index is derived from: catalogue rows and the change feed, read-only.

The index is a projection of the catalogue tables, read in bulk (a million
records per rebuild); the catalogue service has no bulk read of this shape yet,
so the projection reads the tables here, and nothing here ever writes them.
When the catalogue grows an "index rows" method, this module becomes a call to it.

The change feed is the outbox table, read by id: every catalogue change writes a
``catalogue.record_changed`` row in its own transaction (and every change of a
copy's shelf, circulation's ``circulation.availability_changed``), so following ids from a
high-water mark is a complete change feed for every node, whoever delivers
the events.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, func, select

from shelfwise.catalogue.importing import RECORD_CHANGED
from shelfwise.catalogue.rows import description_json
from shelfwise.marc.description import Dialect
from shelfwise.marc.dialects import describe
from shelfwise.marc.reading import MarcFormat, ReadRecord, read_bytes
from shelfwise.storage.database import Database
from shelfwise.storage.tables import branches, items, outbox, records, sources

_IN_CHUNK = 500


@dataclass(slots=True)
class IndexRow:
    """One record as the index needs it."""

    id: int
    state: str
    title: str
    title_romanised: str | None
    main_author: str | None
    publisher: str | None
    year: int | None
    material_type: str
    description: dict[str, Any]
    copies: list[tuple[str, str]] = field(default_factory=list)  # (branch code, lifecycle)
    # the descriptions of the other source records merged into this one (duplicates
    # another agency sent, a print edition folded into its e-book): searchable too
    merged: list[dict[str, Any]] = field(default_factory=list)

    @property
    def languages(self) -> list[str]:
        return [str(x) for x in self.description.get("languages") or []]


_COLUMNS = (
    records.c.id,
    records.c.state,
    records.c.title,
    records.c.title_romanised,
    records.c.main_author,
    records.c.publisher,
    records.c.year,
    records.c.material_type,
    records.c.description,
)


def _rows(db: Database, where: Any, *, limit: int | None = None) -> list[IndexRow]:
    with db.read() as conn:
        query = select(*_COLUMNS).where(where).order_by(records.c.id)
        if limit is not None:
            query = query.limit(limit)
        found = [
            IndexRow(
                id=int(r.id),
                state=r.state,
                title=r.title or "",
                title_romanised=r.title_romanised,
                main_author=r.main_author,
                publisher=r.publisher,
                year=r.year,
                material_type=r.material_type or "book",
                description=json.loads(r.description or "{}"),
            )
            for r in conn.execute(query)
        ]
        if found:
            by_id = {row.id: row for row in found}
            copies = conn.execute(
                select(items.c.record_id, branches.c.code, items.c.lifecycle)
                .join(branches, branches.c.id == items.c.home_branch_id)
                .where(items.c.record_id.in_(list(by_id)))
            )
            for record_id, code, lifecycle in copies:
                by_id[int(record_id)].copies.append((code, lifecycle))
            for record_id, description in _merged_descriptions(conn, list(by_id)):
                by_id[record_id].merged.append(description)
    return found


def _merged_descriptions(conn: Connection, ids: list[int]) -> Iterator[tuple[int, dict[str, Any]]]:
    """The descriptions of the source records merged into these records (not the masters),
    decoded again from their original bytes: only merged records pay for it."""
    merged = conn.execute(
        select(sources.c.record_id, sources.c.raw, sources.c.format, sources.c.dialect)
        .where(sources.c.record_id.in_(ids), sources.c.is_master == 0)
        .order_by(sources.c.id)
    )
    for record_id, raw, fmt, dialect in merged:
        try:
            entries = list(read_bytes(bytes(raw), format=MarcFormat(fmt), dialect=Dialect(dialect)))
        except ValueError:  # a format or dialect this reader no longer names: skip it
            continue
        for entry in entries:
            if isinstance(entry, ReadRecord):
                yield (
                    int(record_id),
                    json.loads(description_json(describe(entry.record, entry.dialect))),
                )


def rows_for(db: Database, record_ids: Sequence[int]) -> tuple[list[IndexRow], set[int]]:
    """The rows of ``record_ids`` and the ids that no longer exist at all."""
    found: list[IndexRow] = []
    for start in range(0, len(record_ids), _IN_CHUNK):
        chunk = list(record_ids[start : start + _IN_CHUNK])
        found.extend(_rows(db, records.c.id.in_(chunk)))
    missing = set(record_ids) - {row.id for row in found}
    return found, missing


def iter_active(db: Database, *, batch: int = 2000) -> Iterator[list[IndexRow]]:
    """Every active record, in id order, in pages (constant memory)."""
    last = 0
    while True:
        page = _rows(db, (records.c.state == "active") & (records.c.id > last), limit=batch)
        if not page:
            return
        yield page
        last = page[-1].id


def active_count(db: Database) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(records).where(records.c.state == "active")
            ).scalar_one()
        )


@dataclass(frozen=True, slots=True)
class FeedEvent:
    id: int
    record_id: int | None  # None: an event of another topic (kept to see id gaps)


def feed_after(
    db: Database,
    cursor: int,
    *,
    limit: int = 5000,
    topics: Collection[str] = (RECORD_CHANGED,),
) -> list[FeedEvent]:
    """Every outbox row above ``cursor`` in id order; record ids for ``topics`` (the
    catalogue's record changes, and those the composition root adds: circulation's
    shelves).

    Rows of all topics come back so that the caller can tell a gap in the ids (a
    transaction not yet committed, or rolled back) from rows of other topics.
    """
    with db.read() as conn:
        rows = conn.execute(
            select(outbox.c.id, outbox.c.topic, outbox.c.payload)
            .where(outbox.c.id > cursor)
            .order_by(outbox.c.id)
            .limit(limit)
        ).all()
    events = []
    for r in rows:
        record_id = None
        if r.topic in topics:
            found = json.loads(r.payload).get("record_id")
            record_id = found if isinstance(found, int) else None
        events.append(FeedEvent(int(r.id), record_id))
    return events


def feed_head(db: Database) -> int:
    """The highest outbox id written so far (0 for none)."""
    with db.read() as conn:
        return int(conn.execute(select(func.max(outbox.c.id))).scalar() or 0)


def feed_floor(db: Database) -> int:
    """The lowest outbox id still kept (0 for none): a gap above the mark means pruned events."""
    with db.read() as conn:
        return int(conn.execute(select(func.min(outbox.c.id))).scalar() or 0)
