"""The compact stored form of a master record (shelfwise.marc.compact) gives back exactly
the record it was given: any leader, any field, every script, fields far longer than
ISO 2709 allows, records the field-text form cannot hold (stored as exact JSON), lazy
records read from ISO 2709 (stored from the texts they were read with) and lazy records
a caller built and edited a field of."""

from __future__ import annotations

import zlib

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from marc_strategies import records

from shelfwise.marc import compact, iso2709
from shelfwise.marc.record import CONTROL_TAGS, Field, Record

# Any character at all, astral and control characters and the MARC delimiters included
# (surrogates too: a record decoded with surrogateescape can hold them); the delimiters
# and the header's own separators drawn often, since a form must survive them.
any_text = st.text(
    st.one_of(st.characters(codec=None), st.sampled_from("\x1d\x1e\x1f\n,C")), max_size=40
)
scripts = st.sampled_from(
    [
        "中文图书馆評說鼓勵",
        "도서관데이터한글",
        "Русский текст",
        "العربية",
        "עברית",
        "ελληνικά",
        "हिन्दी",
        "ภาษาไทย",
        "𠀋𡈽𩸽🙂",
        "e\u0301 combining, not NFC",
        "plain ASCII",
    ]
)


@st.composite
def script_text(draw: st.DrawFn) -> str:
    parts = draw(st.lists(scripts, min_size=1, max_size=4))
    return " ".join(parts) * draw(st.sampled_from([1, 1, 2, 700]))  # 700×: > 9,999 bytes


@st.composite
def any_field(draw: st.DrawFn, regular: bool) -> Field:
    """Any field; ``regular``: three-character tag, two indicators, one-character codes
    (what the text form holds) but still any text, delimiters included."""
    text = st.one_of(any_text, script_text())
    tag = draw(st.text(min_size=3, max_size=3) if regular else st.text(max_size=5))
    if regular and tag in CONTROL_TAGS:
        return Field(tag, "  ", [], draw(text))
    if not regular and draw(st.booleans()):
        return Field(tag, draw(st.text(max_size=3)), [], draw(text))
    code = st.characters(codec=None) if regular else st.text(max_size=2)
    indicators = st.text(min_size=2, max_size=2) if regular else st.text(max_size=3)
    return Field(tag, draw(indicators), draw(st.lists(st.tuples(code, text), max_size=6)))


@st.composite
def any_record(draw: st.DrawFn) -> Record:
    regular = draw(st.booleans())
    return Record(draw(any_text), draw(st.lists(any_field(regular), max_size=10)))


@st.composite
def well_formed(draw: st.DrawFn) -> Record:
    """Records of the kind the readers produce, with long and multi-script fields."""
    record = draw(records())
    extra = draw(st.lists(st.tuples(st.sampled_from(["500", "520", "880"]), script_text())))
    record.fields.extend(Field(t, "  ", [("a", text)]) for t, text in extra)
    return record


def _same(a: Record, b: Record) -> None:
    assert a.leader == b.leader
    assert [(f.tag, f.indicators, f.subfields, f.data) for f in a.fields] == [
        (f.tag, f.indicators, f.subfields, f.data) for f in b.fields
    ]


@settings(max_examples=200, deadline=None)
@given(any_record())
def test_any_record_round_trips_exactly(record: Record) -> None:
    _same(compact.loads(compact.dumps(record)), record)


@settings(max_examples=100, deadline=None)
@given(well_formed())
def test_well_formed_records_use_the_text_form_and_come_back_lazy(record: Record) -> None:
    stored = compact.dumps(record)
    assert _payload(stored)[:1] == b"C"
    back = compact.loads(stored)
    assert back.is_lazy
    _same(back, record)


@settings(max_examples=60, deadline=None)
@given(well_formed(), st.data())
def test_a_record_read_from_iso2709_round_trips_lazily_and_after_an_edit(
    record: Record, data: st.DataObject
) -> None:
    try:
        raw = iso2709.encode(record)
    except iso2709.RecordTooLongError:
        assume(False)
        raise
    read = iso2709.parse(raw).record
    assert read.is_lazy
    _same(compact.loads(compact.dumps(read)), iso2709.parse(raw).record)
    # Ask for one field (built, still lazy), edit it: the stored form holds the edit.
    tag = data.draw(st.sampled_from(sorted({f.tag for f in record.fields})))
    built = read.get(tag)
    assert built is not None
    assert read.is_lazy
    if built.data is not None:
        built.data += " edited"
    else:
        built.subfields.append(("z", "edited 編集"))
    back = compact.loads(compact.dumps(read))
    assert back.get(tag) == built
    _same(back, read)


def test_the_text_form_is_what_the_docstring_says() -> None:
    record = Record("x" * 24, [Field("001", data="id"), Field("245", "10", [("a", "題")])])
    assert _payload(compact.dumps(record)).decode() == "C24,2,5\n" + "x" * 24 + "001245id10\x1fa題"


def test_records_the_text_form_cannot_hold_fall_back_to_exact_json() -> None:
    odd = [
        Field("245", " ", [("a", "one indicator")]),
        Field("245", "  ", [("a", "a \x1f delimiter inside")]),
        Field("245", "  ", [("ab", "two-character code")]),
        Field("001", "  ", [("a", "control tag, no data")]),
        Field("245", "  ", [], "data under a data tag"),
        Field("2450", "  ", [("a", "four-character tag")]),
    ]
    for field in odd:
        stored = compact.dumps(Record("l" * 24, [field]))
        assert _payload(stored)[:1] == b"J", field
        _same(compact.loads(stored), Record("l" * 24, [field]))


@pytest.mark.parametrize(
    "stored",
    [b"", b"q", b"z\x00\x01", b"t\xff\xfe", b"tC24\n", b"tCx\nabc", b"tJ[1]", b"tX"],
)
def test_damaged_stored_bytes_raise_compact_error(stored: bytes) -> None:
    with pytest.raises(compact.CompactError):
        compact.loads(stored)


def test_small_records_are_stored_uncompressed_when_zlib_would_grow_them() -> None:
    stored = compact.dumps(Record("00000nam a2200000 a 4500", []))
    assert stored[:1] == b"t"


def _payload(stored: bytes) -> bytes:
    return zlib.decompress(stored[1:]) if stored[:1] == b"z" else stored[1:]
