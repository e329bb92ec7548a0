"""Reading another system's CSV exports: encodings, rows with their line numbers, values.

The pure half of moving in (``migration_import.py`` writes): a file is UTF-8
(with or without a byte-order mark) or GB18030, detected or forced; every row
comes with the physical line it started on and its raw text, so that a bad row
can go to the rejects file exactly as it was; dates, times, amounts and the
labels other systems use (成人, 학생, 超期 …) are parsed here with a reason for
every refusal (:class:`RowError`).
"""

from __future__ import annotations

import codecs
import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import IO

from shelfwise.storage.tables import FEE_KINDS

_BOM = codecs.BOM_UTF8
_CHUNK = 1 << 20
_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d")
_TIME_FORMATS = ("%H:%M:%S", "%H:%M")


class RowError(Exception):
    """A row that cannot be imported: ``label`` counts it in the summary, ``str()`` is the reason."""

    def __init__(self, label: str, detail: str) -> None:
        super().__init__(f"{label}: {detail}")
        self.label = label


class ColumnsError(Exception):
    """A file whose header lacks a required column: nothing of it can be imported."""


def detect_encoding(path: Path) -> str:
    """``utf-8-sig`` (with a BOM), ``utf-8`` when every byte decodes as UTF-8, else ``gb18030``."""
    with path.open("rb") as handle:
        head = handle.read(len(_BOM))
        if head == _BOM:
            return "utf-8-sig"
        decoder = codecs.getincrementaldecoder("utf-8")()
        chunk = head
        try:
            while chunk:
                decoder.decode(chunk)
                chunk = handle.read(_CHUNK)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return "gb18030"
    return "utf-8"


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # physical line (1-based) the row starts on; the header is line 1
    raw: str  # the row's text as read, without the final line break
    values: dict[str, str]  # column name -> stripped value ("" when absent)


@dataclass(frozen=True, slots=True)
class BadLine:
    """A line that could not be decoded in the file's encoding."""

    line: int
    raw: str
    reason: str


class _Lines:
    """Decoded physical lines for ``csv.reader``, counting lines and bytes as they go by."""

    def __init__(self, handle: IO[bytes], encoding: str) -> None:
        self._handle = handle
        self._encoding = "utf-8" if encoding == "utf-8-sig" else encoding
        self.line = 0
        self.bytes_read = 0
        self.pending: list[str] = []  # lines of the row being read
        self.bad: list[BadLine] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        while True:
            raw = self._handle.readline()
            if not raw:
                raise StopIteration
            self.bytes_read += len(raw)
            self.line += 1
            if self.line == 1 and raw.startswith(_BOM):
                raw = raw[len(_BOM) :]
            try:
                text = raw.decode(self._encoding)
            except UnicodeDecodeError as exc:
                shown = raw.decode(self._encoding, errors="replace").rstrip("\r\n")
                self.bad.append(BadLine(self.line, shown, f"not {self._encoding}: {exc.reason}"))
                continue
            self.pending.append(text)
            return text


class CsvFile:
    """The rows of one CSV file, with a header naming the columns."""

    def __init__(self, path: Path, *, encoding: str | None = None) -> None:
        self.path = path
        self.encoding = encoding or detect_encoding(path)
        self.size = path.stat().st_size
        self.columns: list[str] = []
        self._lines: _Lines | None = None

    @property
    def bytes_read(self) -> int:
        return 0 if self._lines is None else self._lines.bytes_read

    def rows(self, required: tuple[str, ...], known: tuple[str, ...]) -> Iterator[CsvRow | BadLine]:
        """Rows in file order; bad lines in between. Raises :class:`ColumnsError` first."""
        with self.path.open("rb") as handle:
            lines = self._lines = _Lines(handle, self.encoding)
            reader = csv.reader(lines, strict=False)
            header = next(reader, None)
            self.columns = [_column(name) for name in header or []]
            missing = [c for c in required if c not in self.columns]
            if missing:
                raise ColumnsError(f"{self.path.name}: missing column(s) {', '.join(missing)}")
            while True:
                lines.pending = []
                start = lines.line + 1
                try:
                    fields = next(reader)
                except StopIteration:
                    break
                except csv.Error as exc:
                    yield BadLine(start, "".join(lines.pending).rstrip("\r\n"), f"csv: {exc}")
                    continue
                yield from _drain(lines)
                if not any(f.strip() for f in fields):
                    continue  # blank line
                raw = "".join(lines.pending).rstrip("\r\n")
                if len(fields) > len(self.columns):
                    yield BadLine(
                        start, raw, f"{len(fields)} fields, the header has {len(self.columns)}"
                    )
                    continue
                values = {c: "" for c in known}
                values.update(
                    (name, value.strip()) for name, value in zip(self.columns, fields, strict=False)
                )
                yield CsvRow(start, raw, values)
            yield from _drain(lines)

    def ignored_columns(self, known: tuple[str, ...]) -> list[str]:
        return [c for c in self.columns if c and c not in known]


