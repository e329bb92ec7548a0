"""Writing records to a binary file in any of the formats we read.

    with MarcWriter(path.open("wb"), format=MarcFormat.MARCXML) as out:
        for record in records:
            out.write(record)

ISO 2709 is written in UTF-8 unless ``encoding`` asks for GB 18030 or EUC-KR
(cp949), where a character the set cannot hold is written as MARC 21's lossless
numeric character reference ``&#xXXXX;`` (the reader turns it back; ``escaped``
counts such records); MARCXML and MARC-in-JSON are always UTF-8. MARC-in-JSON is NDJSON (one
record per line) by default, or one JSON array with ``json_array=True``. Every
format streams: nothing but the current record is held in memory.

Characters no format can carry (C0 controls, lone surrogates) are repaired
as the importer repairs them (``control_characters``), so a record stored
before that repair existed is still written. A record that cannot be written
(a record past ISO 2709's 99,999 bytes, a tag that is not three characters)
raises from ``write`` and leaves the file as it was before that call, so a
caller can log it and carry on.
"""

from __future__ import annotations

from types import TracebackType
from typing import BinaryIO

from shelfwise.marc import charsets, iso2709, marcjson, marcxml
from shelfwise.marc.control_characters import repair
from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import MarcFormat
from shelfwise.marc.record import Record


class MarcWriter:
    def __init__(
        self,
        stream: BinaryIO,
        *,
        format: MarcFormat = MarcFormat.ISO2709,
        encoding: str = charsets.UTF8,
        dialect: Dialect | None = None,
        json_array: bool = False,
    ) -> None:
        self.stream = stream
        self.format = format
        self.encoding = charsets.canonical(encoding)
        if self.encoding not in charsets.WRITABLE:
            raise charsets.UnknownEncodingError(f"cannot write MARC in {encoding!r}")
        if format is not MarcFormat.ISO2709 and self.encoding != charsets.UTF8:
            raise ValueError(f"{format} is always written in UTF-8")
        self.dialect = dialect
        self.json_array = json_array
        self.count = 0
        self.escaped = 0  # records written with &#xXXXX; for characters the charset lacks
        self._closed = False
        if format is MarcFormat.MARCXML:
            stream.write(marcxml.COLLECTION_OPEN)
        elif json_array:
            stream.write(b"[")

    def write(self, record: Record) -> None:
        if self._closed:
            raise ValueError("the writer is closed")
        if self.format is MarcFormat.ISO2709:
            data = self._iso2709(record)
        elif self.format is MarcFormat.MARCXML:
            data = marcxml.record_in_collection(record)
        elif self.json_array:
            data = (b",\n" if self.count else b"\n") + marcjson.dumps(repair(record)[0])
        else:
            data = marcjson.dumps(repair(record)[0]) + b"\n"
        self.stream.write(data)
        self.count += 1

    def _iso2709(self, record: Record) -> bytes:
        try:
            return iso2709.encode(record, encoding=self.encoding, dialect=self.dialect)
        except UnicodeEncodeError:
            # Text the charset cannot hold: MARC 21's lossless &#xXXXX; references.
            data = iso2709.encode(
                record, encoding=self.encoding, dialect=self.dialect, errors=charsets.NCR
            )
            self.escaped += 1
            return data

    def close(self) -> None:
        """Finish the document (closing tag or bracket); the stream itself stays open."""
        if self._closed:
            return
        if self.format is MarcFormat.MARCXML:
            self.stream.write(marcxml.COLLECTION_CLOSE)
        elif self.format is MarcFormat.MARCJSON and self.json_array:
            self.stream.write(b"\n]\n")
        self.stream.flush()
        self._closed = True

    def __enter__(self) -> MarcWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
