"""Our MARC reader against one we did not write (pymarc), field by field, on the same bytes.

``compare(path)`` reads a file with ``shelfwise.marc.reading`` and with pymarc and
compares every record both can read: leader positions 5-9 and 17-19, then each
field's tag, indicators and subfield codes and values (or control data), in order,
all NFC-normalised. pymarc knows nothing of our encoding detection, so an ISO 2709
record is handed to it with the encoding our reader reports (UTF-8, MARC-8 or a
legacy code page); the structure and the decoded text are pymarc's own. (Our
reader decodes MARC-8 with pymarc's tables too, one subfield at a time, so for
MARC-8 records what is checked independently is the structure and the escape
scoping, not the tables; the encoding our reader chooses is checked by
test_dialects.py and test_dialects_real.py, not here.)

A record is left out of the comparison, with the reason counted, only when the two
readers cannot be expected to agree:

* our reader repaired its structure (a lying directory, a bad length, text before
  the first subfield, ...) or removed control characters from it: pymarc reads the raw bytes as they are, so the
  difference is the repair (the repairs have tests of their own in
  test_iso2709.py and test_dialects.py); a record whose only repair is its
  character set (undeclared UTF-8, invalid bytes replaced) is compared;
* pymarc cannot read it (it raises);
* a subfield code is not a graphic ASCII character (``\\x14``, a UTF-8 lead byte):
  the readers split such bytes differently, and neither is the record's intent;
* a tag that is not three characters, or a ``00X`` field with subfields: pymarc's
  model cannot hold it (it pads the tag, or drops the subfields);
* an XML or JSON file where pymarc finds a different number of records than we
  do (it takes any ``<record>`` element, a Dublin Core record included): records
  cannot be paired, so the file's records are counted as not compared.
"""

from __future__ import annotations

import contextlib
import io
import json
import unicodedata
import warnings
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pymarc

from shelfwise.marc.charsets import unescape_ncr
from shelfwise.marc.reading import MarcFormat, ReadRecord, detect_format, read_file
from shelfwise.marc.record import Record

LEADER_POSITIONS = (5, 6, 7, 8, 9, 17, 18, 19)
# Repairs that change where fields or subfields begin, or remove characters; pymarc reads
# the bytes as they are. Other repairs (an encoding the leader does not declare, invalid bytes replaced) leave the
# structure alone, and those records are compared.
LEFT_OUT_REPAIRS = (
    "directory",
    "record length",
    "base address",
    "indicator(s) instead of",
    "before its first subfield",
    # Control characters: dropped, or a blank or fill character put in their place
    # (docs/marc-charsets.md); pymarc keeps them.
    "control character",
)
Shape = tuple[str, tuple[object, ...]]


@dataclass(slots=True)
class Outcome:
    compared: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    mismatches: list[str] = field(default_factory=list)


def _nfc(text: str | None) -> str:
    return unicodedata.normalize("NFC", text or "")


def _leader(leader: str) -> str:
    return "".join(leader[i] if i < len(leader) else " " for i in LEADER_POSITIONS)


def ours(record: Record) -> list[Shape]:
    shapes: list[Shape] = [("LDR", (_leader(record.leader),))]
    for f in record.fields:
        if f.data is not None:
            shapes.append((f.tag, (_nfc(f.data),)))
        else:
            subfields = tuple((c, _nfc(v)) for c, v in f.subfields)
            shapes.append((f.tag, (f.indicators.ljust(2), subfields)))
    return shapes


def theirs(record: pymarc.Record, *, ncr: bool = False) -> list[Shape]:
    """pymarc's reading; with ``ncr`` (a record in a legacy charset) its ``&#xXXXX;``
    references are turned into characters, as MARC 21's lossless convention has our
    reader do and pymarc does not."""

    def text(value: str | None) -> str:
        return _nfc(unescape_ncr(value or "") if ncr else value)

    shapes: list[Shape] = [("LDR", (_leader(str(record.leader)),))]
    for f in record.fields:
        if f.is_control_field():
            shapes.append((f.tag, (text(f.data),)))
        else:
            indicators = "".join(i or " " for i in f.indicators or ()).ljust(2)
            subfields = tuple((s.code, text(s.value)) for s in f.subfields)
            shapes.append((f.tag, (indicators, subfields)))
    return shapes


