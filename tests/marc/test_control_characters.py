"""C0 control characters in records: repaired on import with notes, never fatal to a writer.

Issue 13 item 1: an ISO 2709 record with 0x01 bytes in its 008 imported without
a note and then broke every XML door. These records carry every C0 control in
the leader, control fields, indicators, tags, subfield codes and subfields.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from marc_strategies import codes, data_tags, indicators

from shelfwise.marc import control_characters, marcxml
from shelfwise.marc.reading import MarcFormat, ReadRecord, read_bytes
from shelfwise.marc.record import Field, Record
from shelfwise.marc.writing import MarcWriter
from shelfwise.testing.hostile_records import (
    ALL_C0,
    control_characters_iso2709,
    control_characters_json,
)


def _one(data: bytes, **kwargs: object) -> ReadRecord:
    items = list(read_bytes(data, **kwargs))  # type: ignore[arg-type]
    assert len(items) == 1
    assert isinstance(items[0], ReadRecord), items[0]
    return items[0]


def _texts(record: Record) -> list[str]:
    out = [record.leader]
    for f in record.fields:
        out += [f.tag, f.indicators]
        out += [f.data] if f.data is not None else [x for pair in f.subfields for x in pair]
    return out


def test_iso2709_record_with_every_c0_control_is_repaired_and_noted() -> None:
    item = _one(control_characters_iso2709())
    record = item.record
    assert not any(control_characters.has_forbidden(t) for t in _texts(record))
    # Positions keep their meaning: the leader and 008 keep their length and fixed parts.
    assert len(record.leader) == 24
    assert record.leader[17:20] == "   "
    f008 = record.control("008")
    assert f008 is not None
    assert len(f008) == 40
    assert f008.startswith("880101s1990|||||")
    assert record.control("001") == "c1"
    title = record.get("245")
    assert title is not None
    assert title.indicators == "1 "
    # TAB, LF, VT, FF and CR become spaces, the rest go
    assert title.subfields == [("a", "Countries" + " " * 5 + " of the world")]
    note = record.get("500")
    assert note is not None
    assert note.subfields == [("a", "line one  line two after a tab")]
    joined = " / ".join(item.repairs)
    for place in ("leader", "field 001", "field 008", "field 245 indicators", "field 245 $a"):
        assert place in joined, joined
    assert "0x01" in joined
    assert "0x1B" in joined


def test_marc_in_json_carries_the_terminators_and_surrogates_too() -> None:
    item = _one(control_characters_json(), format=MarcFormat.MARCJSON)
    assert not any(control_characters.has_forbidden(t) for t in _texts(item.record))
    title = item.record.get("245")
    assert title is not None
    assert title.subfields[0] == ("a", "Countries" + " " * 5 + "\ufffd in JSON")
    assert title.subfields[1] == ("?", "x")
    assert any("U+D800" in note for note in item.repairs)


def test_a_clean_record_is_returned_as_is() -> None:
    record = Record("00000nam a2200000 a 4500", [Field("245", "10", [("a", "Fine")])])
    repaired, notes = control_characters.repair(record)
    assert repaired is record
    assert notes == []


def test_unimarc_coded_data_keeps_its_positions() -> None:
    general = "20240101d2024    em y0chiy50      ea"
    record = Record(
        "     nam0 22        450 ",
        [
            Field("100", "  ", [("a", general[:10] + "\x01\x02" + general[12:])]),
            Field("200", "1 ", [("a", "书\x01名")]),
        ],
    )
    repaired, notes = control_characters.repair(record)
    assert repaired.subfield_values("100", "a") == [general[:10] + "||" + general[12:]]
    assert repaired.subfield_values("200", "a") == ["书名"]
    assert len(notes) == 2


_ANY_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from([*ALL_C0, "\ud800", "\udfff", "\ufffe", "\uffff"]),
        st.characters(codec="utf-8"),
        st.sampled_from(list("历史역사abc")),
    ),
    max_size=20,
)


@st.composite
def stored_records(draw: st.DrawFn) -> Record:
    """Records as a database written before the repair existed may hold them: anything."""
    fields = []
    for _ in range(draw(st.integers(1, 6))):
        if draw(st.booleans()):
            fields.append(Field(draw(st.sampled_from(["001", "005", "008"])), data=draw(_ANY_TEXT)))
        else:
            subs = draw(st.lists(st.tuples(codes, _ANY_TEXT), min_size=1, max_size=4))
            ind = draw(st.one_of(indicators, st.sampled_from(["\x01\x02", "1\x1f"])))
            fields.append(Field(draw(data_tags), ind, subs))
    leader = draw(
        st.text(alphabet=st.sampled_from("0123 na\x01\x1d\x1e"), min_size=24, max_size=24)
    )
    return Record(leader, fields)


@settings(max_examples=80, deadline=None)
@given(stored_records())
def test_no_writer_fails_on_a_stored_record(record: Record) -> None:
    element = marcxml.record_to_element(record)
    reparsed = etree.fromstring(etree.tostring(element))
    assert len(reparsed.findall(f"{{{marcxml.SLIM}}}*")) == 1 + len(record.fields)
    for fmt in MarcFormat:
        out = io.BytesIO()
        with MarcWriter(out, format=fmt) as writer:
            writer.write(record)
        back = list(read_bytes(out.getvalue(), format=fmt))
        assert len(back) == 1
        assert isinstance(back[0], ReadRecord), back[0]
        assert len(back[0].record.fields) == len(record.fields)
        assert not any(control_characters.has_forbidden(t) for t in _texts(back[0].record))


@pytest.mark.parametrize("text", ["plain", "tab\there", "a\x01b", "\ud800x", "\ufffe"])
def test_xml_text_is_always_acceptable_to_lxml(text: str) -> None:
    el = etree.Element("x")
    el.text = control_characters.xml_text(text)
    assert etree.fromstring(etree.tostring(el)).text in (None, el.text)
