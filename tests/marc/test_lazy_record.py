"""The lazy ISO 2709 record (issue 15 item 3) reads exactly what the eager reader reads.

The reference is the eager path, ``lazy=False``: every field built at once by the
split-based decoder, and the directory read entry by entry with no arithmetic
shortcut. The lazy path must give the same records (every field, every subfield),
the same notes and the same rejects, for generated records, damaged on purpose,
and for every committed fixture file; and a lazy record asked for some tags must
answer as the eager one does while building only those fields.
"""

from __future__ import annotations

import io
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marc_strategies import records

from shelfwise.marc import charsets, iso2709
from shelfwise.marc import record as record_module
from shelfwise.marc.reading import (
    MarcFormat,
    ReadRecord,
    Rejected,
    decode_split,
    detect_format,
    read_file,
)
from shelfwise.marc.record import Field, Record
from shelfwise.testing.hostile_records import hostile_files

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "marc"
ABSENT_TAG = "999"


def _outcome(item: ReadRecord | Rejected) -> tuple[Any, ...]:
    if isinstance(item, Rejected):
        return ("rejected", item.offset, item.reason, item.raw)
    fields = item.record.fields
    return (
        "read",
        item.offset,
        item.encoding,
        item.dialect,
        item.repairs,
        item.record.leader,
        fields,
    )


def _asks_by_tag_like_eager(lazy: Record, eager: Record) -> None:
    """Before anything builds the whole record, every question by tag answers as eager."""
    tags = sorted({f.tag for f in eager.fields} | {ABSENT_TAG})
    for tag in tags:
        assert lazy.get(tag) == eager.get(tag), tag
        assert lazy.get_fields(tag) == eager.get_fields(tag), tag
        assert lazy.control(tag) == eager.control(tag), tag
        assert lazy.subfield_values(tag) == eager.subfield_values(tag), tag
        assert lazy.subfield_values(tag, "a", "6") == eager.subfield_values(tag, "a", "6"), tag
    assert lazy.get_fields(*tags[:3]) == eager.get_fields(*tags[:3])


def _compare_file(data: bytes) -> tuple[int, int]:
    """Lazy against eager for every record of an ISO 2709 file: (lazy records, all records)."""
    lazy_count = total = 0
    for offset, raw, terminated in iso2709.split_records(io.BytesIO(data), chunk_size=4096):
        eager = decode_split(offset, raw, terminated, lazy=False)
        lazy = decode_split(offset, raw, terminated)
        probe = decode_split(offset, raw, terminated)
        if isinstance(probe, ReadRecord) and isinstance(eager, ReadRecord):
            lazy_count += probe.record.is_lazy
            _asks_by_tag_like_eager(probe.record, eager.record)
        assert _outcome(lazy) == _outcome(eager)
        if isinstance(eager, ReadRecord):
            assert not eager.record.is_lazy
        total += 1
    return lazy_count, total


_DAMAGE_BYTES = [
    b"0",
    b"9",
    b" ",
    b"a",
    b"\x1e",
    b"\x1f",
    b"\x1d",
    b"\x1b",
    b"\xff",
    b"\x80",
    b"\x00",
]

# What another system's export can hold inside a field that a consistent directory
# still frames: each one is a repair note (or not) that both paths must agree on.
_TEXT_DAMAGE: dict[str, Callable[[str], str]] = {
    "no indicators": lambda text: text[2:],
    "one indicator": lambda text: text[1:],
    "text before the subfields": lambda text: text[:2] + "stray" + text[2:],
    "an empty subfield": lambda text: text + "\x1f",
    "two delimiters": lambda text: text[:2] + "\x1f" + text[2:],
    "indicators only": lambda text: text[:2],
    "a delimiter as indicator": lambda text: "\x1f" + text[1:],
    "a non-ASCII indicator": lambda text: "é" + text[1:],
    "nothing": lambda text: "",
    "a C0 control": lambda text: text + "\x07",
}


def _field_texts(record: Record) -> list[tuple[str, str]]:
    return [
        (
            f.tag,
            f.data
            if f.data is not None
            else f.indicators + "".join("\x1f" + code + value for code, value in f.subfields),
        )
        for f in record.fields
    ]


def _assemble(leader: str, fields: list[tuple[str, str]], encoding: str) -> bytes:
    """ISO 2709 with a consistent directory around whatever the field texts hold."""
    bodies = [text.encode(encoding, charsets.NCR) + iso2709.FT for _, text in fields]
    starts = [sum(map(len, bodies[:i])) for i in range(len(bodies))]
    directory = b"".join(
        b"%s%04d%05d" % (tag.encode(), len(body), start)
        for (tag, _), body, start in zip(fields, bodies, starts, strict=True)
    )
    base = 24 + len(directory) + 1
    total = base + sum(map(len, bodies)) + 1
    head = f"{total:05d}{leader[5:9]}{'a' if encoding == 'utf-8' else ' '}{leader[10:12]}"
    head += f"{base:05d}{leader[17:]}"
    return head.encode() + directory + iso2709.FT + b"".join(bodies) + iso2709.RT


