"""MARC import: stream any size of file into the catalogue in batched transactions.

Each batch is one write transaction, so killing the import at any moment loses
at most the batch in flight and leaves no half-written record; running it again
skips what is already there (a source record whose decoded content is
unchanged) and completes the job. Bad records go to a rejects file (JSON lines: byte offset,
reason, raw bytes in base64) and the import goes on, unless ``strict``.

Within a batch the work is set-based: one query each for the source keys,
ISBNs, title keys and barcodes the batch mentions, then bulk inserts; the
decoding happens in worker processes (``preparing.py``). docs/benchmarks.md has
the measured rates.
"""

from __future__ import annotations

import base64
import io
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Connection

from shelfwise.catalogue import repo
from shelfwise.catalogue.models import ImportSummary
from shelfwise.catalogue.preparing import Incoming, legacy_content_hash, prepared_batches
from shelfwise.core.clock import Clock
from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import MarcFormat, Rejected
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue_many

RECORD_CHANGED = "catalogue.record_changed"


class StrictImportError(Exception):
    """Raised in strict mode at the first rejected record."""

    def __init__(self, rejected: Rejected) -> None:
        super().__init__(f"record at byte {rejected.offset} rejected: {rejected.reason}")
        self.rejected = rejected


@dataclass(slots=True)
class _NewRecord:
    incoming: Incoming
    record_id: int | None = None
    extra_sources: list[tuple[Incoming, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class RecordOutcome:
    """What one record became: ``added``, ``merged``, ``updated`` or ``unchanged``."""

    record_id: int
    outcome: str
    matched_on: str  # new, source, isbn, title_key


Progress = Callable[[int, int], None]  # (records handled so far, bytes read so far)


class Importer:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        work_dir: Path,
        batch_size: int = 2000,
        workers: int = 0,
    ) -> None:
        self._db = db
        self._clock = clock
        self._batch_size = batch_size
        self._workers = workers  # processes decoding large ISO 2709 files; 0 = in this process
        self._work_dir = work_dir  # rejects files and match reports go here, never beside the input

    def import_file(
        self,
        path: Path,
        *,
        format: MarcFormat | None = None,
        dialect: Dialect | None = None,
        encoding: str | None = None,
        strict: bool = False,
        rejects_path: Path | None = None,
        report_path: Path | None = None,
        progress: Progress | None = None,
    ) -> ImportSummary:
        summary = ImportSummary(path=str(path))
        self._work_dir.mkdir(parents=True, exist_ok=True)
        stamp = self._clock.now().strftime("%Y%m%dT%H%M%S")
        rejects_path = rejects_path or self._work_dir / f"{path.name}.{stamp}.rejects.jsonl"
        report_path = report_path or self._work_dir / f"{path.name}.{stamp}.report.tsv"
        batches = prepared_batches(
            path,
            batch_size=self._batch_size,
            format=format,
            dialect=dialect,
            encoding=encoding,
            workers=self._workers,
        )
        with (
            rejects_path.open("w", encoding="utf-8") as rejects,
            report_path.open("w", encoding="utf-8") as report,
        ):
            report.write("offset\tsource_key\trecord_id\toutcome\tmatched_on\trepairs\n")
            for batch in batches:
                good: list[Incoming] = []
                for entry in batch:
                    summary.format = summary.format or str(entry.format)
                    if isinstance(entry, Rejected):
                        _write_reject(rejects, entry)
                        summary.rejected += 1
                        if strict:
                            # Keep what came before the bad record, then stop.
                            if good:
                                self._store_batch(good, summary, report, rejects)
                            raise StrictImportError(entry)
                        continue
                    _count(summary, entry)
                    good.append(entry)
                if good:
                    self._store_batch(good, summary, report, rejects)
                if progress is not None:
                    last = batch[-1]
                    progress(summary.read + summary.rejected, last.offset + len(last.raw))
        anything_rejected = summary.rejected or summary.items_rejected
        summary.rejects_path = str(rejects_path) if anything_rejected else None
        summary.report_path = str(report_path)
        if not anything_rejected:
            rejects_path.unlink(missing_ok=True)
        return summary

    def store(self, batch: list[Incoming]) -> list[tuple[str, RecordOutcome]]:
        """Prepared records in one transaction (a staged import's apply); each source key
        with what its record became."""
        summary = ImportSummary(path="")
        report, rejects = io.StringIO(), io.StringIO()
        self._store_batch(batch, summary, report, rejects)
        out = []
        for line in report.getvalue().splitlines():
            _, key, record_id, outcome, matched_on = line.split("\t")[:5]
            if record_id:
                out.append((key, RecordOutcome(int(record_id), outcome, matched_on)))
        return out

    def import_record(self, incoming: Incoming) -> RecordOutcome:
        """One prepared record through the same placing as a file (copy cataloguing): the
        same source, ISBN and title-key matching, so saving it twice makes no duplicate."""
        summary = ImportSummary(path="")
        report, rejects = io.StringIO(), io.StringIO()
        self._store_batch([incoming], summary, report, rejects)
        line = report.getvalue().splitlines()[0].split("\t")
        return RecordOutcome(record_id=int(line[2]), outcome=line[3], matched_on=line[4])

    def _store_batch(
        self, batch: list[Incoming], summary: ImportSummary, report: IO[str], rejects: IO[str]
    ) -> None:
        now = self._clock.now()
        with self._db.write() as conn:
            placed = _place(conn, batch)
            source_rows = _new_and_merged_sources(conn, placed, now)
            repo.insert_sources(conn, source_rows, now)
            for incoming, existing in placed.updated:
                repo.update_source(conn, existing, incoming, now)
            # Unchanged records too: a copy held back for an unknown branch is added by
            # importing the same file again once the branch exists (existing barcodes skip).
            holdings = repo.add_holdings(
                conn,
                [(r.incoming, r.record_id) for r in source_rows]
                + [(inc, ex.record_id) for inc, ex in placed.updated + placed.unchanged],
                now,
            )
            changed = {r.record_id for r in source_rows} | {
                ex.record_id for _, ex in placed.updated
            }
            enqueue_many(
                conn, self._clock, RECORD_CHANGED, [{"record_id": i} for i in sorted(changed)]
            )
        summary.added += len(placed.new)
        summary.updated += len(placed.updated)
        summary.unchanged += len(placed.unchanged) + len(placed.repeated)
        summary.merged += sum(1 for r in source_rows if not r.is_master)
        summary.items_added += holdings.added
        summary.items_skipped += holdings.skipped
        summary.items_rejected += len(holdings.rejected)
        for copy in holdings.rejected:
            if copy.branch_code not in summary.unknown_branches:
                summary.unknown_branches.append(copy.branch_code)
        for row in source_rows:
            summary.matched_on[row.matched_on] = summary.matched_on.get(row.matched_on, 0) + 1
        _report(report, source_rows, placed)
        _write_rejected_copies(rejects, holdings.rejected)


def _new_and_merged_sources(
    conn: Connection, placed: _Placement, now: datetime
) -> list[repo.SourceRow]:
    """Insert the new records; return the source rows of everything added or merged."""
    if placed.new:
        ids = repo.insert_records(conn, [n.incoming for n in placed.new], now)
        for n, record_id in zip(placed.new, ids, strict=True):
            n.record_id = record_id
    rows: list[repo.SourceRow] = []
    for n in placed.new:
        assert n.record_id is not None
        rows.append(repo.SourceRow(n.incoming, n.record_id, True, "new"))
        rows.extend(repo.SourceRow(extra, n.record_id, False, on) for extra, on in n.extra_sources)
    rows.extend(repo.SourceRow(inc, rid, False, on) for inc, rid, on in placed.merged_existing)
    return rows


def _report(out: IO[str], source_rows: list[repo.SourceRow], placed: _Placement) -> None:
    """One line per record in the match report: what it became, what it matched on, and
    what the readers repaired in it (notes joined with " | ")."""

    def line(inc: Incoming, record_id: object, outcome: str, matched_on: str) -> None:
        repairs = " | ".join(inc.repairs).replace("\t", " ").replace("\n", " ")
        out.write(
            f"{inc.offset}\t{inc.source_key}\t{record_id}\t{outcome}\t{matched_on}\t{repairs}\n"
        )

    for row in source_rows:
        line(row.incoming, row.record_id, "added" if row.is_master else "merged", row.matched_on)
    for outcome, pairs in (("updated", placed.updated), ("unchanged", placed.unchanged)):
        for inc, existing in pairs:
            line(inc, existing.record_id, outcome, "source")
    for inc in placed.repeated:
        line(inc, "", "repeated in file", "source")


@dataclass(slots=True)
class _Placement:
    new: list[_NewRecord] = field(default_factory=list)
    merged_existing: list[tuple[Incoming, int, str]] = field(default_factory=list)
    updated: list[tuple[Incoming, repo.ExistingSource]] = field(default_factory=list)
    unchanged: list[tuple[Incoming, repo.ExistingSource]] = field(default_factory=list)
    repeated: list[Incoming] = field(default_factory=list)


def place(conn: Connection, batch: list[Incoming]) -> _Placement:
    """What each record of ``batch`` would become, written nowhere (a staged import)."""
    return _place(conn, batch)


def _place(conn: Connection, batch: list[Incoming]) -> _Placement:
    """Decide, for each incoming record, whether it is new, a duplicate, an update or unchanged."""
    existing_sources = repo.sources_by_key(conn, {i.source_key for i in batch})
    by_isbn = repo.records_by_isbn(conn, {isbn for i in batch for isbn in i.isbns})
    by_title = repo.records_by_title_key(conn, {i.title_key for i in batch if i.title_key})
    placement = _Placement()
    # Records created earlier in this same batch, so that two copies of one book
    # inside a batch are merged just as they would be across batches.
    batch_sources: dict[str, _NewRecord | int] = {}
    batch_isbn: dict[str, _NewRecord] = {}
    batch_title: dict[str, _NewRecord] = {}
    for incoming in batch:
        if incoming.source_key in batch_sources:
            placement.repeated.append(incoming)  # the same source twice in one batch: first wins
            continue
        found = existing_sources.get(incoming.source_key)
        if found is not None:
            batch_sources[incoming.source_key] = found.record_id
            # A source stored before masters were compact has the older hash (computed
            # only when the new one differs, so only for changed or such sources).
            same = found.content_hash == incoming.content_hash
            if same or found.content_hash == legacy_content_hash(incoming):
                placement.unchanged.append((incoming, found))
            else:
                placement.updated.append((incoming, found))
            continue
        target, matched_on = _match(incoming, by_isbn, by_title, batch_isbn, batch_title)
        if isinstance(target, int):
            placement.merged_existing.append((incoming, target, matched_on))
            batch_sources[incoming.source_key] = target
        elif isinstance(target, _NewRecord):
            target.extra_sources.append((incoming, matched_on))
            batch_sources[incoming.source_key] = target
        else:
            new = _NewRecord(incoming)
            placement.new.append(new)
            batch_sources[incoming.source_key] = new
            for isbn in incoming.isbns:
                batch_isbn.setdefault(isbn, new)
            if incoming.title_key:
                batch_title.setdefault(incoming.title_key, new)
    return placement


def _match(
    incoming: Incoming,
    by_isbn: dict[str, int],
    by_title: dict[str, int],
    batch_isbn: dict[str, _NewRecord],
    batch_title: dict[str, _NewRecord],
) -> tuple[int | _NewRecord | None, str]:
    for isbn in incoming.isbns:
        if isbn in by_isbn:
            return by_isbn[isbn], "isbn"
        if isbn in batch_isbn:
            return batch_isbn[isbn], "isbn"
    key = incoming.title_key
    if key:
        if key in by_title:
            return by_title[key], "title_key"
        if key in batch_title:
            return batch_title[key], "title_key"
    return None, "new"


def _count(summary: ImportSummary, entry: Incoming) -> None:
    summary.read += 1
    summary.encodings[entry.encoding] = summary.encodings.get(entry.encoding, 0) + 1
    summary.dialects[entry.dialect] = summary.dialects.get(entry.dialect, 0) + 1
    if entry.repairs:
        summary.repairs += 1


def _write_reject(out: IO[str], rejected: Rejected) -> None:
    out.write(
        json.dumps(
            {
                "offset": rejected.offset,
                "format": str(rejected.format),
                "reason": rejected.reason,
                "raw_base64": base64.b64encode(rejected.raw).decode("ascii"),
            },
            ensure_ascii=False,
        )
        + "\n"
    )
    out.flush()


def _write_rejected_copies(out: IO[str], copies: list[repo.RejectedCopy]) -> None:
    """One rejects line per record whose copies name a branch the library does not have."""
    by_record: dict[int, list[repo.RejectedCopy]] = {}
    for copy in copies:
        by_record.setdefault(copy.incoming.offset, []).append(copy)
    for group in by_record.values():
        first = group[0].incoming
        codes = sorted({c.branch_code for c in group})
        named = ", ".join(repr(c) for c in codes if c)
        where = f"branch {named}" if named else ""
        if "" in codes:
            where = (where + " and " if where else "") + "no branch, with no central library"
        reason = (
            f"{len(group)} cop{'y' if len(group) == 1 else 'ies'} at {where}, which this library "
            f"does not have; the record was imported (record {group[0].record_id}) without "
            f"{'it' if len(group) == 1 else 'them'}. An import never creates a branch: add the "
            "branch (or correct the code), then import the file again to add the copies"
        )
        out.write(
            json.dumps(
                {
                    "offset": first.offset,
                    "format": first.format,
                    "reason": reason,
                    "rejected": "items",
                    "record_id": group[0].record_id,
                    "barcodes": [c.barcode for c in group],
                    "branch_codes": codes,
                    "raw_base64": base64.b64encode(first.raw).decode("ascii"),
                },
                ensure_ascii=False,
            )
            + "\n"
        )
    out.flush()
