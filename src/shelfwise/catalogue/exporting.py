"""MARC export: every active record (or the changes since a time) to one file, never a
partial one.

* **MARC 21 by default.** A file of one dialect is what another system can load:
  CNMARC/UNIMARC and KORMARC masters are converted (``marc/crosswalk.py``), as OAI-PMH
  ``marc21`` and SRU ``marcxml`` serve them. ``as_catalogued`` keeps each record in
  its own dialect instead; ``original`` writes the source bytes as they arrived.
* **Nothing crashes half-way.** The file is written under a temporary name beside
  the output and renamed when complete, so an interrupted or failed export leaves
  the previous file (or none), never a truncated one. A character the target set
  cannot hold (EUC-KR has no simplified Chinese, no ₩ U+20A9, no ŏ) is written as
  MARC 21's lossless ``&#xXXXX;`` reference, which our reader turns back. A record
  that cannot be written at all (past ISO 2709's 99,999 bytes, say) goes to
  ``OUTPUT.rejects.jsonl`` with its id, its reason and its MARC-in-JSON, and the
  export goes on.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import IO, BinaryIO

from shelfwise.catalogue.harvest import ChangeQuery
from shelfwise.catalogue.service import CatalogueService
from shelfwise.marc import charsets, iso2709
from shelfwise.marc.crosswalk import to_marc21
from shelfwise.marc.description import Dialect
from shelfwise.marc.marcjson import dumps as marc_json
from shelfwise.marc.reading import MarcFormat
from shelfwise.marc.record import Record
from shelfwise.marc.writing import MarcWriter

Progress = Callable[[int, int], None]  # (records handled, records in all)


class ExportError(ValueError):
    """A request that cannot be carried out as asked; the message says what to ask instead."""


@dataclass(frozen=True, slots=True)
class ExportRequest:
    format: MarcFormat = MarcFormat.ISO2709
    encoding: str = charsets.UTF8
    dialect: str | None = None  # only records catalogued in this dialect
    as_catalogued: bool = False  # each record in its own dialect, not converted to MARC 21
    original: bool = False  # source records' bytes as they arrived (ISO 2709 sources)
    since: datetime | None = None  # changed at or after; deleted ones with leader/05 "d"


@dataclass(slots=True)
class ExportSummary:
    path: str
    written: int = 0
    deleted: int = 0
    escaped: int = 0  # records with characters written as &#xXXXX;
    rejected: int = 0
    rejects_path: str | None = None


@dataclass(frozen=True, slots=True)
class _Item:
    id: int
    dialect: str
    marc: Record
    deleted: bool = False


class Exporter:
    def __init__(self, catalogue: CatalogueService) -> None:
        self._catalogue = catalogue

    def export(
        self, output: Path, request: ExportRequest, *, progress: Progress | None = None
    ) -> ExportSummary:
        encoding = _check(request)
        summary = ExportSummary(path=str(output))
        rejects = output.with_name(output.name + ".rejects.jsonl")
        partial = output.with_name(f".{output.name}.{os.getpid()}.partial")
        partial_rejects = rejects.with_name(f".{rejects.name}.{os.getpid()}.partial")
        try:
            with partial.open("wb") as out, partial_rejects.open("w", encoding="utf-8") as bad:
                if request.original:
                    self._originals(out, summary, progress)
                else:
                    self._records(out, bad, request, encoding, summary, progress)
                out.flush()
                os.fsync(out.fileno())
            os.replace(partial, output)
            if summary.rejected:
                os.replace(partial_rejects, rejects)
                summary.rejects_path = str(rejects)
        finally:
            partial.unlink(missing_ok=True)
            partial_rejects.unlink(missing_ok=True)
        return summary

    def _records(
        self,
        out: BinaryIO,
        bad: IO[str],
        request: ExportRequest,
        encoding: str,
        summary: ExportSummary,
        progress: Progress | None,
    ) -> None:
        total = self._catalogue.counts()["records"] if request.since is None else 0
        writer = MarcWriter(
            out,
            format=request.format,
            encoding=encoding,
            dialect=None if request.as_catalogued else Dialect.MARC21,
        )
        with writer:
            for handled, item in enumerate(self._items(request), 1):
                record = item.marc if request.as_catalogued else to_marc21(item.marc, item.dialect)
                if item.deleted:
                    record.leader = record.leader[:5] + "d" + record.leader[6:]
                try:
                    writer.write(record)
                except (iso2709.RecordTooLongError, ValueError) as err:
                    _reject(bad, item, str(err))
                    summary.rejected += 1
                else:
                    summary.written += 1
                    summary.deleted += item.deleted
                if progress is not None and handled % 500 == 0:
                    progress(handled, max(total, handled))
        summary.escaped = writer.escaped
        if progress is not None:
            progress(summary.written + summary.rejected, summary.written + summary.rejected)

    def _items(self, request: ExportRequest) -> Iterator[_Item]:
        if request.since is None:
            for master in self._catalogue.iter_masters(dialect=request.dialect):
                yield _Item(master.id, master.dialect, master.marc)
            return
        # What OAI-PMH serves with from=: (datestamp, id) order, deletions included.
        query = ChangeQuery(since=request.since, dialect=request.dialect)
        after: tuple[datetime, int] | None = None
        while page := self._catalogue.changed_records(query, after=after, limit=1000):
            for changed in page:
                yield _Item(changed.id, changed.dialect, changed.marc, changed.deleted)
            after = (page[-1].datestamp, page[-1].id)

    def _originals(self, out: BinaryIO, summary: ExportSummary, progress: Progress | None) -> None:
        for fmt, raw in self._catalogue.iter_original_bytes():
            if fmt == MarcFormat.ISO2709:
                out.write(raw)
                summary.written += 1
                if progress is not None and summary.written % 500 == 0:
                    progress(summary.written, summary.written)


def _check(request: ExportRequest) -> str:
    try:
        encoding = charsets.canonical(request.encoding)
    except charsets.UnknownEncodingError as err:
        raise ExportError(str(err)) from None
    if encoding not in charsets.WRITABLE:
        raise ExportError(f"cannot write {request.encoding!r}: use utf-8, gb18030 or euc-kr")
    if request.format is not MarcFormat.ISO2709 and encoding != charsets.UTF8:
        raise ExportError(
            f"{request.format} is always UTF-8; use --format iso2709 for {request.encoding}"
        )
    if request.original and (request.since is not None or request.as_catalogued):
        raise ExportError("--original writes the source bytes: it takes no --since or dialect")
    return encoding


def _reject(out: IO[str], item: _Item, reason: str) -> None:
    line = {
        "record_id": item.id,
        "dialect": item.dialect,
        "reason": f"the record cannot be written: {reason}",
        "marc_json": json.loads(marc_json(item.marc)),
    }
    out.write(json.dumps(line, ensure_ascii=False) + "\n")
