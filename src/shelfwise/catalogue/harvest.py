"""Harvesting reads of the catalogue (OAI-PMH, SRU record fetches, ``export --since``).

Read only. :class:`CatalogueService` includes these; they live apart because
they answer harvesters, not librarians.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal, or_, select

from shelfwise.marc import compact
from shelfwise.marc.crosswalk import to_marc21
from shelfwise.marc.description import Dialect
from shelfwise.marc.record import Record
from shelfwise.storage.database import Database
from shelfwise.storage.tables import branches, items, records, tombstones


@dataclass(frozen=True, slots=True)
class ChangedRecord:
    """A record as a harvester sees it (OAI-PMH, ``export --since``): deleted when it
    was merged away or withdrawn (it has a tombstone), datestamp to the second."""

    id: int
    datestamp: datetime
    deleted: bool
    marc: Record  # the master as catalogued, in its own dialect
    description: dict[str, Any]
    languages: tuple[str, ...]
    branches: tuple[str, ...]  # codes of the branches holding a copy
    dialect: str = Dialect.MARC21

    def marc21(self) -> Record:
        """The record as schema-valid MARC 21, converted from UNIMARC or KORMARC when it
        was catalogued so: what every door that promises MARC 21 serves."""
        return to_marc21(self.marc, self.dialect)

    def unimarc(self) -> Record | None:
        """The UNIMARC (CNMARC) original, or None for a record catalogued otherwise."""
        return self.marc if self.dialect == Dialect.UNIMARC else None


@dataclass(frozen=True, slots=True)
class ChangeQuery:
    """Which changed records: ``since``/``until`` inclusive, optionally held at a
    branch or catalogued in a language (code, or ``"*"``: any)."""

    since: datetime | None = None
    until: datetime | None = None
    branch: str | None = None
    language: str | None = None
    record_id: int | None = None
    dialect: str | None = None  # only records catalogued in this dialect (OAI unimarc)


class HarvestReads:
    _db: Database

    def changed_records(
        self,
        query: ChangeQuery,
        *,
        after: tuple[datetime, int] | None = None,
        limit: int = 100,
    ) -> list[ChangedRecord]:
        """Records (active and deleted) matching ``query`` in (updated_at, id) order."""
        where = _change_filter(query)
        if after is not None:
            stamp, last_id = after
            where.append(
                or_(
                    records.c.updated_at > stamp,
                    and_(records.c.updated_at == stamp, records.c.id > last_id),
                )
            )
        with self._db.read() as conn:
            rows = conn.execute(
                select(
                    records.c.id,
                    records.c.state,
                    records.c.updated_at,
                    records.c.master,
                    records.c.description,
                    records.c.languages,
                    records.c.dialect,
                    tombstones.c.id.label("tombstone"),
                )
                .outerjoin(
                    tombstones,
                    and_(tombstones.c.kind == "record", tombstones.c.entity_id == records.c.id),
                )
                .where(*where)
                .order_by(records.c.updated_at, records.c.id)
                .limit(limit)
            ).all()
            held: dict[int, set[str]] = {}
            if rows:
                for rid, code in conn.execute(
                    select(items.c.record_id, branches.c.code)
                    .join(branches, branches.c.id == items.c.home_branch_id)
                    .where(items.c.record_id.in_([r.id for r in rows]))
                ).all():
                    held.setdefault(rid, set()).add(code)
        return [
            ChangedRecord(
                id=r.id,
                datestamp=_utc(r.updated_at),
                deleted=r.state != "active" or r.tombstone is not None,
                marc=compact.loads(r.master),
                description=json.loads(r.description),
                languages=tuple(r.languages.split()),
                branches=tuple(sorted(held.get(r.id, ()))),
                dialect=r.dialect,
            )
            for r in rows
        ]

    def count_changed(self, query: ChangeQuery) -> int:
        with self._db.read() as conn:
            return int(
                conn.execute(
                    select(func.count()).select_from(records).where(*_change_filter(query))
                ).scalar_one()
            )

    def earliest_change(self) -> datetime | None:
        with self._db.read() as conn:
            found = conn.execute(select(func.min(records.c.updated_at))).scalar()
        return _utc(found) if found is not None else None

    def record_languages(self) -> list[str]:
        """Every language code records are catalogued in (active or not), sorted."""
        with self._db.read() as conn:
            values = conn.execute(select(records.c.languages).distinct()).scalars().all()
        return sorted({code for value in values for code in value.split()})


def _change_filter(query: ChangeQuery) -> list[ColumnElement[bool]]:
    where: list[ColumnElement[bool]] = []
    if query.since is not None:
        where.append(records.c.updated_at >= query.since)
    if query.until is not None:
        where.append(records.c.updated_at <= query.until)
    if query.record_id is not None:
        where.append(records.c.id == query.record_id)
    if query.dialect is not None:
        where.append(records.c.dialect == query.dialect)
    if query.language == "*":
        where.append(records.c.languages != "")
    elif query.language is not None:
        padded = literal(" ") + records.c.languages + literal(" ")
        where.append(padded.like(f"% {query.language} %"))
    if query.branch == "*":
        where.append(records.c.id.in_(select(items.c.record_id)))
    elif query.branch is not None:
        where.append(
            records.c.id.in_(
                select(items.c.record_id)
                .join(branches, branches.c.id == items.c.home_branch_id)
                .where(branches.c.code == query.branch)
            )
        )
    return where


def _utc(value: datetime) -> datetime:
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
