"""The generated MARC fixtures: the builder reproduces them, and the reader reads what they hold.

Each file stands in for a class of input the real corpus exercises (see
``marc_fixtures.py``); the values compared here are the builder's own text, so a
reader that decodes an escape, a charset or a wrapper wrongly fails here.
"""

from __future__ import annotations

import csv
import unicodedata

import pytest
from marc_fixtures import (
    ANSEL_TITLE,
    CNMARC_PINYIN,
    CNMARC_TITLE,
    CP1251_TITLES,
    CYRILLIC_TITLE,
    DAMAGED_TITLE,
    DESCRIPTIONS,
    EACC_AUTHOR,
    EACC_SIMPLIFIED,
    EACC_TITLE,
    GB18030_RARE,
    GENERATED,
    GREEK_TITLE,
    KORMARC_TITLES,
    SUBSCRIPT_NOTE,
    build,
    damaged_parts,
    xml_records,
)

from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import ReadRecord, Rejected, read_file


def _read(name: str, encoding: str | None = None) -> list[ReadRecord | Rejected]:
    return list(read_file(GENERATED / name, encoding=encoding))


def _records(name: str, encoding: str | None = None) -> list[ReadRecord]:
    items = _read(name, encoding)
    assert all(isinstance(i, ReadRecord) for i in items), items
    return [i for i in items if isinstance(i, ReadRecord)]


def _nfc(values: list[str]) -> list[str]:
    return [unicodedata.normalize("NFC", v) for v in values]


def test_the_builder_reproduces_the_committed_files() -> None:
    built = build()
    on_disk = {p.name for p in GENERATED.iterdir()} - {"README.md"}
    assert on_disk == set(built), "run: python tests/marc/marc_fixtures.py"
    changed = sorted(n for n, data in built.items() if (GENERATED / n).read_bytes() != data)
    assert changed == [], "the builder writes other bytes now: regenerate and review the diff"


@pytest.mark.parametrize("name", sorted(DESCRIPTIONS))
def test_generated_fixtures_read_as_described(name: str) -> None:
    with (GENERATED / "MANIFEST.tsv").open(encoding="utf-8", newline="") as f:
        row = {r["file"]: r for r in csv.DictReader(f, delimiter="\t")}[name]
    items = _read(name, "cp1251" if name == "cp1251.mrc" else None)
    read = [i for i in items if isinstance(i, ReadRecord)]
    rejected = [i for i in items if isinstance(i, Rejected)]
    assert (len(read), len(rejected)) == (int(row["read"]), int(row["rejected"]))
    assert all(r.reason.strip() for r in rejected)


def test_marc8_escapes_ansel_and_eacc() -> None:
    cjk, latin, scripts = _records("marc8.mrc")
    assert {r.encoding for r in (cjk, latin, scripts)} == {"marc-8"}
    assert all(r.repairs == [] for r in (cjk, latin, scripts))
    vernacular = cjk.record.get_fields("880")
    assert _nfc(vernacular[0].values("a")) == [EACC_AUTHOR]
    assert _nfc(vernacular[1].values("a", "b")) == [EACC_TITLE, EACC_SIMPLIFIED]
    assert vernacular[1].first("6") == "245-02/$1"
    assert _nfc(latin.record.subfield_values("245", "a")) == [ANSEL_TITLE]
    assert scripts.record.subfield_values("245", "a") == [CYRILLIC_TITLE]
    assert scripts.record.subfield_values("246", "a") == [GREEK_TITLE]
    assert scripts.record.subfield_values("500", "a") == [SUBSCRIPT_NOTE]


def test_cp1251_is_read_when_asked() -> None:
    records = _records("cp1251.mrc", "cp1251")
    assert [r.record.subfield_values("245", "a")[0] for r in records] == list(CP1251_TITLES)
    assert {r.encoding for r in records} == {"cp1251"}


def test_cnmarc_in_gb18030_and_utf8() -> None:
    gb = _records("cnmarc-gb18030.mrc")
    assert {(r.dialect, r.encoding) for r in gb} == {(Dialect.UNIMARC, "gb18030")}
    assert gb[0].record.subfield_values("200", "a", "A") == [CNMARC_TITLE, CNMARC_PINYIN]
    assert gb[1].record.subfield_values("200", "a")[0].startswith(GB18030_RARE)
    assert GB18030_RARE.encode("gb18030") in gb[1].raw  # four bytes, outside GBK
    assert gb[0].record.subfield_values("100", "a")[0][26:30] == "0120"
    utf8 = _records("cnmarc-utf8.mrc")
    assert {(r.dialect, r.encoding) for r in utf8} == {(Dialect.UNIMARC, "utf-8")}
    assert utf8[0].record.subfield_values("690", "a") == ["K293.1"]


def test_kormarc_in_euc_kr_by_agency_and_by_hangul() -> None:
    with_nlk, by_hangul = _records("kormarc-euc-kr.mrc")
    assert with_nlk.record.get("040") is not None
    assert by_hangul.record.get("040") is None
    assert by_hangul.record.get("056") is None
    for record, title in zip((with_nlk, by_hangul), KORMARC_TITLES, strict=True):
        assert (record.dialect, record.encoding) == (Dialect.KORMARC, "cp949")
        assert record.record.subfield_values("245", "a") == [title]
        assert record.raw == record.raw.decode("euc-kr").encode("euc-kr")  # strict EUC-KR


def test_damaged_records_are_repaired_or_rejected_and_reading_goes_on() -> None:
    items = _read("damaged.mrc")
    parts = damaged_parts()
    assert len(items) == len(parts)
    outcome = {what: item for (what, _), item in zip(parts, items, strict=True)}
    for sound in ("sound", "sound after the garbage"):
        item = outcome[sound]
        assert isinstance(item, ReadRecord)
        assert item.repairs == []
        assert item.record.subfield_values("245", "a") == [DAMAGED_TITLE]
    repaired = {
        "leader length lies": "leader record length 00001 disagrees",
        "base address lies": "leader base address '00999' disagrees",
        "invalid UTF-8 bytes": "field 650: invalid utf-8 bytes (ff",
    }
    for what, note in repaired.items():
        item = outcome[what]
        assert isinstance(item, ReadRecord), what
        assert any(note in r for r in item.repairs), (what, item.repairs)
    rejected = {
        "directory points past the end": "points past the end of the record",
        "directory points into a field": "starts inside another field",
        "directory not numeric": "non-numeric length or start",
        "garbage between records": "too short to be a MARC record",
        "truncated at the end of the file": "the file ends inside a record",
    }
    for what, reason in rejected.items():
        item = outcome[what]
        assert isinstance(item, Rejected), what
        assert reason in item.reason, (what, item.reason)


@pytest.mark.parametrize(
    "name",
    [
        "marcxml-namespace.xml",
        "marcxml-prefixed.xml",
        "marcxml-no-namespace.xml",
        "oai-pmh.xml",
        "sru.xml",
        "marc-in-json.ndjson",
        "marc-in-json-array.json",
    ],
)
def test_every_wrapper_gives_the_same_records(name: str) -> None:
    read = [i for i in _read(name) if isinstance(i, ReadRecord)]
    assert [r.record.fields for r in read] == [r.fields for r in xml_records()]
    assert [r.record.leader for r in read] == [r.leader for r in xml_records()]
