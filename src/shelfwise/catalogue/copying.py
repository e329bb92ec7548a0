"""Copy cataloguing: find a record in another library's catalogue, review it, save it here.

The rules, once: a remote record is searched for on a configured target
(``Services.remote``, SRU or Z39.50), picked by its position in that search, and
before it is saved the record is read the way an import reads it, so the page can show
which of our records it would join (same source record, ISBN, or title key; the
importer's matching, ``catalogue/matching.py``). Saving goes through the importer's
own placing (:meth:`Importer.import_record`), so a second save of the same record, or
of another library's copy of a book we hold, joins the record we have instead of
making a duplicate. The other library's holdings fields (852, 952, 049, 905, 805, ...)
are taken out first: their copies are not ours.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from shelfwise.catalogue import repo, repo_records
from shelfwise.catalogue.importing import Importer, RecordOutcome
from shelfwise.catalogue.preparing import Incoming, prepare
from shelfwise.catalogue.remote import (
    RemoteCatalogue,
    RemoteRecord,
    RemoteResult,
    RemoteSearchError,
    Target,
    Words,
)
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc import mapping_kormarc, mapping_marc21, mapping_unimarc
from shelfwise.marc.description import Dialect
from shelfwise.marc.marcxml import record_to_xml
from shelfwise.marc.reading import MarcFormat, ReadRecord, Rejected
from shelfwise.marc.record import Record
from shelfwise.storage.database import Database

# Every holdings field any dialect's mapping reads copies from.
HOLDINGS_TAGS = (
    frozenset(h.tag for table in (mapping_marc21, mapping_unimarc) for h in table.HOLDINGS)
    | {"049"}
    | frozenset(h.tag for h in mapping_kormarc.HOLDINGS)
)
MATCH_ORDER = ("source", "isbn", "title_key")


@dataclass(frozen=True, slots=True)
class Match:
    """One of our records the reviewed record would join, and on what."""

    record_id: int
    title: str
    matched_on: str  # source, isbn, title_key


class CopyCataloguing:
    def __init__(
        self, db: Database, importer: Callable[[], Importer], remote: RemoteCatalogue | None
    ) -> None:
        self._db = db
        self._importer = importer
        self._remote = remote

    def targets(self) -> list[Target]:
        return self._remote.targets() if self._remote is not None else []

    def _target(self, key: str) -> tuple[RemoteCatalogue, Target]:
        target = self._remote.target(key) if self._remote is not None else None
        if self._remote is None or target is None:
            raise ShelfwiseError("catalogue.copy_target_unknown", target=key)
        return self._remote, target

    def search(self, key: str, text: str, *, maximum: int = 10) -> RemoteResult:
        """The target's first ``maximum`` records for the words a cataloguer typed."""
        if not text.strip():
            raise ShelfwiseError("catalogue.copy_query_empty")
        remote, target = self._target(key)
        try:
            return remote.search(target, Words(text), maximum=maximum)
        except RemoteSearchError as exc:
            raise ShelfwiseError(
                "catalogue.copy_remote_failed", target=target.label, reason=exc.reason
            ) from exc

    def pick(self, key: str, text: str, position: int) -> RemoteRecord:
        """Record ``position`` of the same search, asked again (the search keeps no state)."""
        result = self.search(key, text, maximum=max(position, 1))
        found = next((r for r in result.records if r.position == position), None)
        if found is None:
            raise ShelfwiseError("catalogue.copy_record_gone", position=position)
        return RemoteRecord(found.position, without_holdings(found.marc), found.dialect)

    def matches(self, record: Record, dialect: Dialect) -> list[Match]:
        """Our records the reviewed record would join, strongest match first."""
        incoming = _prepared(record, dialect)
        with self._db.read() as conn:
            found: dict[int, str] = {}
            source = repo.sources_by_key(conn, {incoming.source_key}).get(incoming.source_key)
            if source is not None:
                found[source.record_id] = "source"
            for record_id in repo.records_by_isbn(conn, set(incoming.isbns)).values():
                found.setdefault(record_id, "isbn")
            if incoming.title_key:
                by_title = repo.records_by_title_key(conn, {incoming.title_key})
                for record_id in by_title.values():
                    found.setdefault(record_id, "title_key")
            titles = {rid: repo_records.title(conn, rid) or "" for rid in found}
        ordered = sorted(found.items(), key=lambda kv: (MATCH_ORDER.index(kv[1]), kv[0]))
        return [Match(rid, titles[rid], on) for rid, on in ordered]

    def save(self, record: Record, dialect: Dialect) -> RecordOutcome:
        """The reviewed record into the catalogue: added, or joined to the record it matches."""
        return self._importer().import_record(_prepared(without_holdings(record), dialect))


def without_holdings(record: Record) -> Record:
    return Record(record.leader, [f for f in record.fields if f.tag not in HOLDINGS_TAGS])


def _prepared(record: Record, dialect: Dialect) -> Incoming:
    raw = record_to_xml(record)
    prepared = prepare(ReadRecord(record, raw, 0, MarcFormat.MARCXML, "utf-8", dialect))
    if isinstance(prepared, Rejected):
        raise ShelfwiseError("catalogue.copy_record_unusable", reason=prepared.reason)
    return prepared
