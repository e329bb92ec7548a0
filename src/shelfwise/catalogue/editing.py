"""Saving a record's master MARC from the editor, with its versions (issue 20).

The rules of a save, once for every door: the record must be active and still at the
version the editor opened (else someone else saved meanwhile: refused, nothing lost on
either side); it is checked with :mod:`shelfwise.marc.lint` in its own dialect and an
error refuses it (warnings are saved and handed back); the normalised columns, ISBNs
and classes are derived from the new master exactly as an import derives them; each
save is a version with who made it, and the first save also keeps the version it
replaced. The search index follows through ``catalogue.record_changed``.

Restoring an earlier version saves that version's MARC again as a new version (history
is never rewritten); it is not refused for lint errors, because it was the record once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.catalogue import repo, repo_records, repo_versions
from shelfwise.catalogue.importing import RECORD_CHANGED
from shelfwise.catalogue.matching import title_key
from shelfwise.catalogue.models import Cataloguer, RecordVersion
from shelfwise.catalogue.rows import ClassRow, class_rows, record_columns
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc import compact
from shelfwise.marc.description import Dialect
from shelfwise.marc.dialects import describe
from shelfwise.marc.lint import Finding, errors, lint
from shelfwise.marc.record import Record
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue


@dataclass(frozen=True, slots=True)
class Saved:
    record_id: int
    version: int
    warnings: list[Finding]


@dataclass(frozen=True, slots=True)
class _Derived:
    columns: dict[str, Any]
    isbns: list[str]
    classes: list[ClassRow]


class RecordEditing:
    """The editor's operations; :class:`CatalogueService` includes them."""

    _db: Database
    _clock: Clock

    def record_dialect(self, record_id: int) -> Dialect:
        with self._db.read() as conn:
            row = repo_records.record_row(conn, record_id)
        if row is None:
            raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
        return Dialect(row.dialect)

    def record_version(self, record_id: int) -> int:
        """The version the record is at now (what an editor sends back as expected)."""
        with self._db.read() as conn:
            row = repo_records.record_row(conn, record_id)
        if row is None:
            raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
        return int(row.version)

    def check_marc(self, record_id: int, marc: Record) -> list[Finding]:
        """What a save of ``marc`` as this record would be told, without saving."""
        return lint(marc, self.record_dialect(record_id))

    def save_marc(
        self, record_id: int, marc: Record, *, expected_version: int, by: Cataloguer
    ) -> Saved:
        return self._save(record_id, marc, expected_version, by, restored_from=None)

    def versions(self, record_id: int) -> list[RecordVersion]:
        with self._db.read() as conn:
            rows = repo_versions.versions_of(conn, record_id)
        return [
            RecordVersion(r.version, r.staff_id, r.staff_name, r.restored_from, r.saved_at)
            for r in rows
        ]

    def version_marc(self, record_id: int, version: int) -> Record:
        with self._db.read() as conn:
            row = repo_versions.version_row(conn, record_id, version)
        if row is None:
            raise ShelfwiseError(
                "catalogue.version_not_found", record_id=record_id, version=version
            )
        return compact.loads(row.master)

    def restore_version(
        self, record_id: int, version: int, *, expected_version: int, by: Cataloguer
    ) -> Saved:
        marc = self.version_marc(record_id, version)
        return self._save(record_id, marc, expected_version, by, restored_from=version)

    def _save(
        self,
        record_id: int,
        marc: Record,
        expected_version: int,
        by: Cataloguer,
        *,
        restored_from: int | None,
    ) -> Saved:
        now = self._clock.now()
        with self._db.write() as conn:
            row = repo_records.record_row(conn, record_id)
            if row is None:
                raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
            if row.state != "active":
                raise ShelfwiseError(
                    "catalogue.record_not_active", record_id=record_id, state=row.state
                )
            if row.version != expected_version:
                raise ShelfwiseError(
                    "catalogue.record_changed", record_id=record_id, version=row.version
                )
            dialect = Dialect(row.dialect)
            found = lint(marc, dialect)
            refused = errors(found)
            if refused and restored_from is None:
                raise ShelfwiseError("catalogue.marc_invalid", count=len(refused))
            derived = _derive(marc, dialect)
            if not repo_versions.has_versions(conn, record_id):
                _keep(conn, record_id, row.version, row.dialect, row.master, None, None, now)
            repo.rewrite_columns(
                conn, record_id, derived.columns, derived.isbns, derived.classes, now
            )
            version = row.version + 1
            _keep(
                conn,
                record_id,
                version,
                row.dialect,
                derived.columns["master"],
                by,
                restored_from,
                now,
            )
            enqueue(conn, self._clock, RECORD_CHANGED, {"record_id": record_id})
        return Saved(record_id, version, [f for f in found if f.severity == "warning"])


def _keep(
    conn: Connection,
    record_id: int,
    version: int,
    dialect: str,
    master: bytes,
    by: Cataloguer | None,
    restored_from: int | None,
    at: datetime,
) -> None:
    repo_versions.insert_version(
        conn,
        record_id=record_id,
        version=version,
        dialect=dialect,
        master=bytes(master),
        staff_id=None if by is None else by.staff_id,
        staff_name=None if by is None else by.name,
        restored_from=restored_from,
        at=at,
    )


def _derive(marc: Record, dialect: Dialect) -> _Derived:
    """The records row an import would write for ``marc`` (catalogue/preparing.py)."""
    text = compact.text_form(marc)
    description = describe(marc, dialect)
    if not description.title:
        raise ShelfwiseError("catalogue.marc_invalid", count=1)
    columns = record_columns(description, compact.pack(text), str(dialect), title_key(description))
    return _Derived(columns, description.isbns, class_rows(description))