def _drain(lines: _Lines) -> Iterator[BadLine]:
    bad, lines.bad = lines.bad, []
    yield from bad


def _column(name: str) -> str:
    return name.strip().lstrip("\ufeff").lower().replace(" ", "_").replace("-", "_")


# --- values --------------------------------------------------------------------------


def required(values: dict[str, str], column: str) -> str:
    value = values.get(column, "")
    if not value:
        raise RowError("missing value", f"{column} is empty")
    return value


def parse_date(text: str, column: str) -> date:
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise RowError("bad date", f"{column}: {text!r} is not a date (YYYY-MM-DD)")


def parse_time(text: str, column: str, offset: timezone) -> datetime:
    """A date or date-and-time in the library's local time (``offset``), as UTC."""
    day_text, _, time_text = text.replace("T", " ").partition(" ")
    day = parse_date(day_text, column)
    moment = time(0, 0)
    if time_text.strip():
        for fmt in _TIME_FORMATS:
            try:
                moment = datetime.strptime(time_text.strip(), fmt).time()
                break
            except ValueError:
                continue
        else:
            raise RowError(
                "bad date", f"{column}: {text!r} is not a date and time (YYYY-MM-DD hh:mm:ss)"
            )
    return datetime.combine(day, moment, tzinfo=offset).astimezone(UTC)


def parse_offset(text: str) -> timezone:
    """``+08:00`` → a fixed offset (the library's local time for dates without a zone)."""
    sign = -1 if text.startswith("-") else 1
    hours, _, minutes = text.lstrip("+-").partition(":")
    try:
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
    except ValueError as exc:
        raise ValueError(f"{text!r} is not a UTC offset like +08:00") from exc
    return timezone(sign * delta)


def parse_int(text: str, column: str, *, default: int | None = None) -> int:
    if not text:
        if default is None:
            raise RowError("missing value", f"{column} is empty")
        return default
    try:
        value = int(text)
    except ValueError as exc:
        raise RowError("bad number", f"{column}: {text!r} is not a whole number") from exc
    if value < 0:
        raise RowError("bad number", f"{column}: {value} is negative")
    return value


def parse_cents(text: str, column: str) -> int:
    """``12.5`` / ``¥12.50`` / ``12.50元`` → 1250 fen; more than two decimals is refused."""
    cleaned = text.replace("¥", "").replace("￥", "").replace("元", "").replace(",", "").strip()
    try:
        amount = Decimal(cleaned)
    except InvalidOperation as exc:
        raise RowError("bad amount", f"{column}: {text!r} is not an amount") from exc
    cents = amount * 100
    if cents != cents.to_integral_value() or not amount.is_finite():
        raise RowError("bad amount", f"{column}: {text!r} has more than two decimals")
    if cents <= 0:
        raise RowError("bad amount", f"{column}: {text!r} is not above zero")
    return int(cents)


# --- labels other systems use ---------------------------------------------------------

# Labels other systems (and their staff) use for the default categories and fee kinds.
CATEGORY_ALIASES = {
    "成人": "adult", "普通": "adult", "少儿": "child", "儿童": "child", "老年": "senior",
    "老人": "senior", "学生": "student", "성인": "adult", "일반": "adult", "어린이": "child",
    "아동": "child", "노인": "senior", "경로": "senior", "학생": "student",
}  # fmt: skip
FEE_KIND_ALIASES = {
    "超期": "overdue", "逾期": "overdue", "丢失": "lost", "遗失": "lost", "损坏": "damaged",
    "污损": "damaged", "押金": "deposit", "其他": "manual", "연체": "overdue", "분실": "lost",
    "파손": "damaged", "보증금": "deposit", "기타": "manual",
}  # fmt: skip


def category_of(text: str, categories: tuple[str, ...]) -> str:
    value = text.strip()
    value = CATEGORY_ALIASES.get(value, value)
    if value.lower() in categories:
        return value.lower()
    if value not in categories:
        raise RowError("unknown category", f"{text!r} is not one of {', '.join(categories)}")
    return value


def fee_kind_of(text: str) -> str:
    value = FEE_KIND_ALIASES.get(text.strip(), text.strip().lower()) or "manual"
    if value not in FEE_KINDS:
        raise RowError("unknown fee kind", f"{text!r} is not one of {', '.join(FEE_KINDS)}")
    return value


def email_of(text: str) -> str | None:
    if not text:
        return None
    if "@" not in text or " " in text:
        raise RowError("bad e-mail", f"{text!r} is not an e-mail address")
    return text


def phone_of(text: str) -> str | None:
    if len(text) > 32:
        raise RowError("bad phone", f"{text!r} is longer than 32 characters")
    return text or None


def reject_line(line: int, reason: str, raw: str) -> str:
    """One line of a rejects file: ``{"line", "reason", "raw"}`` as JSON."""
    return json.dumps({"line": line, "reason": reason, "raw": raw}, ensure_ascii=False) + "\n"
