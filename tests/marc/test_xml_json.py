"""MARCXML and MARC-in-JSON reading: wrappers, damage, and streaming shapes."""

from __future__ import annotations

import json

import pytest
from marc_fixtures import GENERATED, REAL

from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import MarcFormat, ReadRecord, Rejected, read_bytes, read_file
from shelfwise.testing.hostile_records import deeply_nested_json, marc_in_json

RECORD = (
    b'<record xmlns="http://www.loc.gov/MARC21/slim"><leader>00000nam a2200000 a 4500</leader>'
    b'<controlfield tag="001">x1</controlfield><datafield tag="245" ind1="1" ind2="0">'
    b'<subfield code="a">\xe5\x9b\xbe\xe4\xb9\xa6</subfield></datafield></record>'
)


def test_invalid_xml_says_how_many_records_came_first() -> None:
    data = b"<collection>" + RECORD + RECORD + b"<record><leader>broken"
    items = list(read_bytes(data))
    assert [type(i) for i in items] == [ReadRecord, ReadRecord, Rejected]
    last = items[-1]
    assert isinstance(last, Rejected)
    assert "not well-formed XML" in last.reason
    assert "2 record(s) were read before the error" in last.reason


def test_concatenated_records_without_a_root_are_read() -> None:
    items = list(read_bytes(b'<?xml version="1.0"?>\n' + RECORD + b"\n" + RECORD))
    assert [type(i) for i in items] == [ReadRecord, ReadRecord]


def test_raw_is_the_record_element() -> None:
    (item,) = list(read_bytes(b"<collection>" + RECORD + b"</collection>"))
    assert isinstance(item, ReadRecord)
    assert item.raw.startswith(b"<record")
    assert item.record.subfield_values("245", "a") == ["图书"]
    assert item.format is MarcFormat.MARCXML


def test_oai_and_sru_wrappers() -> None:
    oai = list(read_file(GENERATED / "oai-pmh.xml"))
    assert [type(i) for i in oai] == [ReadRecord, ReadRecord, ReadRecord, Rejected]
    deleted = oai[-1]
    assert isinstance(deleted, Rejected)
    assert "oai:example:99 is marked deleted" in deleted.reason
    sru = list(read_file(GENERATED / "sru.xml"))  # the last record is string-packed
    assert [i.record.control("001") for i in sru if isinstance(i, ReadRecord)] == [
        "sw-x-001",
        "sw-x-002",
        "sw-x-003",
    ]
    cn = list(read_file(REAL / "dp2/dp2Catalog/SRU/sample_cnmarcxml.xml"))
    assert len(cn) == 10
    assert all(isinstance(i, ReadRecord) and i.dialect is Dialect.UNIMARC for i in cn)
    first = cn[0]
    assert isinstance(first, ReadRecord)
    assert first.record.subfield_values("690", "a")  # CLC class number survives


def test_oai_records_that_are_not_marc_are_rejected_with_a_reason() -> None:
    oai_dc = (
        b'<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><ListRecords><record><header>'
        b"<identifier>oai:x:1</identifier></header><metadata><oai_dc:dc xmlns:oai_dc="
        b'"http://www.openarchives.org/OAI/2.0/oai_dc/"><title>T</title></oai_dc:dc>'
        b"</metadata></record></ListRecords></OAI-PMH>"
    )
    (item,) = list(read_bytes(oai_dc))
    assert isinstance(item, Rejected)
    assert "not MARC" in item.reason


def test_ndjson_resynchronises_after_a_bad_line() -> None:
    good = b'{"leader":"00000nam a2200000 a 4500","fields":[{"001":"a"}]}'
    items = list(read_bytes(good + b"\n{not json\n" + good + b"\n"))
    assert [type(i) for i in items] == [ReadRecord, Rejected, ReadRecord]
    assert items[2].offset == len(good) + len(b"\n{not json\n")


def test_json_array_and_single_object() -> None:
    good = b'{"leader":"00000nam a2200000 a 4500","fields":[{"245":{"ind1":"1","ind2":"0",'
    good += b'"subfields":[{"a":"T"}]}}]}'
    assert len(list(read_bytes(b"[" + good + b"," + good + b"]"))) == 2
    (one,) = list(read_bytes(good))
    assert isinstance(one, ReadRecord)
    assert one.record.subfield_values("245", "a") == ["T"]


def test_json_that_is_not_marc_is_rejected() -> None:
    (item,) = list(read_bytes(b'{"title": "no fields here"}'))
    assert isinstance(item, Rejected)
    assert "not MARC-in-JSON" in item.reason


def _deep_file(shape: str) -> bytes:
    good = [
        json.dumps(marc_in_json("00000nam a2200000 a 4500", [("245", ("10", [("a", t)]))]))
        for t in ("Before", "After")
    ]
    deep = deeply_nested_json().decode("ascii")
    if shape == "ndjson":
        return "\n".join([good[0], deep, good[1]]).encode()
    return ("[" + ",".join([good[0], deep, good[1]]) + "]").encode()


@pytest.mark.parametrize("shape", ["ndjson", "array"])
def test_deeply_nested_json_is_one_reject_not_the_end_of_the_file(shape: str) -> None:
    # Issue 13 item 9: json's recursion limit raised RecursionError out of the reader.
    items = list(read_bytes(_deep_file(shape)))
    assert [type(i).__name__ for i in items] == ["ReadRecord", "Rejected", "ReadRecord"]
    rejected = items[1]
    assert isinstance(rejected, Rejected)
    assert "nested 100,006 levels deep" in rejected.reason
    assert rejected.raw.startswith(b'{"leader"')
    assert rejected.raw.endswith(b"}]}}]}")
    last = items[2]
    assert isinstance(last, ReadRecord)
    assert last.record.subfield_values("245", "a") == ["After"]


def test_a_deep_value_cut_off_by_the_end_of_the_file_is_rejected_with_the_rest() -> None:
    items = list(read_bytes(_deep_file("ndjson")[:-200]))
    assert [type(i).__name__ for i in items] == ["ReadRecord", "Rejected"]
    assert isinstance(items[1], Rejected)
    assert "unfinished JSON value" in items[1].reason
