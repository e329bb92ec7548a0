"""Write → read round trips: random records through every format and charset we write."""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from marc_strategies import records

from shelfwise.marc import iso2709
from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import MarcFormat, ReadRecord, read_bytes
from shelfwise.marc.record import Field, Record
from shelfwise.marc.writing import MarcWriter


def _fits(record: Record, encoding: str) -> bool:
    try:
        for f in record.fields:
            (f.data if f.data is not None else "".join(v for _, v in f.subfields)).encode(encoding)
    except UnicodeEncodeError:
        return False
    return True


def _read_one(data: bytes, **kwargs: object) -> ReadRecord:
    items = list(read_bytes(data, **kwargs))  # type: ignore[arg-type]
    assert len(items) == 1
    item = items[0]
    assert isinstance(item, ReadRecord), item
    return item


def _same(a: Record, b: Record) -> None:
    assert [(f.tag, f.indicators, f.subfields, f.data) for f in a.fields] == [
        (f.tag, f.indicators, f.subfields, f.data) for f in b.fields
    ]


@settings(max_examples=60, deadline=None)
@given(records())
def test_iso2709_utf8_round_trip(record: Record) -> None:
    raw = iso2709.encode(record)
    item = _read_one(raw)
    _same(item.record, record)
    assert item.encoding == "utf-8"
    assert item.repairs == []
    assert item.record.leader[9] == "a"
    assert int(item.record.leader[:5]) == len(raw)
    assert iso2709.encode(item.record) == raw  # stable once written


@settings(max_examples=60, deadline=None)
@given(records(), st.sampled_from(["gb18030", "euc-kr"]))
def test_iso2709_legacy_charsets_round_trip(record: Record, encoding: str) -> None:
    if not _fits(record, "cp949" if encoding == "euc-kr" else encoding):
        with pytest.raises(UnicodeEncodeError):
            iso2709.encode(record, encoding=encoding)
        return
    raw = iso2709.encode(record, encoding=encoding)
    assert raw[9:10] == b" "
    item = _read_one(raw, encoding=encoding)
    _same(item.record, record)


@settings(max_examples=60, deadline=None)
@given(records())
def test_euc_kr_writer_escapes_what_it_cannot_hold_and_reads_back_losslessly(
    record: Record,
) -> None:
    # Issue 13 item 7: the writer raised on simplified Chinese, ₩ and ŏ in EUC-KR.
    out = io.BytesIO()
    with MarcWriter(out, encoding="euc-kr") as writer:
        writer.write(record)
    assert writer.escaped == (0 if _fits(record, "cp949") else 1)
    item = _read_one(out.getvalue(), encoding="euc-kr")
    _same(item.record, record)


@settings(max_examples=60, deadline=None)
@given(st.lists(records(), min_size=1, max_size=4), st.sampled_from(list(MarcFormat)))
def test_writer_round_trip_every_format(batch: list[Record], fmt: MarcFormat) -> None:
    out = io.BytesIO()
    with MarcWriter(out, format=fmt) as writer:
        for record in batch:
            writer.write(record)
    items = list(read_bytes(out.getvalue(), format=fmt))
    assert all(isinstance(i, ReadRecord) for i in items), items
    assert len(items) == len(batch)
    for item, record in zip(items, batch, strict=True):
        assert isinstance(item, ReadRecord)
        _same(item.record, record)
        assert item.format is fmt
        # The generated records carry a 245, so they read as MARC 21 unless they
        # happen to hold a 056 (KDC), which only KORMARC defines (rule D1b).
        expected = Dialect.KORMARC if any(f.tag == "056" for f in record.fields) else Dialect.MARC21
        assert item.dialect is expected


@settings(max_examples=30, deadline=None)
@given(st.lists(records(), min_size=0, max_size=4))
def test_json_array_round_trip(batch: list[Record]) -> None:
    out = io.BytesIO()
    with MarcWriter(out, format=MarcFormat.MARCJSON, json_array=True) as writer:
        for record in batch:
            writer.write(record)
    items = list(read_bytes(out.getvalue(), format=MarcFormat.MARCJSON))
    if not batch:  # "[]" holds no record
        assert items == []
        return
    assert [i.record.fields for i in items if isinstance(i, ReadRecord)] == [
        r.fields for r in batch
    ]


def test_unimarc_utf8_sets_100a_charset() -> None:
    a100 = "20020204d1994    em y0chiy0120    ea"
    record = Record(
        "01576nam0 2200409   450 ",
        [
            Field("100", "  ", [("a", a100)]),
            Field("200", "1 ", [("a", "评说 鼓励 鞭策"), ("f", "张脉峰主编")]),
        ],
    )
    raw = iso2709.encode(record)
    item = _read_one(raw)
    assert item.dialect is Dialect.UNIMARC
    assert item.encoding == "utf-8"
    written = item.record.subfield_values("100", "a")[0]
    assert written[26:34] == "50      "
    assert written[:26] == a100[:26]
    assert written[34:] == a100[34:]
    assert item.record.leader[20:24] == "450 "
    assert record.subfield_values("100", "a") == [a100]  # the caller's record is untouched


def test_unimarc_gb18030_detected_without_override() -> None:
    record = Record(
        "00000nam0 2200000   450 ",
        [
            Field("100", "  ", [("a", "20020204d1994    em y0chiy0120    ea")]),
            Field("200", "1 ", [("a", "中国房地产统计年鉴"), ("f", "国家统计局编")]),
        ],
    )
    item = _read_one(iso2709.encode(record, encoding="gb18030"))
    assert (item.dialect, item.encoding) == (Dialect.UNIMARC, "gb18030")
    assert item.record.subfield_values("200", "a") == ["中国房地产统计年鉴"]


def test_kormarc_euc_kr_detected_from_hangul() -> None:
    record = Record(
        "00000nam  2200000 c 4500",
        [Field("245", "00", [("a", "도서관 데이터"), ("d", "김예시 지음")])],
    )
    raw = iso2709.encode(record, encoding="euc-kr")
    item = _read_one(raw)
    assert (item.dialect, item.encoding) == (Dialect.KORMARC, "cp949")
    assert item.record.subfield_values("245", "a") == ["도서관 데이터"]
    assert any("KS X 1001" in r for r in item.repairs)
