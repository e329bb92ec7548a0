"""The compact stored form of a master MARC record: exact, small, quick to read back.

The catalogue keeps each record's master as decoded MARC (edits, repairs, brief
records, export, SRU and OAI-PMH read it; the source's original bytes are kept
apart, as provenance). Stored as MARC-in-JSON it was 2.45 KB of text per record;
this form holds the same record in about a third of that (docs/benchmarks.md has
the measured sizes), and :func:`loads` gives back a lazy :class:`Record` that
builds a field only when one is asked for.

Layout (the first byte says which, so a later form can be added beside these):

* ``b"z"`` + zlib of the *text form*, ``b"t"`` + the text form uncompressed (used
  when compressing would not make it smaller);
* the text form, UTF-8 (lone surrogates passed through): ``"C"``, the decimal
  character lengths of the leader and of each field's text separated by ``,``, a
  newline, the leader, every field's three-character tag in a row, then every
  field's text (:func:`~shelfwise.marc.record.text_of_field`: indicators and
  ``\\x1f``-delimited subfields, or a control field's data) in a row;
* or ``"J"`` and an exact JSON array ``[leader, [[tag, indicators, data,
  [[code, value], ...]], ...]]`` for a record some field of which that text cannot
  hold (odd indicators, a delimiter inside a value, a tag that is not three
  characters) — rare, and still exact.

No field length limit applies (ISO 2709 stops at 9,999 bytes per field).
"""

from __future__ import annotations

import json
import zlib
from itertools import accumulate, pairwise
from typing import Any

from shelfwise.marc.record import Field, Record

__all__ = ["CompactError", "dumps", "loads", "pack", "text_form", "without_leader"]

_ZLIB = b"z"
_PLAIN = b"t"
_TEXT = "C"
_JSON = "J"
# zlib level 6 against 1 and 9 on the demo library: see docs/benchmarks.md (import).
LEVEL = 6


class CompactError(ValueError):
    """Stored bytes that are not a compact record (a bug or a damaged row, never user input)."""


def dumps(record: Record) -> bytes:
    """``record`` in its compact stored form; :func:`loads` gives back an equal record."""
    return pack(text_form(record))


def text_form(record: Record) -> str:
    """The record's text (the ``C`` form, else the ``J`` form) before it is packed.

    Of a lazy record nothing is built: the texts it was read with are used as they are,
    which is why the importer takes this before the mapping reads the record."""
    text = _text_form(record)
    return text if text is not None else _JSON + _json_form(record)


def without_leader(text: str, leader: str) -> str:
    """The :func:`text_form` ``text`` of a record whose leader is ``leader``, the leader
    left out (the importer hashes the rest with the leader positions that are content);
    a ``J`` text, which has no separate leader, whole."""
    if text[:1] != _TEXT:
        return text
    start = text.find("\n") + 1
    return text[:start] + text[start + len(leader) :]


def pack(text: str) -> bytes:
    """A :func:`text_form` text as stored bytes (zlib when that is smaller)."""
    payload = text.encode("utf-8", "surrogatepass")
    packed = zlib.compress(payload, LEVEL)
    if len(packed) < len(payload):
        return _ZLIB + packed
    return _PLAIN + payload


def loads(stored: bytes) -> Record:
    """The record :func:`dumps` stored (lazy when it was stored in the text form)."""
    kind, body = stored[:1], stored[1:]
    try:
        if kind == _ZLIB:
            body = zlib.decompress(body)
        elif kind != _PLAIN:
            raise CompactError(f"not a compact MARC record (first byte {kind!r})")
        text = bytes(body).decode("utf-8", "surrogatepass")
    except (zlib.error, UnicodeDecodeError) as err:
        raise CompactError(f"a damaged compact MARC record: {err}") from err
    if text[:1] == _TEXT:
        return _from_text(text)
    if text[:1] == _JSON:
        return _from_json(text[1:])
    raise CompactError(f"a compact MARC record of unknown form {text[:1]!r}")


def _text_form(record: Record) -> str | None:
    found = record.field_texts()
    if found is None:
        return None
    tags, texts = found
    tag_block = "".join(tags)
    if len(tag_block) != 3 * len(tags):
        return None
    leader = record.leader
    lengths = ",".join(map(str, map(len, texts)))
    head = f"{_TEXT}{len(leader)},{lengths}\n" if texts else f"{_TEXT}{len(leader)}\n"
    return head + leader + tag_block + "".join(texts)


def _from_text(text: str) -> Record:
    newline = text.find("\n")
    if newline < 0:
        raise CompactError("a compact MARC record with no header")
    try:
        numbers = list(map(int, text[1:newline].split(",")))
    except ValueError as err:
        raise CompactError(f"a compact MARC record with a damaged header: {err}") from err
    start = newline + 1
    leader_end = start + numbers[0]
    count = len(numbers) - 1
    tag_end = leader_end + 3 * count
    tag_block = text[leader_end:tag_end]
    tags = [tag_block[i : i + 3] for i in range(0, 3 * count, 3)]
    ends = list(accumulate(numbers[1:], initial=tag_end))
    if ends[-1] != len(text):
        raise CompactError("a compact MARC record whose lengths do not add up")
    texts = [text[a:b] for a, b in pairwise(ends)]
    return Record.lazy(text[start:leader_end], tags, texts)


def _json_form(record: Record) -> str:
    fields = [[f.tag, f.indicators, f.data, [list(s) for s in f.subfields]] for f in record.fields]
    # ASCII escapes keep any string, lone surrogates included, exactly.
    return json.dumps([record.leader, fields], ensure_ascii=True, separators=(",", ":"))


def _from_json(text: str) -> Record:
    try:
        leader, raw_fields = json.loads(text)
        fields = [_json_field(item) for item in raw_fields]
    except (ValueError, TypeError) as err:
        raise CompactError(f"a compact MARC record with damaged JSON: {err}") from err
    return Record(str(leader), fields)


def _json_field(item: Any) -> Field:
    tag, indicators, data, subfields = item
    return Field(str(tag), str(indicators), [(str(c), str(v)) for c, v in subfields], data)
