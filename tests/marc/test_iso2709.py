"""ISO 2709 reading on hand-made damage, on the files the repository carries, and on the corpus."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
from marc_data import readable_rows
from marc_fixtures import GENERATED, REAL
from pymarc import MARCReader

from shelfwise.marc import iso2709
from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import MarcFormat, ReadRecord, Rejected, read_bytes, read_file
from shelfwise.marc.record import Field, Record

SAMPLE = Record(
    "00000nam a2200000 a 4500",
    [
        Field("001", data="ocm0001"),
        Field("245", "10", [("a", "图书馆 / 도서관 :"), ("c", "Chabon, Michael.")]),
        Field("650", " 0", [("a", "Libraries"), ("x", "History.")]),
    ],
)


def _only(data: bytes) -> ReadRecord | Rejected:
    items = list(read_bytes(data, format=MarcFormat.ISO2709))
    assert len(items) == 1, items
    return items[0]


def _rejected(data: bytes) -> str:
    item = _only(data)
    assert isinstance(item, Rejected), item
    return item.reason


def _repaired(data: bytes) -> ReadRecord:
    item = _only(data)
    assert isinstance(item, ReadRecord), item
    assert [f.subfields for f in item.record.fields] == [f.subfields for f in SAMPLE.fields]
    return item


def test_clean_record_has_no_repairs() -> None:
    item = _repaired(iso2709.encode(SAMPLE))
    assert item.repairs == []
    assert item.offset == 0


def test_wrong_leader_length_is_repaired_and_said() -> None:
    raw = iso2709.encode(SAMPLE)
    item = _repaired(b"00001" + raw[5:])
    assert any(f"disagrees with the {len(raw)} bytes" in r for r in item.repairs)


def test_wrong_base_address_is_repaired() -> None:
    raw = iso2709.encode(SAMPLE)
    item = _repaired(raw[:12] + b"00999" + raw[17:])
    assert any("base address" in r for r in item.repairs)


def test_directory_length_off_by_one_is_repaired() -> None:
    raw = bytearray(iso2709.encode(SAMPLE))
    entry = 24 + 12  # the 245 entry; make its length one short
    length = int(raw[entry + 3 : entry + 7])
    raw[entry + 3 : entry + 7] = b"%04d" % (length - 1)
    item = _repaired(bytes(raw))
    assert any("off by one" in r for r in item.repairs)


def test_missing_terminator_at_eof_is_repaired() -> None:
    item = _repaired(iso2709.encode(SAMPLE)[:-1])
    assert item.repairs[0].startswith("record terminator missing")


def test_directory_pointing_past_the_end_is_rejected() -> None:
    raw = bytearray(iso2709.encode(SAMPLE))
    entry = 24 + 24  # the 650 entry
    raw[entry + 7 : entry + 12] = b"90000"
    raw[0:5] = b"00950"
    reason = _rejected(bytes(raw))
    assert "leader record length 00950 disagrees" in reason
    assert "directory entry 650 points past the end of the record" in reason


def test_directory_pointing_into_a_field_is_rejected() -> None:
    raw = bytearray(iso2709.encode(SAMPLE))
    entry = 24 + 12
    start = int(raw[entry + 7 : entry + 12])
    raw[entry + 7 : entry + 12] = b"%05d" % (start + 3)
    raw[24 + 24 + 7 : 24 + 24 + 12] = b"00001"  # and out of order, so no in-order repair
    assert "starts inside another field" in _rejected(bytes(raw))


def test_non_numeric_directory_is_rejected() -> None:
    raw = bytearray(iso2709.encode(SAMPLE))
    raw[24 + 3 : 24 + 7] = b"00x1"
    assert "non-numeric length or start" in _rejected(bytes(raw))


def test_empty_directory_with_data_is_rejected_and_reading_goes_on() -> None:
    # A field terminator where the first directory entry should be: the fields
    # that follow have no tags. This used to escape as a ValueError (issue 15).
    raw = bytearray(iso2709.encode(SAMPLE))
    raw[24] = 0x1E
    items = list(read_bytes(bytes(raw) + iso2709.encode(SAMPLE)))
    assert [type(i) for i in items] == [Rejected, ReadRecord]
    assert isinstance(items[0], Rejected)
    assert "directory is empty but the data section holds" in items[0].reason


def test_truncated_record_is_rejected() -> None:
    raw = iso2709.encode(SAMPLE)
    assert "file ends inside a record" in _rejected(raw[:30])


def test_garbage_is_rejected_and_reading_goes_on() -> None:
    good = iso2709.encode(SAMPLE)
    items = list(read_bytes(good + b"\x00garbage\xff\xfe bytes\x1d" + good))
    assert [type(i) for i in items] == [ReadRecord, Rejected, ReadRecord]
    _first, bad, last = items
    assert isinstance(bad, Rejected)
    assert "too short" in bad.reason
    assert bad.offset == len(good) + 1  # the NUL is skipped as padding
    assert isinstance(last, ReadRecord)
    assert last.offset == len(good) + len(b"\x00garbage\xff\xfe bytes\x1d")


def test_empty_and_unknown_files_are_one_rejection() -> None:
    (empty,) = list(read_bytes(b""))
    assert isinstance(empty, Rejected)
    assert empty.reason == "the file is empty"
    (other,) = list(read_bytes(b"%PDF-1.4 not marc"))
    assert isinstance(other, Rejected)
    assert "not MARC" in other.reason


def test_blank_leader09_with_utf8_data_is_read_as_utf8() -> None:
    raw = iso2709.encode(SAMPLE)
    item = _repaired(raw[:9] + b" " + raw[10:])
    assert item.encoding == "utf-8"
    assert "leader/09 blank but data is UTF-8" in item.repairs


def test_invalid_utf8_is_replaced_and_noted() -> None:
    raw = iso2709.encode(SAMPLE).replace(b"Libraries", b"Librar\xffes")
    item = _only(raw)
    assert isinstance(item, ReadRecord)
    assert item.record.subfield_values("650", "a") == ["Librar\ufffdes"]
    assert any("field 650: invalid utf-8 bytes (ff" in r for r in item.repairs)


def test_encoding_override_wins() -> None:
    raw = iso2709.encode(SAMPLE, encoding="gb18030")
    item = _only(raw)
    assert isinstance(item, ReadRecord)
    assert item.encoding != "gb18030"
    (forced,) = list(read_bytes(raw, encoding="GBK"))
    assert isinstance(forced, ReadRecord)
    assert forced.encoding == "gb18030"
    assert forced.record.subfield_values("245", "a") == ["图书馆 / 도서관 :"]


# ----------------------------------------------- real and generated files in the repository

# UTF-8 ISO 2709 the repository carries: real files of other projects and our own.
UTF8_FILES = [
    REAL / "traject/test/test_support/test_data.utf8.mrc",
    REAL / "yaz/test/marc-files/marccol1.u8.marc",
    REAL / "marc4j/test/resources/pride-and-prejudice-fixed.mrc",
    GENERATED / "marc8.utf8.mrc",
]


def _clean_utf8(paths: list[Path]) -> list[ReadRecord]:
    out = []
    for path in paths:
        for item in read_file(path):
            if isinstance(item, ReadRecord) and item.encoding == "utf-8" and not item.repairs:
                # UNIMARC records are left out: writing UTF-8 rewrites 100 $a/26-33.
                marc21 = item.dialect is not Dialect.UNIMARC
                if marc21 and item.record.leader[9] == "a" and item.raw[20:24] == b"4500":
                    out.append(item)
    return out


def _re_encode_byte_for_byte(items: list[ReadRecord]) -> None:
    differ = []
    for item in items:
        again = iso2709.encode(item.record)
        if again != item.raw:
            differ.append(item)
            # The only tolerated difference: empty subfields or a trailing delimiter,
            # which the model does not keep; the fields must still agree.
            (back,) = list(read_bytes(again))
            assert isinstance(back, ReadRecord)
            assert back.record.fields == item.record.fields
    assert len(differ) <= len(items) // 100, [d.raw[:40] for d in differ[:3]]


def test_clean_utf8_records_re_encode_byte_for_byte() -> None:
    items = _clean_utf8(UTF8_FILES)
    assert len(items) > 50
    _re_encode_byte_for_byte(items)


def _pymarc_fields(record: object) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    for f in record.fields:  # type: ignore[attr-defined]
        if f.is_control_field():
            out.append((f.tag, f.data))
        else:
            out.append((f.tag, [(s.code, s.value) for s in f.subfields]))
    return out


def _ours(record: Record) -> list[tuple[str, object]]:
    return [(f.tag, f.data if f.data is not None else f.subfields) for f in record.fields]


def _agrees_with_pymarc(path: Path) -> None:
    ours = [i for i in read_file(path)]
    with path.open("rb") as f:
        theirs = list(MARCReader(f, to_unicode=True, force_utf8=False))
    assert len(ours) == len(theirs)
    for mine, other in zip(ours, theirs, strict=True):
        assert isinstance(mine, ReadRecord)
        assert other is not None
        assert _ours(mine.record) == _pymarc_fields(other)


@pytest.mark.parametrize("path", [*UTF8_FILES, GENERATED / "marc8.mrc"], ids=lambda p: p.name)
def test_pymarc_agrees_field_for_field(path: Path) -> None:
    _agrees_with_pymarc(path)


def _nfc_fields(record: Record, skip: set[str]) -> list[tuple[str, object]]:
    # marc4j writes the MARC-8 ligature and double-tilde halves (pymarc: U+FE20-FE23)
    # as one combining double mark; fold both spellings before comparing.
    def n(s: str) -> str:
        s = s.replace("\ufe20", "\u0361").replace("\ufe21", "")
        return unicodedata.normalize("NFC", s.replace("\ufe22", "\u0360").replace("\ufe23", ""))

    return [
        (f.tag, n(f.data) if f.data is not None else [n(v) for _, v in f.subfields])
        for f in record.fields
        if f.tag not in skip
    ]


def _twins_agree(marc8: Path, utf8: Path, skip: set[str]) -> None:
    left = list(read_file(marc8))
    right = list(read_file(utf8))
    assert len(left) == len(right) > 0
    for a, b in zip(left, right, strict=True):
        assert isinstance(a, ReadRecord)
        assert isinstance(b, ReadRecord)
        assert (a.encoding, b.encoding) == ("marc-8", "utf-8")
        assert _nfc_fields(a.record, skip) == _nfc_fields(b.record, skip)


def test_marc8_file_matches_its_utf8_twin() -> None:
    _twins_agree(GENERATED / "marc8.mrc", GENERATED / "marc8.utf8.mrc", set())


def _offsets_point_at_the_records(path: Path, count: int) -> None:
    data = path.read_bytes()
    items = list(read_file(path))
    assert len(items) == count
    for item in items:
        assert data[item.offset : item.offset + len(item.raw)] == item.raw


def test_offsets_point_at_the_records() -> None:
    _offsets_point_at_the_records(REAL / "marc4j/test/resources/pride-and-prejudice-fixed.mrc", 383)
    _offsets_point_at_the_records(GENERATED / "damaged.mrc", 10)


# ------------------------------------------------ corpus tier: ../shared/data/marc

CORPUS_ISO_ROWS = [r for r in readable_rows() if r.format == "ISO2709"]

CORPUS_WELL_FORMED = [
    "Evergreen/Open-ILS/tests/datasets/auth-1066.mrc",
    "Evergreen/Open-ILS/tests/datasets/nepali.marc",
    "marc4j/test/resources/pride-and-prejudice-fixed.mrc",
    "traject/test/test_support/test_data.utf8.mrc",
    "Evergreen/Open-ILS/tests/datasets/lul_fre_100.mrc",
    "Evergreen/Open-ILS/tests/datasets/hebrew.marc",
    "pymarc/test/marc.dat",
]

CORPUS_TWINS = [
    ("marc4j/test/resources/brkrtest.mrc", "marc4j/test/resources/brkrtest_UTF8.mrc", set()),
    ("yaz/test/marc-files/marc7.marc", "yaz/test/marc-files/marc7.xml.marc", set()),
    # The EACC 880s differ: one holds a 0x1F inside EACC text (we, like pymarc, split
    # subfields before decoding MARC-8; yaz decodes first), and pymarc's EACC table
    # lacks some characters yaz maps. Every other field, Greek included, must agree.
    ("yaz/test/marc-files/marc12.marc", "yaz/test/marc-files/marc12.xml.marc", {"880"}),
]


def test_corpus_clean_utf8_records_re_encode_byte_for_byte(marc_corpus: Path) -> None:
    items = _clean_utf8([row.path for row in CORPUS_ISO_ROWS])
    assert len(items) > 900
    _re_encode_byte_for_byte(items)


@pytest.mark.parametrize("local_path", CORPUS_WELL_FORMED)
def test_corpus_pymarc_agrees_field_for_field(marc_corpus: Path, local_path: str) -> None:
    _agrees_with_pymarc(marc_corpus / local_path)


@pytest.mark.parametrize(("marc8", "utf8", "skip"), CORPUS_TWINS)
def test_corpus_marc8_file_matches_its_utf8_twin(
    marc_corpus: Path, marc8: str, utf8: str, skip: set[str]
) -> None:
    _twins_agree(marc_corpus / marc8, marc_corpus / utf8, skip)


def test_corpus_offsets_point_at_the_records(marc_corpus: Path) -> None:
    _offsets_point_at_the_records(
        marc_corpus / "Evergreen/Open-ILS/tests/datasets/jazz_1k.mrc", 1000
    )