def _unpairable(record: Record) -> str | None:
    for f in record.fields:
        if len(f.tag) != 3:
            return "a tag that is not three characters"
        if f.tag.startswith("00") and f.data is None:
            return "a 00X field with subfields"
        for code, _ in f.subfields:
            if len(code) != 1 or not ("!" <= code <= "~"):
                return "a subfield code that is not a graphic ASCII character"
    return None


def _iso2709_reference(read: ReadRecord) -> pymarc.Record:
    encoding = read.encoding
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        if encoding == "utf-8":
            return pymarc.Record(data=read.raw, force_utf8=True, utf8_handling="replace")
        if encoding == "marc-8":
            return pymarc.Record(data=read.raw)  # pymarc's own MARC-8 tables
        return pymarc.Record(data=read.raw, file_encoding=encoding)


def _xml_or_json_reference(path: Path, fmt: MarcFormat) -> list[pymarc.Record]:
    with warnings.catch_warnings(), contextlib.redirect_stderr(io.StringIO()):
        warnings.simplefilter("ignore")
        if fmt is MarcFormat.MARCXML:
            parse = pymarc.parse_xml_to_array
            found: list[pymarc.Record] = parse(str(path), strict=True)  # type: ignore[no-untyped-call]
            return found or parse(str(path), strict=False)  # type: ignore[no-untyped-call]
        text = path.read_text(encoding="utf-8-sig").strip()
        if not text.startswith("["):
            # MARC-in-JSON as one object, or one object per line (NDJSON)
            lines = [line for line in text.splitlines() if line.strip()]
            try:
                objects = [json.loads(text)]
            except json.JSONDecodeError:
                objects = [json.loads(line) for line in lines]
            text = json.dumps(objects)
        return list(pymarc.JSONReader(text))


def _check(outcome: Outcome, label: str, read: ReadRecord, reference: pymarc.Record) -> None:
    legacy = read.format is MarcFormat.ISO2709 and read.encoding != "utf-8"
    mine, other = ours(read.record), theirs(reference, ncr=legacy)
    if not _leader(str(reference.leader)).strip():
        # No <leader> in the XML: pymarc leaves it blank, we give the record a default one.
        mine, other = mine[1:], other[1:]
    outcome.compared += 1
    if mine == other:
        return
    for index, (a, b) in enumerate(zip(mine, other, strict=False)):
        if a != b:
            outcome.mismatches.append(f"{label}, field {index}: ours {a!r}, pymarc {b!r}")
            return
    outcome.mismatches.append(f"{label}: ours {len(mine)} fields, pymarc {len(other)}")


def compare(path: Path) -> Outcome:
    outcome = Outcome()
    with path.open("rb") as f:
        fmt = detect_format(f.read(512))
    records = [r for r in read_file(path) if isinstance(r, ReadRecord)]
    reference: list[pymarc.Record] | None = None
    if fmt is not MarcFormat.ISO2709 and records:
        try:
            reference = _xml_or_json_reference(path, fmt or MarcFormat.MARCXML)
        except Exception as exc:
            outcome.skipped[f"pymarc cannot read the file ({type(exc).__name__})"] += len(records)
            return outcome
        if len(reference) != len(records):
            outcome.skipped["pymarc finds another number of records"] += len(records)
            return outcome
    for index, read in enumerate(records):
        label = f"{path.name} record {index} (byte {read.offset})"
        if any(kind in repair for repair in read.repairs for kind in LEFT_OUT_REPAIRS):
            outcome.skipped["repaired by our reader (structure or control characters)"] += 1
            continue
        reason = _unpairable(read.record)
        if reason:
            outcome.skipped[reason] += 1
            continue
        if reference is not None:
            _check(outcome, label, read, reference[index])
            continue
        try:
            other = _iso2709_reference(read)
        except Exception as exc:
            outcome.skipped[f"pymarc cannot read it ({type(exc).__name__})"] += 1
            continue
        _check(outcome, label, read, other)
    return outcome