@settings(max_examples=300, deadline=None)
@given(records(), st.sampled_from(["utf-8", "gb18030", "euc-kr"]), st.data())
def test_lazy_equals_eager_for_generated_records(
    record: Record, encoding: str, data: st.DataObject
) -> None:
    fields = _field_texts(record)
    for _ in range(data.draw(st.integers(0, 2), label="field damages")):
        at = data.draw(st.integers(0, len(fields) - 1), label="field")
        kind = data.draw(st.sampled_from(sorted(_TEXT_DAMAGE)), label="damage")
        tag, text = fields[at]
        fields[at] = (tag, _TEXT_DAMAGE[kind](text))
    raw = bytearray(_assemble(record.leader, fields, encoding))
    # Then damage the bytes: overwrite, insert or delete anywhere (leader, directory,
    # terminators), so the careful directory path, its repairs and rejects are compared too.
    for _ in range(data.draw(st.integers(0, 2), label="byte damages")):
        at = data.draw(st.integers(0, len(raw) - 1), label="at")
        kind = data.draw(st.sampled_from(["set", "insert", "delete"]), label="kind")
        byte = data.draw(st.sampled_from(_DAMAGE_BYTES), label="byte")
        if kind == "set":
            raw[at : at + 1] = byte
        elif kind == "insert":
            raw[at:at] = byte
        elif len(raw) > 1:
            del raw[at]
    _compare_file(bytes(raw))


def test_a_record_past_99999_bytes_is_not_read_by_arithmetic() -> None:
    # Past 99,999 bytes a start needs six digits; written as one nine-digit number
    # with the length, (12, 109990) aliases to (13, 9990). The reference reads the
    # directory entry by entry and rejects the record: so must the lazy path.
    bodies = [b"  \x1fa" + b"x" * 9993 + iso2709.FT] * 11 + [b"  \x1fashort" + iso2709.FT]
    starts = [sum(map(len, bodies[:i])) for i in range(len(bodies))]
    assert starts[-1] > 99_999
    directory = b"".join(
        b"500%09d" % (len(b) * 100_000 + s) for b, s in zip(bodies, starts, strict=True)
    )
    base = 24 + len(directory) + 1
    leader = b"99999nam a22%05d   4500" % base
    raw = leader + directory + iso2709.FT + b"".join(bodies) + iso2709.RT
    _compare_file(raw)
    item = decode_split(0, raw, True)
    assert isinstance(item, Rejected)
    assert "starts inside another field" in item.reason


def _iso2709_fixtures() -> list[Path]:
    return sorted(
        p
        for p in FIXTURES.rglob("*")
        if p.is_file() and detect_format(p.read_bytes()[:512]) is MarcFormat.ISO2709
    )


def test_every_iso2709_fixture_reads_the_same_lazily() -> None:
    lazy = total = 0
    files = _iso2709_fixtures()
    assert len(files) >= 8
    for path in files:
        got_lazy, got_total = _compare_file(path.read_bytes())
        lazy += got_lazy
        total += got_total
    # Both paths were exercised: most records lazy, the damaged ones built eagerly.
    assert lazy > total // 2
    assert lazy < total


def test_other_fixture_formats_never_give_lazy_records() -> None:
    others = [p for p in FIXTURES.rglob("*") if p.is_file() and p not in _iso2709_fixtures()]
    others = [p for p in others if detect_format(p.read_bytes()[:512]) is not None]
    assert len(others) >= 8
    for path in others:
        for item in read_file(path):
            assert not (isinstance(item, ReadRecord) and item.record.is_lazy), path


def test_hostile_iso2709_records_read_the_same_lazily(tmp_path: Path) -> None:
    for path in hostile_files(tmp_path):
        if path.suffix == ".mrc":
            _compare_file(path.read_bytes())


def _lazy_record() -> Record:
    source = Record(
        "00000nam a2200000 a 4500",
        [
            Field("001", data="lazy-1"),
            Field("245", "10", [("a", "Title"), ("b", "sub"), ("a", "again")]),
            Field("650", " 0", [("a", "One")]),
            Field("650", " 0", [("a", "Two")]),
        ],
    )
    item = decode_split(0, iso2709.encode(source), True)
    assert isinstance(item, ReadRecord)
    assert item.record.is_lazy
    assert item.record.fields == source.fields
    fresh = decode_split(0, iso2709.encode(source), True)
    assert isinstance(fresh, ReadRecord)
    assert fresh.record.is_lazy
    return fresh.record


def _still_lazy(record: Record) -> bool:
    return record.is_lazy


def test_asking_for_tags_builds_only_their_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    built: list[str] = []
    real = record_module._field_of_text

    def counting(tag: str, text: str) -> Field:
        built.append(tag)
        return real(tag, text)

    record = _lazy_record()
    monkeypatch.setattr(record_module, "_field_of_text", counting)
    assert record.subfield_values("650", "a") == ["One", "Two"]
    assert record.get_fields("650") == record.get_fields("650")
    assert built == ["650", "650"]  # each built once, and nothing else
    assert _still_lazy(record)
    title = record.get("245")
    assert title is not None
    title.subfields.append(("c", "added"))  # an edit through a field asked for by tag...
    assert built == ["650", "650", "245"]
    assert [f.tag for f in record.fields] == ["001", "245", "650", "650"]
    assert built == ["650", "650", "245", "001"]
    assert not _still_lazy(record)
    assert record.fields[1] is title  # ...is kept when the whole record is built
    assert record.fields[1].values("c") == ["added"]


def test_a_lazy_record_behaves_as_a_plain_one() -> None:
    record = _lazy_record()
    assert pickle.loads(pickle.dumps(record)) == record
    assert record.control("001") == "lazy-1"
    assert record.control("245") is None
    assert repr(record).startswith("Record(leader='00119nam a2200073 a 4500', fields=[Field(")
    record.fields = [Field("001", data="replaced")]
    assert list(record) == [Field("001", data="replaced")]
    assert record != Record(record.leader, [])
    assert record == Record(record.leader, [Field("001", data="replaced")])
