"""Imports that can be reviewed and undone (issue 20): stage, review, apply all or part, undo.

**Stage** reads and places every record of a file exactly as the importer would
(``importing.place``: same source, ISBN and title-key matching) but writes only the
plan: each record with what it would become (add, update, merge, unchanged, reject),
and the file's copies at branches we do not have (an import never creates a branch:
those copies would be rejected) and the shelving locations it would create. Nothing is
public until staff **apply** it, all of it or only the decisions or records they tick;
the importer then stores the approved records (matching again, so a record staged
before another import is still placed rightly). What the apply did is kept as an undo
log, and **undo**, within ``undo_hours``, removes the records and items it added
(records are withdrawn, so harvesters see a deletion), takes away the sources it
merged into our records, restores the records it updated to their earlier source, and
removes the locations it created. A copy it added that has been lent since stops the
undo (``catalogue.import_undo_blocked``): a loan's history is never deleted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, update

from shelfwise.catalogue import repo, repo_records
from shelfwise.catalogue.importing import RECORD_CHANGED, Importer, place
from shelfwise.catalogue.preparing import Incoming, prepare_safely, prepared_batches
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import MarcFormat, ReadRecord, Rejected, read_bytes
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue_many
from shelfwise.storage.tables import (
    holds,
    import_staged,
    import_stagings,
    items,
    loans,
    locations,
    sources,
    transits,
)

DECISIONS = ("add", "update", "merge", "unchanged", "reject")
Progress = Callable[[int, int], None]


@dataclass(frozen=True, slots=True)
class StagedRecord:
    seq: int
    decision: str
    title: str
    matched_on: str
    record_id: int | None
    reason: str | None
    copies: int
    outcome: str | None


@dataclass(slots=True)
class Staging:
    id: int
    filename: str
    state: str  # staged, applied, undone, discarded
    staged_at: datetime | None
    counts: dict[str, int]
    unknown_branches: list[str]  # branch codes of copies that would be rejected
    new_locations: list[str]  # "BRANCH/LOCATION" the import would create
    applied_at: datetime | None = None
    undo_until: datetime | None = None
    applied: dict[str, int] = field(default_factory=dict)  # what the apply did, counted

    def can_undo(self, now: datetime) -> bool:
        until = self.undo_until
        return self.state == "applied" and until is not None and now <= until


class ImportStaging:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        importer: Callable[[], Importer],
        *,
        undo_window: timedelta,
        batch_size: int = 2000,
    ) -> None:
        self._db = db
        self._clock = clock
        self._importer = importer
        self._undo_window = undo_window
        self._batch_size = batch_size

    # --- stage ------------------------------------------------------------------

    def stage(
        self,
        path: Path,
        filename: str,
        *,
        staff_name: str | None = None,
        progress: Progress | None = None,
    ) -> int:
        """Read and place ``path``; store the plan; return the staging's id."""
        now = self._clock.now()
        with self._db.write() as conn:
            made = conn.execute(
                insert(import_stagings).values(
                    filename=filename,
                    format="",
                    state="staged",
                    staff_name=staff_name,
                    plan="{}",
                    staged_at=now,
                )
            ).inserted_primary_key
            assert made is not None
            staging_id = int(made[0])
            known_branches = repo.branch_ids(conn)
            central = repo.central_branch_id(conn)
            known_locations = {(r.branch_id, r.code) for r in conn.execute(select(locations))}
        plan = _Plan(known_branches, central, known_locations)
        seq = 0
        fmt = ""
        for batch in prepared_batches(path, batch_size=self._batch_size):
            good = [e for e in batch if isinstance(e, Incoming)]
            with self._db.read() as conn:
                decided = plan.decide(place(conn, good))
            rows = []
            for entry in batch:
                seq += 1
                fmt = fmt or str(entry.format)
                rows.append(_row(staging_id, seq, entry, decided, plan))
            with self._db.write() as conn:
                conn.execute(insert(import_staged), rows)
            if progress is not None:
                last = batch[-1]
                progress(seq, last.offset + len(last.raw))
        with self._db.write() as conn:
            conn.execute(
                update(import_stagings)
                .where(import_stagings.c.id == staging_id)
                .values(format=fmt or "iso2709", plan=json.dumps(plan.summary()))
            )
        return staging_id

    # --- read -------------------------------------------------------------------

    def get(self, staging_id: int) -> Staging:
        with self._db.read() as conn:
            row = conn.execute(
                select(import_stagings).where(import_stagings.c.id == staging_id)
            ).first()
            if row is None:
                raise ShelfwiseError("catalogue.import_not_found", staging=staging_id)
            counts = dict.fromkeys(DECISIONS, 0)
            for decision, n in conn.execute(
                select(import_staged.c.decision, func.count())
                .where(import_staged.c.staging_id == staging_id)
                .group_by(import_staged.c.decision)
            ):
                counts[decision] = int(n)
        plan = json.loads(row.plan)
        log = json.loads(row.undo_log) if row.undo_log else {}
        return Staging(
            id=row.id,
            filename=row.filename,
            state=row.state,
            staged_at=_aware(row.staged_at),
            counts=counts,
            unknown_branches=plan.get("unknown_branches", []),
            new_locations=plan.get("new_locations", []),
            applied_at=_aware(row.applied_at),
            undo_until=_aware(row.undo_until),
            applied={k: len(v) for k, v in log.items()},
        )

    def records(
        self, staging_id: int, *, decision: str | None = None, limit: int = 200, offset: int = 0
    ) -> list[StagedRecord]:
        query = select(import_staged).where(import_staged.c.staging_id == staging_id)
        if decision is not None:
            query = query.where(import_staged.c.decision == decision)
        with self._db.read() as conn:
            rows = conn.execute(query.order_by(import_staged.c.seq).limit(limit).offset(offset))
            return [
                StagedRecord(
                    r.seq,
                    r.decision,
                    r.title,
                    r.matched_on,
                    r.record_id,
                    r.reason,
                    r.copies,
                    r.outcome,
                )
                for r in rows
            ]

    # --- apply ------------------------------------------------------------------

    def apply(
        self,
        staging_id: int,
        *,
        decisions: Iterable[str] = ("add", "update", "merge"),
        seqs: Iterable[int] | None = None,
    ) -> Staging:
        """Store the approved records: those of ``decisions``, or only ``seqs`` if given."""
        staging = self.get(staging_id)
        if staging.state != "staged":
            raise ShelfwiseError("catalogue.import_not_staged", staging=staging_id)
        query = select(import_staged).where(
            import_staged.c.staging_id == staging_id, import_staged.c.decision != "reject"
        )
        if seqs is not None:
            query = query.where(import_staged.c.seq.in_(sorted(set(seqs))))
        else:
            query = query.where(import_staged.c.decision.in_(sorted(set(decisions))))
        with self._db.read() as conn:
            chosen = list(conn.execute(query.order_by(import_staged.c.seq)))
            before = _high_marks(conn)
            keys = {}
            incomings = []
            for r in chosen:
                incoming = _reprepare(r.raw, self._format(staging_id, conn), r.encoding, r.dialect)
                if incoming is not None:
                    keys[incoming.source_key] = r.seq
                    incomings.append(incoming)
            previous = _previous_sources(conn, set(keys))
        outcomes: dict[int, str] = {}
        importer = self._importer()
        for start in range(0, len(incomings), self._batch_size):
            for key, done in importer.store(incomings[start : start + self._batch_size]):
                if key in keys:
                    outcomes[keys[key]] = done.outcome
        now = self._clock.now()
        with self._db.write() as conn:
            log = _what_was_done(conn, before, previous, outcomes)
            for seq, outcome in outcomes.items():
                conn.execute(
                    update(import_staged)
                    .where(import_staged.c.staging_id == staging_id, import_staged.c.seq == seq)
                    .values(outcome=outcome)
                )
            conn.execute(
                update(import_stagings)
                .where(import_stagings.c.id == staging_id)
                .values(
                    state="applied",
                    applied_at=now,
                    undo_until=now + self._undo_window,
                    undo_log=json.dumps(log),
                )
            )
        return self.get(staging_id)

    def _format(self, staging_id: int, conn: Connection) -> str:
        return str(
            conn.execute(
                select(import_stagings.c.format).where(import_stagings.c.id == staging_id)
            ).scalar_one()
        )

    def discard(self, staging_id: int) -> None:
        """Forget a staged import that will not be applied (its records are dropped)."""
        if self.get(staging_id).state != "staged":
            raise ShelfwiseError("catalogue.import_not_staged", staging=staging_id)
        with self._db.write() as conn:
            conn.execute(delete(import_staged).where(import_staged.c.staging_id == staging_id))
            conn.execute(
                update(import_stagings)
                .where(import_stagings.c.id == staging_id)
                .values(state="discarded")
            )

    # --- undo -------------------------------------------------------------------

    def undo(self, staging_id: int) -> Staging:
        staging = self.get(staging_id)
        now = self._clock.now()
        if staging.state != "applied":
            raise ShelfwiseError("catalogue.import_not_applied", staging=staging_id)
        if not staging.can_undo(now):
            raise ShelfwiseError("catalogue.import_undo_expired", staging=staging_id)
        with self._db.write() as conn:
            log = json.loads(
                conn.execute(
                    select(import_stagings.c.undo_log).where(import_stagings.c.id == staging_id)
                ).scalar_one()
            )
            _undo(conn, log, now)
            touched = set(log["added_records"]) | {p["record_id"] for p in log["updated"]}
            touched |= set(log["merged_records"])
            enqueue_many(
                conn, self._clock, RECORD_CHANGED, [{"record_id": i} for i in sorted(touched)]
            )
            conn.execute(
                update(import_stagings)
                .where(import_stagings.c.id == staging_id)
                .values(state="undone")
            )
        return self.get(staging_id)

    def rejects(self, staging_id: int) -> list[tuple[int, str, bytes]]:
        """Each rejected record: its place in the file, why, and its bytes."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(import_staged.c.seq, import_staged.c.reason, import_staged.c.raw)
                .where(
                    import_staged.c.staging_id == staging_id,
                    import_staged.c.decision == "reject",
                )
                .order_by(import_staged.c.seq)
            )
            return [(int(r.seq), str(r.reason or ""), bytes(r.raw)) for r in rows]

    def recent(self, limit: int = 20) -> list[Staging]:
        with self._db.read() as conn:
            ids = conn.execute(
                select(import_stagings.c.id).order_by(import_stagings.c.id.desc()).limit(limit)
            ).scalars()
            found = list(ids)
        return [self.get(int(i)) for i in found]


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive UTC; PostgreSQL an aware time."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


class _Plan:
    """Decisions across the whole file: a record new to the catalogue that an earlier
    record of the same file already adds is shown as a merge, as the import will do."""

    def __init__(
        self, branches: dict[str, int], central: int | None, known: set[tuple[int, str]]
    ) -> None:
        self.branches = branches
        self.central = central
        self.known = known
        self.seen_isbn: set[str] = set()
        self.seen_title: set[str] = set()
        self.unknown_branches: set[str] = set()
        self.new_locations: set[str] = set()

    def decide(self, placed: Any) -> dict[int, tuple[str, int | None, str]]:
        out: dict[int, tuple[str, int | None, str]] = {}
        for new in placed.new:
            inc = new.incoming
            on = next((i for i in inc.isbns if i in self.seen_isbn), None)
            if on is not None or (inc.title_key and inc.title_key in self.seen_title):
                out[id(inc)] = ("merge", None, "isbn" if on else "title_key")
            else:
                out[id(inc)] = ("add", None, "new")
            self.seen_isbn.update(inc.isbns)
            if inc.title_key:
                self.seen_title.add(inc.title_key)
            for extra, matched_on in new.extra_sources:
                out[id(extra)] = ("merge", None, matched_on)
        for inc, record_id, matched_on in placed.merged_existing:
            out[id(inc)] = ("merge", record_id, matched_on)
        for inc, existing in placed.updated:
            out[id(inc)] = ("update", existing.record_id, "source")
        for inc, existing in placed.unchanged:
            out[id(inc)] = ("unchanged", existing.record_id, "source")
        for inc in placed.repeated:
            out[id(inc)] = ("unchanged", None, "source")
        return out

    def copies(self, incoming: Incoming) -> None:
        shelved = {code for _, code in self.known}
        for copy in incoming.copies:
            if not copy.branch_code and copy.location_code in shelved:
                continue  # the branch that has that location takes it (repo.add_holdings)
            branch = self.branches.get(copy.branch_code) if copy.branch_code else self.central
            if branch is None:
                self.unknown_branches.add(copy.branch_code)
            elif copy.location_code and (branch, copy.location_code) not in self.known:
                self.new_locations.add(f"{copy.branch_code or 'central'}/{copy.location_code}")

    def summary(self) -> dict[str, list[str]]:
        return {
            "unknown_branches": sorted(self.unknown_branches),
            "new_locations": sorted(self.new_locations),
        }


def _row(
    staging_id: int,
    seq: int,
    entry: Incoming | Rejected,
    decided: dict[int, tuple[str, int | None, str]],
    plan: _Plan,
) -> dict[str, Any]:
    base = {"staging_id": staging_id, "seq": seq, "raw": entry.raw, "outcome": None}
    if isinstance(entry, Rejected):
        return base | {
            "decision": "reject",
            "title": "",
            "matched_on": "",
            "record_id": None,
            "reason": entry.reason,
            "copies": 0,
            "encoding": None,
            "dialect": None,
        }
    plan.copies(entry)
    decision, record_id, matched_on = decided[id(entry)]
    return base | {
        "decision": decision,
        "title": str(entry.columns.get("title") or ""),
        "matched_on": matched_on,
        "record_id": record_id,
        "reason": None,
        "copies": len(entry.copies),
        "encoding": entry.encoding,
        "dialect": entry.dialect,
    }


def _reprepare(raw: bytes, fmt: str, encoding: str | None, dialect: str | None) -> Incoming | None:
    """The record as staged, read again from its bytes (nothing else is kept)."""
    known = {f.value for f in MarcFormat}
    for entry in read_bytes(
        raw,
        format=MarcFormat(fmt) if fmt in known else None,
        encoding=encoding,
        dialect=Dialect(dialect) if dialect else None,
    ):
        if isinstance(entry, ReadRecord):
            prepared = prepare_safely(entry)
            return prepared if isinstance(prepared, Incoming) else None
        return None
    return None


def _high_marks(conn: Connection) -> dict[str, int]:
    def top(column: Any) -> int:
        return int(conn.execute(select(func.coalesce(func.max(column), 0))).scalar_one())

    return {
        "items": top(items.c.id),
        "sources": top(sources.c.id),
        "locations": top(locations.c.id),
    }


def _previous_sources(conn: Connection, keys: set[str]) -> dict[str, dict[str, Any]]:
    """The source rows the apply may overwrite, as they are now."""
    found: dict[str, dict[str, Any]] = {}
    for key in keys:
        row = conn.execute(select(sources).where(sources.c.source_key == key)).first()
        if row is not None:
            found[key] = {
                "id": row.id,
                "record_id": row.record_id,
                "is_master": bool(row.is_master),
                "raw": row.raw.hex(),
                "encoding": row.encoding,
                "format": row.format,
                "content_hash": row.content_hash,
            }
    return found


def _what_was_done(
    conn: Connection,
    before: dict[str, int],
    previous: dict[str, dict[str, Any]],
    outcomes: dict[int, str],
) -> dict[str, Any]:
    new_sources = list(
        conn.execute(
            select(sources.c.id, sources.c.record_id, sources.c.is_master).where(
                sources.c.id > before["sources"]
            )
        )
    )
    added = sorted({int(s.record_id) for s in new_sources if s.is_master})
    merged_sources = [int(s.id) for s in new_sources if not s.is_master]
    merged_records = sorted({int(s.record_id) for s in new_sources if not s.is_master})
    changed = [p for p in previous.values() if p["content_hash"] != _hash_now(conn, p["id"])]
    new_items = [
        int(i)
        for i in conn.execute(select(items.c.id).where(items.c.id > before["items"])).scalars()
    ]
    new_locations = [
        int(i)
        for i in conn.execute(
            select(locations.c.id).where(locations.c.id > before["locations"])
        ).scalars()
    ]
    return {
        "added_records": added,
        "merged_sources": merged_sources,
        "merged_records": merged_records,
        "updated": changed,
        "items": new_items,
        "locations": new_locations,
        "records": sorted(outcomes),
    }


def _hash_now(conn: Connection, source_id: int) -> str:
    return str(
        conn.execute(select(sources.c.content_hash).where(sources.c.id == source_id)).scalar_one()
    )


def _undo(conn: Connection, log: dict[str, Any], now: datetime) -> None:
    item_ids = log["items"]
    if item_ids:
        used = (
            conn.execute(
                select(func.count()).select_from(loans).where(loans.c.item_id.in_(item_ids))
            ).scalar_one()
            + conn.execute(
                select(func.count())
                .select_from(holds)
                .where(or_(holds.c.item_id.in_(item_ids), holds.c.trapped_item_id.in_(item_ids)))
            ).scalar_one()
            + conn.execute(
                select(func.count()).select_from(transits).where(transits.c.item_id.in_(item_ids))
            ).scalar_one()
        )
        if used:
            raise ShelfwiseError("catalogue.import_undo_blocked", items=used)
        conn.execute(delete(items).where(items.c.id.in_(item_ids)))
    if log["merged_sources"]:
        conn.execute(delete(sources).where(sources.c.id.in_(log["merged_sources"])))
    for previous in log["updated"]:
        incoming = _reprepare(
            bytes.fromhex(previous["raw"]), previous["format"], previous["encoding"], None
        )
        existing = repo.ExistingSource(
            previous["id"], previous["record_id"], "", previous["is_master"]
        )
        if incoming is not None:
            repo.update_source(conn, existing, incoming, now)
    for record_id in log["added_records"]:
        conn.execute(delete(sources).where(sources.c.record_id == record_id))
        repo_records.update_record(conn, record_id, now, state="withdrawn")
        repo_records.tombstone(conn, record_id, "withdrawn", None, now)
    if log["locations"]:
        unused = ~locations.c.id.in_(
            select(items.c.location_id).where(items.c.location_id.is_not(None))
        )
        conn.execute(delete(locations).where(locations.c.id.in_(log["locations"]), unused))
