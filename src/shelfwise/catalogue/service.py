"""Catalogue operations, one transaction each. Every door calls these; none touches the tables."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from shelfwise.catalogue import repo, repo_holdings, repo_records
from shelfwise.catalogue.display import detail_of
from shelfwise.catalogue.editing import RecordEditing
from shelfwise.catalogue.harvest import HarvestReads
from shelfwise.catalogue.holdings import ItemEditing
from shelfwise.catalogue.importing import RECORD_CHANGED
from shelfwise.catalogue.models import (
    LIFECYCLE_TRANSITIONS,
    LOCATION_KINDS,
    Branch,
    BranchKind,
    Item,
    Lifecycle,
    Location,
    RecordDetail,
    RecordSummary,
)
from shelfwise.core.callnumber import sort_key as call_number_sort_key
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.record import Record
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue


@dataclass(frozen=True, slots=True)
class Master:
    """A catalogue record's master MARC record, in the dialect it was catalogued in."""

    id: int
    dialect: str
    marc: Record


_LOCATION_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


class CatalogueService(HarvestReads, RecordEditing, ItemEditing):
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    # --- branches ------------------------------------------------------------------

    def add_branch(
        self,
        *,
        code: str,
        kind: BranchKind,
        name_zh: str,
        name_ko: str = "",
        name_en: str = "",
        address: str | None = None,
    ) -> Branch:
        """Add or rename a branch (``address`` None: the one it has is kept)."""
        now = self._clock.now()
        more = {} if address is None else {"address": address.strip()}
        with self._db.write() as conn:
            repo_holdings.upsert_branch(
                conn,
                code,
                now,
                kind=str(kind),
                name_zh=name_zh,
                name_ko=name_ko,
                name_en=name_en,
                **more,
            )
            return _branch(conn, code)

    def add_location(
        self, *, branch_code: str, code: str, name: str, kind: str = "stacks"
    ) -> Location:
        """Add a location to a branch (one already there with the code is kept as it is)."""
        if not _LOCATION_CODE.match(code) or not name.strip() or kind not in LOCATION_KINDS:
            raise ShelfwiseError(
                "catalogue.location_invalid", location=code, kinds=", ".join(LOCATION_KINDS)
            )
        now = self._clock.now()
        with self._db.write() as conn:
            branch = _branch(conn, branch_code)
            found = repo_holdings.location_row(conn, branch.id, code)
            if found is None:
                repo_holdings.insert_location(
                    conn,
                    branch_id=branch.id,
                    code=code,
                    name=name.strip(),
                    kind=kind,
                    created_at=now,
                )
                found = repo_holdings.location_row(conn, branch.id, code)
                assert found is not None  # inserted just now, in this transaction
            return Location(found.id, found.branch_id, found.code, found.name, found.kind)

    def list_branches(self) -> list[Branch]:
        with self._db.read() as conn:
            rows = repo_holdings.branch_rows(conn)
        return [
            Branch(r.id, r.code, BranchKind(r.kind), r.name_zh, r.name_ko, r.name_en, r.address)
            for r in rows
        ]

    # --- records -------------------------------------------------------------------

    def get_record(self, record_id: int) -> RecordSummary:
        with self._db.read() as conn:
            return _summary(conn, record_id)

    def summaries(self, record_ids: Iterable[int]) -> dict[int, RecordSummary]:
        """Many records' summaries in one read (three queries, however many records): a
        page showing a shelf of records, such as a story, must not read them one by one.
        Records that do not exist are left out."""
        wanted = sorted(set(record_ids))
        if not wanted:
            return {}
        with self._db.read() as conn:
            rows = repo_records.record_rows(conn, wanted)
            isbns = repo_records.isbns_of_many(conn, wanted)
            counts = repo_holdings.item_counts(conn, wanted)
        return {
            int(r.id): _summary_of(r, isbns.get(int(r.id), []), counts.get(int(r.id), 0))
            for r in rows
        }

    def record_with_isbn(self, isbn13: str) -> int | None:
        """The active record carrying ``isbn13`` (the lowest id), or None."""
        with self._db.read() as conn:
            return repo.records_by_isbn(conn, {isbn13}).get(isbn13)

    def title(self, record_id: int) -> str:
        """Just the title (one query; a kiosk screen or slip needs no more)."""
        with self._db.read() as conn:
            title = repo_records.title(conn, record_id)
        if title is None:
            raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
        return title

    def get_marc(self, record_id: int) -> Record:
        with self._db.read() as conn:
            marc = repo_records.master(conn, record_id)
        if marc is None:
            raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
        return marc

    def counts(self) -> dict[str, int]:
        with self._db.read() as conn:
            by_state = repo_records.counts_by_state(conn)
            return {
                "records": by_state.get("active", 0),
                "merged": by_state.get("merged", 0),
                "withdrawn": by_state.get("withdrawn", 0),
                "sources": repo_records.source_count(conn),
                "items": repo_holdings.item_count(conn),
                "branches": repo_holdings.branch_count(conn),
            }

    def iter_master_records(
        self, *, dialect: str | None = None, batch: int = 1000
    ) -> Iterator[Record]:
        """Active records' master MARC, in id order, streamed in pages (constant memory)."""
        for master in self.iter_masters(dialect=dialect, batch=batch):
            yield master.marc

    def iter_masters(self, *, dialect: str | None = None, batch: int = 1000) -> Iterator[Master]:
        """Active records' masters with their ids and dialects, in id order, in pages."""
        last = 0
        while True:
            with self._db.read() as conn:
                rows = repo_records.masters_after(conn, last, batch, dialect)
            if not rows:
                return
            for row in rows:
                yield Master(row.id, row.dialect, row.master)
            last = rows[-1].id

    def iter_original_bytes(self, *, batch: int = 1000) -> Iterator[tuple[str, bytes]]:
        """Every source record as it arrived: (format, raw bytes), in arrival order."""
        last = 0
        while True:
            with self._db.read() as conn:
                rows = repo_records.sources_after(conn, last, batch)
            if not rows:
                return
            for row in rows:
                yield row.format, bytes(row.raw)
            last = rows[-1].id

    def merge(self, *, survivor_id: int, duplicate_id: int) -> RecordSummary:
        """Fold a duplicate into a survivor: items and sources move, the duplicate leaves a tombstone."""
        if survivor_id == duplicate_id:
            raise ShelfwiseError("catalogue.merge_into_self")
        now = self._clock.now()
        with self._db.write() as conn:
            for rid in (survivor_id, duplicate_id):
                _require_active(conn, rid)
            repo_holdings.move_items(conn, duplicate_id, survivor_id, now)
            repo_records.move_sources(conn, duplicate_id, survivor_id, now)
            moved_isbns = set(repo_records.isbns_of(conn, duplicate_id)) - set(
                repo_records.isbns_of(conn, survivor_id)
            )
            repo_records.add_isbns(conn, survivor_id, sorted(moved_isbns))
            repo_records.update_record(
                conn, duplicate_id, now, state="merged", merged_into_id=survivor_id
            )
            repo_records.update_record(conn, survivor_id, now)
            repo_records.tombstone(conn, duplicate_id, "merged", survivor_id, now)
            enqueue(conn, self._clock, RECORD_CHANGED, {"record_id": survivor_id})
            enqueue(conn, self._clock, RECORD_CHANGED, {"record_id": duplicate_id})
            return _summary(conn, survivor_id)

    def withdraw(self, record_id: int) -> RecordSummary:
        """Withdraw a record and every copy of it; harvesters see a deletion."""
        now = self._clock.now()
        with self._db.write() as conn:
            _require_active(conn, record_id)
            repo_holdings.withdraw_items(conn, record_id, now)
            repo_records.update_record(conn, record_id, now, state="withdrawn")
            repo_records.tombstone(conn, record_id, "withdrawn", None, now)
            enqueue(conn, self._clock, RECORD_CHANGED, {"record_id": record_id})
            return _summary(conn, record_id)

    # --- items ---------------------------------------------------------------------

    def add_item(
        self,
        *,
        record_id: int,
        barcode: str,
        branch_code: str,
        call_number: str = "",
        rfid: str | None = None,
        lifecycle: Lifecycle = Lifecycle.IN_PROCESSING,
        price_cents: int | None = None,
        currency: str | None = None,
        acquired_on: date | None = None,
        item_type: str = "book",
    ) -> Item:
        now = self._clock.now()
        try:
            with self._db.write() as conn:
                _require_active(conn, record_id)
                branch = _branch(conn, branch_code)
                repo_holdings.insert_item(
                    conn,
                    record_id=record_id,
                    barcode=barcode,
                    rfid=rfid,
                    call_number=call_number,
                    call_number_sort=call_number_sort_key(call_number)[:200],
                    home_branch_id=branch.id,
                    lifecycle=str(lifecycle),
                    item_type=item_type,
                    price_cents=price_cents,
                    currency=currency,
                    acquired_on=acquired_on,
                    created_at=now,
                    updated_at=now,
                )
                enqueue(conn, self._clock, RECORD_CHANGED, {"record_id": record_id})
                return _item(conn, barcode)
        except IntegrityError as exc:
            if "barcode" in str(exc.orig).lower():
                raise ShelfwiseError("catalogue.barcode_taken", barcode=barcode) from exc
            raise

    def get_item(self, barcode: str) -> Item:
        with self._db.read() as conn:
            return _item(conn, barcode)

    def find_items(self, typed: str, *, limit: int = 20) -> list[Item]:
        """Copies a staff search means: the barcode typed in full, else those whose call
        number starts with what was typed."""
        typed = typed.strip()
        if not typed:
            return []
        with self._db.read() as conn:
            if repo_holdings.item_row(conn, typed) is not None:
                return [_item(conn, typed)]
            found = repo_holdings.barcodes_by_call_number(conn, typed, limit)
            if not found and typed != typed.upper():  # call numbers are written in capitals
                found = repo_holdings.barcodes_by_call_number(conn, typed.upper(), limit)
            return [_item(conn, b) for b in found]

    def record_detail(self, record_id: int) -> RecordDetail:
        """Everything a reader's record page shows of the record (catalogue/display.py)."""
        with self._db.read() as conn:
            row = repo_records.record_row(conn, record_id)
            if row is None:
                raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
            marc = repo_records.master(conn, record_id)
            isbns = repo_records.isbns_of(conn, record_id)
        return detail_of(row, json.loads(row.description), marc, isbns)

    def list_locations(self) -> list[Location]:
        with self._db.read() as conn:
            rows = repo_holdings.location_rows(conn)
        return [Location(r.id, r.branch_id, r.code, r.name, r.kind) for r in rows]

    def new_arrivals(self, limit: int = 12) -> list[int]:
        """Active records with a copy on the shelves, newest to enter service first."""
        with self._db.read() as conn:
            return repo_holdings.newest_in_service(conn, limit)

    def items_of(self, record_id: int) -> list[Item]:
        with self._db.read() as conn:
            return [_item(conn, b) for b in repo_holdings.barcodes_of(conn, record_id)]

    def set_lifecycle(
        self, barcode: str, target: Lifecycle, *, expected_version: int | None = None
    ) -> Item:
        now = self._clock.now()
        with self._db.write() as conn:
            item = _item(conn, barcode)
            if expected_version is not None and expected_version != item.version:
                raise ShelfwiseError("request.conflict")
            if target not in LIFECYCLE_TRANSITIONS[item.lifecycle]:
                raise ShelfwiseError(
                    "catalogue.lifecycle_transition",
                    barcode=barcode,
                    current=item.lifecycle,
                    target=target,
                )
            repo_holdings.set_lifecycle(conn, item.id, str(target), now)
            enqueue(conn, self._clock, RECORD_CHANGED, {"record_id": item.record_id})
            return _item(conn, barcode)


