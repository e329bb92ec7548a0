"""The one entry point importers use to read MARC files of any format.

``read_file`` streams ISO 2709, MARCXML (bare, collection, SRU, OAI-PMH) and
MARC-in-JSON (array, object, NDJSON) in constant memory and never raises on
bad data: a record that cannot be read becomes a :class:`Rejected` with a
reason a librarian can act on, and reading carries on.

``ReadRecord.offset`` is exact for ISO 2709 and MARC-in-JSON. For MARCXML it is
the start of the 64 KiB parser chunk in which the record's start tag was seen
(lxml does not report element positions): the record begins at or after it.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from shelfwise.marc import charsets, control_characters, iso2709, marcjson, marcxml
from shelfwise.marc.description import Dialect
from shelfwise.marc.detection import dialect_of_record
from shelfwise.marc.record import Record


class MarcFormat(StrEnum):
    ISO2709 = "iso2709"
    MARCXML = "marcxml"
    MARCJSON = "marcjson"


@dataclass(slots=True)
class ReadRecord:
    record: Record
    raw: bytes
    offset: int
    format: MarcFormat
    encoding: str
    dialect: Dialect
    repairs: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Rejected:
    raw: bytes
    offset: int
    reason: str
    format: MarcFormat


def detect_format(head: bytes) -> MarcFormat | None:
    """Guess the format from the first bytes of a file (a few hundred suffice)."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip(b" \t\r\n\x00")
    if text[:1] == b"<":
        return MarcFormat.MARCXML
    if text[:1] in (b"{", b"["):
        return MarcFormat.MARCJSON
    if len(text) >= 5 and text[:5].isdigit():
        return MarcFormat.ISO2709
    if b"\x1e" in head or b"\x1d" in head:
        return MarcFormat.ISO2709  # a leader with a broken length, but MARC terminators
    return None


def read_file(
    path: Path,
    *,
    format: MarcFormat | None = None,
    dialect: Dialect | None = None,
    encoding: str | None = None,
) -> Iterator[ReadRecord | Rejected]:
    """Stream the records of ``path``; see the module docstring."""
    with path.open("rb") as stream:
        yield from read_stream(stream, format=format, dialect=dialect, encoding=encoding)


def read_bytes(
    data: bytes,
    *,
    format: MarcFormat | None = None,
    dialect: Dialect | None = None,
    encoding: str | None = None,
) -> Iterator[ReadRecord | Rejected]:
    return read_stream(io.BytesIO(data), format=format, dialect=dialect, encoding=encoding)


def read_stream(
    stream: BinaryIO,
    *,
    format: MarcFormat | None = None,
    dialect: Dialect | None = None,
    encoding: str | None = None,
) -> Iterator[ReadRecord | Rejected]:
    enc = charsets.canonical(encoding) if encoding is not None else None
    buffered = stream if isinstance(stream, io.BufferedReader) else io.BufferedReader(_Raw(stream))
    head = buffered.peek(512)[:512]
    if not head.strip():
        yield Rejected(head, 0, "the file is empty", format or MarcFormat.ISO2709)
        return
    if format is None:
        format = detect_format(head)
        if format is None:
            reason = "the file is not MARC: it is neither ISO 2709, MARCXML nor MARC-in-JSON"
            yield Rejected(head[:256], 0, reason, MarcFormat.ISO2709)
            return
    if format is MarcFormat.ISO2709:
        yield from _read_iso2709(buffered, dialect, enc)
    else:
        items = (
            marcxml.iter_records(buffered)
            if format is MarcFormat.MARCXML
            else (marcjson.iter_records(buffered))
        )
        yield from _wrap(items, format, dialect)


class _Raw(io.RawIOBase):
    """Adapts any binary stream to what ``io.BufferedReader`` wants (for ``peek``)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def _read_iso2709(
    stream: BinaryIO, dialect: Dialect | None, encoding: str | None
) -> Iterator[ReadRecord | Rejected]:
    for offset, raw, terminated in iso2709.split_records(stream):
        yield decode_split(offset, raw, terminated, dialect=dialect, encoding=encoding)


def decode_split(
    offset: int,
    raw: bytes,
    terminated: bool,
    *,
    dialect: Dialect | None = None,
    encoding: str | None = None,
    lazy: bool = True,
) -> ReadRecord | Rejected:
    """Decode one record as :func:`iso2709.split_records` cut it (parallel importers call this).

    ``lazy=False`` builds every field at once (see :func:`iso2709.parse`)."""
    fmt = MarcFormat.ISO2709
    note = None
    body = raw
    if not terminated:
        body = raw + iso2709.RT
        note = "record terminator missing at the end of the file; added"
    try:
        p = iso2709.parse(body, dialect=dialect, encoding=encoding, lazy=lazy)
    except iso2709.RecordError as err:
        reason = str(err)
        if not terminated:
            reason = f"the file ends inside a record (no record terminator): {reason}"
        return Rejected(raw, offset, reason, fmt)
    if note is not None:
        p.repairs.insert(0, note)
    record = p.record
    if raw.translate(None, _NOT_LOW_BYTES):  # the only way a C0 control gets into the text
        record, notes = control_characters.repair(record, p.dialect)
        p.repairs.extend(notes)
    return ReadRecord(record, raw, offset, fmt, p.encoding, p.dialect, p.repairs)


# Deleting every other byte leaves the C0 controls other than ISO 2709's own
# terminators and delimiter (one C pass, four times quicker than a regex search).
_NOT_LOW_BYTES = bytes(range(0x1D, 0x100))


def _wrap(
    items: Iterator[marcxml.Item], fmt: MarcFormat, dialect: Dialect | None
) -> Iterator[ReadRecord | Rejected]:
    for offset, raw, made in items:
        if isinstance(made, str):
            yield Rejected(raw, offset, made, fmt)
            continue
        record, repairs = made
        found = dialect if dialect is not None else dialect_of_record(record)
        record, notes = control_characters.repair(record, found)
        yield ReadRecord(record, raw, offset, fmt, charsets.UTF8, found, [*repairs, *notes])
