"""The CPU-bound half of an import: decode, describe and fingerprint each record.

Everything here is a pure function of the record's bytes, so for large ISO 2709
files it runs in worker processes while the importing process does the
database half. Workers get raw records exactly as :func:`split_records` cut
them and hand back compact :class:`Incoming` values (the decoded ``Record``
itself stays behind: the database needs its compact stored form, not its objects).
The master's text is taken before the mapping reads the lazy record, and the
mapping builds only the fields it maps (issue 15 items 3 and 4).
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Any

from shelfwise.catalogue.matching import source_key, title_key
from shelfwise.catalogue.rows import ClassRow, CopyRow, class_rows, copy_rows, record_columns
from shelfwise.marc import charsets, compact, iso2709
from shelfwise.marc.description import Dialect
from shelfwise.marc.dialects import TITLE_PROPER, describe, fallback_title_tags
from shelfwise.marc.marcjson import dumps as marc_to_json
from shelfwise.marc.reading import (
    MarcFormat,
    ReadRecord,
    Rejected,
    decode_split,
    detect_format,
    read_file,
)

# Below this size a worker pool costs more to start than it saves.
PARALLEL_MIN_BYTES = 8 << 20
_CHUNK = 500  # records per task sent to a worker
_AHEAD = 4  # tasks in flight per worker: enough to keep workers busy, bounded memory


@dataclass(slots=True)
class Incoming:
    """One decoded record with everything the database half needs to place and store it."""

    offset: int
    raw: bytes
    format: str
    encoding: str
    dialect: str
    repairs: list[str]  # what the readers repaired, for the match report
    source_key: str
    content_hash: str
    title_key: str | None
    control_agency: str | None
    control_number: str | None
    isbns: list[str]
    columns: dict[str, Any]  # the records row, less id, state and timestamps
    class_rows: list[ClassRow]
    copies: list[CopyRow]


Entry = Incoming | Rejected


def prepare_safely(entry: ReadRecord | Rejected) -> Entry:
    """:func:`prepare`, except that a record it fails on becomes a reject with the error as
    its reason: one record the mapping cannot handle must not stop an import of millions."""
    if isinstance(entry, Rejected):
        return entry
    try:
        return prepare(entry)
    except Exception as err:
        reason = (
            f"the record could not be described ({type(err).__name__}: {err}); please report it"
        )
        return Rejected(entry.raw, entry.offset, reason, entry.format)


def prepare(entry: ReadRecord) -> Incoming | Rejected:
    """The record ready to store, or rejected: a record with no title anywhere cannot be
    shown, found or matched, so it goes to the rejects file (the staged import's review)."""
    record = entry.record
    # Before the mapping reads it: a lazy record gives its texts as read, nothing built.
    master_text = compact.text_form(record)
    description = describe(record, entry.dialect)
    proper = TITLE_PROPER[entry.dialect]
    if not description.title:
        return Rejected(entry.raw, entry.offset, _no_title(entry), entry.format)
    repairs = entry.repairs
    if description.title_source != proper:
        repairs = [
            *repairs,
            f"no title in {proper}; title taken from {description.title_source}",
        ]
    # The hash is of the decoded content, not the bytes: the same record sent
    # as MARCXML after ISO 2709, or as UTF-8 after MARC-8, is unchanged.
    match_key = title_key(description)
    identity = _structural(record.leader) + compact.without_leader(master_text, record.leader)
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()
    return Incoming(
        offset=entry.offset,
        raw=entry.raw,
        format=str(entry.format),
        encoding=entry.encoding,
        dialect=str(entry.dialect),
        repairs=repairs,
        source_key=source_key(description.control_agency, description.control_number, digest),
        content_hash=digest,
        title_key=match_key,
        control_agency=description.control_agency,
        control_number=description.control_number,
        isbns=description.isbns,
        columns=record_columns(
            description, compact.pack(master_text), str(entry.dialect), match_key
        ),
        class_rows=class_rows(description),
        copies=copy_rows(description.holdings),
    )


# MARC 21 leader/06 values of the record formats that are not bibliographic: they
# carry no title proper because they describe no publication.
_NOT_BIBLIOGRAPHIC = {
    "z": "an authority record",
    "u": "a holdings record",
    "v": "a holdings record",
    "x": "a holdings record",
    "y": "a holdings record",
    "w": "a classification record",
    "q": "a community information record",
}


def _no_title(entry: ReadRecord) -> str:
    kind = _NOT_BIBLIOGRAPHIC.get(entry.record.leader[6:7])
    if kind is not None and entry.dialect is not Dialect.UNIMARC:
        return (
            f"{kind} (leader/06 {entry.record.leader[6]!r}), not a bibliographic record: "
            "the catalogue holds bibliographic records only"
        )
    proper = TITLE_PROPER[entry.dialect]
    return (
        f"no title: {proper} is missing or empty and none of "
        f"{', '.join(fallback_title_tags(entry.dialect))} holds one"
    )


def _structural(leader: str) -> str:
    # Leader positions that only describe the serialisation (lengths, base
    # address, character coding) are left out.
    padded = leader.ljust(24)
    return padded[5:9] + padded[10:12] + padded[17:]


def legacy_content_hash(incoming: Incoming) -> str:
    """The content hash imports wrote before masters were compact (of the record's
    MARC-in-JSON): a source stored then and unchanged since still matches this, so
    importing its file again after the upgrade finds it unchanged, not updated."""
    record = compact.loads(incoming.columns["master"])
    marc_json = marc_to_json(record).decode("utf-8")
    identity = _structural(record.leader) + marc_json[marc_json.find('"fields"') :]
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()


def prepared_batches(
    path: Path,
    *,
    batch_size: int,
    format: MarcFormat | None = None,
    dialect: Dialect | None = None,
    encoding: str | None = None,
    workers: int = 0,
) -> Iterator[list[Entry]]:
    """Batches of prepared records (or rejections), in file order."""
    enc = charsets.canonical(encoding) if encoding else None
    if workers > 0 and _parallel_worthwhile(path, format):
        entries: Iterator[Entry] = _parallel(path, dialect, enc, workers)
    else:
        entries = (
            prepare_safely(e) for e in read_file(path, format=format, dialect=dialect, encoding=enc)
        )
    while batch := list(islice(entries, batch_size)):
        yield batch


def _parallel_worthwhile(path: Path, format: MarcFormat | None) -> bool:
    if path.stat().st_size < PARALLEL_MIN_BYTES:
        return False
    with path.open("rb") as handle:
        found = format or detect_format(handle.read(512))
    return found is MarcFormat.ISO2709


def _prepare_chunk(
    chunk: list[tuple[int, bytes, bool]], dialect: Dialect | None, encoding: str | None
) -> list[Entry]:
    out: list[Entry] = []
    for offset, raw, terminated in chunk:
        decoded = decode_split(offset, raw, terminated, dialect=dialect, encoding=encoding)
        out.append(prepare_safely(decoded))
    return out


def _parallel(
    path: Path, dialect: Dialect | None, encoding: str | None, workers: int
) -> Iterator[Entry]:
    # spawn, not fork: the parent may hold database connections and threads.
    context = multiprocessing.get_context("spawn")
    with path.open("rb") as handle, ProcessPoolExecutor(workers, mp_context=context) as pool:
        pieces = iso2709.split_records(handle)
        pending: deque[Future[list[Entry]]] = deque()
        while True:
            while len(pending) < workers * _AHEAD:
                chunk = list(islice(pieces, _CHUNK))
                if not chunk:
                    break
                pending.append(pool.submit(_prepare_chunk, chunk, dialect, encoding))
            if not pending:
                return
            yield from pending.popleft().result()