def _require_active(conn: Connection, record_id: int) -> None:
    state = repo_records.state(conn, record_id)
    if state is None:
        raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
    if state != "active":
        raise ShelfwiseError("catalogue.record_not_active", record_id=record_id, state=state)


def _branch(conn: Connection, code: str) -> Branch:
    r = repo_holdings.branch_row(conn, code)
    if r is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    return Branch(r.id, r.code, BranchKind(r.kind), r.name_zh, r.name_ko, r.name_en, r.address)


def _item(conn: Connection, barcode: str) -> Item:
    r = repo_holdings.item_row(conn, barcode)
    if r is None:
        raise ShelfwiseError("catalogue.item_not_found", barcode=barcode)
    return Item(
        r.id,
        r.record_id,
        r.barcode,
        r.rfid,
        r.call_number,
        r.home_branch_id,
        r.location_id,
        Lifecycle(r.lifecycle),
        r.item_type,
        r.price_cents,
        r.currency,
        r.acquired_on,
        r.version,
    )


def _summary(conn: Connection, record_id: int) -> RecordSummary:
    r = repo_records.record_row(conn, record_id)
    if r is None:
        raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
    isbns = repo_records.isbns_of(conn, record_id)
    return _summary_of(r, isbns, repo_holdings.item_count(conn, record_id))


def _summary_of(r: Any, isbns: list[str], count: int) -> RecordSummary:
    description = json.loads(r.description)
    return RecordSummary(
        id=r.id,
        state=r.state,
        title=r.title,
        main_author=r.main_author,
        publisher=r.publisher,
        year=r.year,
        languages=list(description.get("languages", [])),
        isbns=isbns,
        dialect=r.dialect,
        material_type=r.material_type,
        merged_into_id=r.merged_into_id,
        updated_at=r.updated_at,
        item_count=count,
    )
