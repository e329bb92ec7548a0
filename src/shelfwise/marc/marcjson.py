"""MARC-in-JSON (the code4lib shape pymarc, marc4j, yaz and traject write).

``{"leader": "...", "fields": [{"001": "..."}, {"245": {"ind1": " ", "ind2": " ",
"subfields": [{"a": "..."}]}}]}``

The reader accepts a top-level array of records, a single record, or any run
of records separated by whitespace (NDJSON included), and streams all three:
it decodes one object at a time from a sliding text buffer with
``json.JSONDecoder.raw_decode``, so memory is bounded by the largest record.

Offsets are exact byte offsets for UTF-8 input (the format's required
encoding); the raw bytes of a record are its JSON text re-encoded as UTF-8,
which are the source bytes unless the file held invalid UTF-8.

After a record that is not valid JSON the reader resynchronises on the next
line that starts with ``{`` (the NDJSON case); without one, the rest of the
file is rejected as a whole.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from typing import Any, BinaryIO

from shelfwise.marc.record import LEADER_LENGTH, Field, Record

CHUNK = 1 << 16
MAX_RECORD_CHARS = 16 << 20
Item = tuple[int, bytes, tuple[Record, list[str]] | str]

_STRICT = json.JSONDecoder()
_LENIENT = json.JSONDecoder(strict=False)  # allows raw control characters inside strings


def record_from_json(obj: Any) -> tuple[Record, list[str]] | str:
    """A record and its repairs, or why the JSON value is not a MARC-in-JSON record."""
    if not isinstance(obj, dict):
        return f"a JSON {type(obj).__name__} where a MARC-in-JSON record object was expected"
    fields = obj.get("fields")
    if not isinstance(fields, list):
        return 'the object has no "fields" list, so it is not MARC-in-JSON'
    repairs: list[str] = []
    leader = obj.get("leader")
    if not isinstance(leader, str):
        repairs.append("no leader; used a blank one")
        leader = Record().leader
    elif len(leader) != LEADER_LENGTH:
        repairs.append(f"leader is {len(leader)} characters, not 24; padded or cut to 24")
        leader = (leader + " " * LEADER_LENGTH)[:LEADER_LENGTH]
    out: list[Field] = []
    for i, entry in enumerate(fields, 1):
        made = _field(i, entry, repairs)
        if isinstance(made, str):
            return made
        out.append(made)
    return Record(leader, out), repairs


def _field(i: int, entry: Any, repairs: list[str]) -> Field | str:
    if not isinstance(entry, dict) or len(entry) != 1:
        return f"field {i} is not an object with exactly one tag"
    ((tag, value),) = entry.items()
    if isinstance(value, str):
        return Field(tag, "  ", [], value)
    if not isinstance(value, dict) or not isinstance(value.get("subfields"), list):
        return f"field {i} ({tag}) is neither a string nor an object with a subfields list"
    ind = ""
    for name in ("ind1", "ind2"):
        v = value.get(name, " ")
        if not isinstance(v, str) or len(v) != 1:
            repairs.append(f"field {tag} {name} is {v!r}; used a blank")
            v = " "
        ind += v
    subfields: list[tuple[str, str]] = []
    for sub in value["subfields"]:
        if not isinstance(sub, dict) or len(sub) != 1:
            return f"a subfield of field {tag} is not an object with exactly one code"
        ((code, text),) = sub.items()
        if not isinstance(text, str):
            return f"subfield ${code} of field {tag} is not a string"
        subfields.append((code, text))
    return Field(tag, ind, subfields)


def record_to_json(record: Record) -> dict[str, Any]:
    fields: list[dict[str, Any]] = []
    for f in record.fields:
        if f.data is not None:
            fields.append({f.tag: f.data})
            continue
        ind = (f.indicators + "  ")[:2]
        fields.append(
            {
                f.tag: {
                    "ind1": ind[0],
                    "ind2": ind[1],
                    "subfields": [{c: v} for c, v in f.subfields],
                }
            }
        )
    return {"leader": record.leader, "fields": fields}


def dumps(record: Record) -> bytes:
    """UTF-8 MARC-in-JSON of a repaired record (``MarcWriter`` repairs; the importer has)."""
    return json.dumps(record_to_json(record), ensure_ascii=False).encode("utf-8")


class _Buffer:
    """A sliding window of decoded text with the byte offset of its cursor."""

    def __init__(self, stream: BinaryIO, chunk_size: int) -> None:
        self.stream = stream
        self.chunk_size = chunk_size
        self.decoder = codecs.getincrementaldecoder("utf-8-sig")(errors="replace")
        self.text = ""
        self.pos = 0
        self.offset = 0  # byte offset of text[pos] (assuming UTF-8 input)
        self.eof = False

    def more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(self.chunk_size)
        if self.pos > self.chunk_size:
            self.text, self.pos = self.text[self.pos :], 0
        self.text += self.decoder.decode(chunk, final=not chunk)
        if not chunk:
            self.eof = True
        return True

    def advance(self, end: int) -> bytes:
        raw = self.text[self.pos : end].encode("utf-8")
        self.offset += len(raw)
        self.pos = end
        return raw

    def skip(self, chars: str) -> None:
        text, pos = self.text, self.pos
        while pos < len(text) and text[pos] in chars:
            pos += 1
        self.advance(pos)


def iter_records(stream: BinaryIO, *, chunk_size: int = CHUNK) -> Iterator[Item]:
    buf = _Buffer(stream, chunk_size)
    in_array = False
    while True:
        buf.skip(" \t\r\n," if in_array else " \t\r\n")
        if buf.pos >= len(buf.text):
            if buf.more():
                continue
            return
        head = buf.text[buf.pos]
        if head in "[]":
            in_array = head == "["
            buf.advance(buf.pos + 1)
            continue
        item = _next_value(buf)
        if item is None:
            continue  # more text was read; try again
        yield item
        if isinstance(item[2], str) and item[2].startswith("the rest of the file"):
            return


def _next_value(buf: _Buffer) -> Item | None:
    start = buf.offset
    try:
        obj, end = _STRICT.raw_decode(buf.text, buf.pos)
        notes: list[str] = []
    except RecursionError:
        return _too_deep(buf, start)
    except json.JSONDecodeError as err:
        incomplete = err.pos >= len(buf.text) - 2 or err.msg.startswith("Unterminated")
        if incomplete and len(buf.text) - buf.pos < MAX_RECORD_CHARS and buf.more():
            return None
        try:
            obj, end = _LENIENT.raw_decode(buf.text, buf.pos)
            notes = ["control characters inside JSON strings (invalid JSON) were accepted"]
        except RecursionError:
            return _too_deep(buf, start)
        except json.JSONDecodeError:
            return _resync(buf, start, err)
    raw = buf.advance(end)
    made = record_from_json(obj)
    if isinstance(made, str):
        return start, raw, made
    made[1].extend(notes)
    return start, raw, made


def _resync(buf: _Buffer, start: int, err: json.JSONDecodeError) -> Item:
    nxt = buf.text.find("\n{", err.pos)
    if nxt < 0:
        while buf.more():
            pass
        raw = buf.advance(len(buf.text))
        return start, raw[:4096], f"the rest of the file is not valid JSON ({err})"
    raw = buf.advance(nxt + 1)
    return start, raw, f"this record is not valid JSON ({err})"


# A MARC-in-JSON record is four levels deep (record, fields list, field, subfields
# list, subfield); Python's json module recurses once per level and gives up near a
# thousand, which used to stop the whole import with a RecursionError.
_STRUCTURE = re.compile(r'["\\\[\]{}]')


def _value_end(text: str, pos: int) -> tuple[int | None, int]:
    """(index after the JSON value starting at ``pos`` or None if it runs past the
    buffer, deepest nesting seen), without recursion."""
    depth = deepest = 0
    in_string = False
    i = pos
    while (match := _STRUCTURE.search(text, i)) is not None:
        ch, i = match.group(), match.end()
        if in_string:
            if ch == "\\":
                i += 1  # the escaped character, whatever it is
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in "]}":
            depth -= 1
            if depth <= 0:
                return i, deepest
    return None, deepest


def _too_deep(buf: _Buffer, start: int) -> Item:
    end, deepest = _value_end(buf.text, buf.pos)
    while end is None and len(buf.text) - buf.pos < MAX_RECORD_CHARS and buf.more():
        end, deepest = _value_end(buf.text, buf.pos)
    reason = (
        f"the JSON value is nested {deepest:,} levels deep; a MARC-in-JSON record has at "
        "most five (record, fields, field, subfields, subfield)"
    )
    if end is None:
        while buf.more():
            pass
        raw = buf.advance(len(buf.text))
        return start, raw[:4096], f"the rest of the file is one unfinished JSON value: {reason}"
    return start, buf.advance(end), reason
