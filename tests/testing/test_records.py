"""The seeded record generator: determinism, validity, and the documented mix."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from shelfwise.core.isbn import compact, is_valid, to_isbn13
from shelfwise.marc.record import Record
from shelfwise.testing import records as gen
from shelfwise.testing.branches import DEMO_BRANCHES, barcode_is_valid
from shelfwise.testing.records import generate_record, generate_records, record_kind, write_records

SAMPLE = 20_000

_CLC = re.compile(r"[A-Z][A-Z]?\d*(\.\d+)*(-\d+)?")
_DECIMAL = re.compile(r"\d{3}(\.\d+)?")


@pytest.fixture(scope="module")
def sample() -> list[Record]:
    return list(generate_records(SAMPLE, seed=42))


def _isbn(record: Record) -> str:
    tag = "010" if record.get("690") is not None else "020"
    value = to_isbn13(record.subfield_values(tag, "a")[0])
    assert value is not None
    return value


def _title(record: Record) -> str:
    tag = "200" if record.get("690") is not None else "245"
    return record.subfield_values(tag, "a")[0]


def _barcodes(record: Record) -> list[str]:
    return (
        record.subfield_values("905", "b")
        + record.subfield_values("049", "l")
        + record.subfield_values("852", "p")
    )


def test_same_seed_same_records_and_chunks_equal_one_shot() -> None:
    one_shot = list(generate_records(240, seed=7))
    assert one_shot == list(generate_records(240, seed=7))
    chunked = [
        r
        for start in range(0, 240, 70)
        for r in generate_records(min(70, 240 - start), seed=7, start=start)
    ]
    assert chunked == one_shot
    assert generate_record(199, seed=7) == one_shot[199]
    assert list(generate_records(50, seed=8)) != one_shot[:50]


def test_negative_arguments_are_refused() -> None:
    with pytest.raises(ValueError, match="non-negative"):
        list(generate_records(-1))


def test_every_isbn_is_valid(sample: list[Record]) -> None:
    for record in sample:
        for value in record.subfield_values("010", "a") + record.subfield_values("020", "a"):
            assert is_valid(value), value


def test_barcodes_are_unique_and_checked(sample: list[Record]) -> None:
    codes = [code for record in sample for code in _barcodes(record)]
    assert len(codes) == len(set(codes))
    assert all(barcode_is_valid(code) for code in codes)
    assert SAMPLE <= len(codes) <= 4 * SAMPLE


def test_language_mix_matches_documented_rates(sample: list[Record]) -> None:
    kinds = Counter(record_kind(r) for r in sample)
    chinese = kinds["zh"] + kinds["zh-Hant"]
    korean = kinds["ko"] + kinds["ko-CK"]
    assert abs(chinese / SAMPLE - gen.SHARE_CHINESE) < 0.015
    assert abs(korean / SAMPLE - gen.SHARE_KOREAN) < 0.015
    assert abs(kinds["en"] / SAMPLE - (1 - gen.SHARE_CHINESE - gen.SHARE_KOREAN)) < 0.015
    assert abs(kinds["zh-Hant"] / chinese - gen.TRADITIONAL_SHARE) < 0.015
    assert abs(kinds["ko-CK"] / korean - gen.CHINESE_KOREAN_SHARE) < 0.03
    english = [r for r in sample if record_kind(r) == "en"]
    isbn10 = sum(len(compact(r.subfield_values("020", "a")[0])) == 10 for r in english)
    assert abs(isbn10 / len(english) - gen.ISBN10_SHARE) < 0.02


def test_chinese_korean_spelling_only_in_chinese_korean_records(sample: list[Record]) -> None:
    ck_words = re.compile(r"(^|\s)(력사|로동|룡정|리론|녀성|녀름|료리|료녕|래일|락원|로인|리해)")
    found = Counter(
        record_kind(r)
        for r in sample
        for tag in ("245", "650", "260")
        for v in r.subfield_values(tag)
        if ck_words.search(v)
    )
    assert found["ko-CK"] > 50
    assert found["ko"] == 0


def test_traditional_records_are_big5_and_simplified_ones_gb2312(sample: list[Record]) -> None:
    differing = 0
    for record in sample:
        kind = record_kind(record)
        if kind not in ("zh", "zh-Hant"):
            continue
        text = "".join(
            record.subfield_values("200", "a", "e", "f") + record.subfield_values("210", "c")
        )
        if kind == "zh-Hant":
            text.encode("cp950")  # Taiwan's Big5 (has 碁 of 碁峰)
            try:
                text.encode("gb2312")
            except UnicodeEncodeError:
                differing += 1
        else:
            text.encode("gb18030")
            "".join(record.subfield_values("200", "a")).encode("gb2312")
    assert differing > 200


def test_duplicates_share_isbn_and_title_but_not_agency(sample: list[Record]) -> None:
    first_seen: dict[str, Record] = {}
    duplicates = 0
    for record in sample:
        isbn = _isbn(record)
        earlier = first_seen.get(isbn)
        if earlier is None:
            first_seen[isbn] = record
            continue
        duplicates += 1
        assert _title(earlier) == _title(record)
        assert earlier.control("001") != record.control("001")
        agency = ("801", "b") if record.get("690") is not None else ("040", "a")
        assert earlier.subfield_values(*agency) != record.subfield_values(*agency)
    assert abs(duplicates / SAMPLE - gen.DUPLICATE_RATE) < 0.007


def test_editions_repeat_title_and_author_with_a_new_isbn(sample: list[Record]) -> None:
    by_title: dict[tuple[str, str], list[Record]] = {}
    for record in sample:
        by_title.setdefault((_title(record), _first_author(record)), []).append(record)
    editions = [r for r in sample if r.get("205") is not None or r.get("250") is not None]
    assert abs(len(editions) / SAMPLE - gen.EDITION_RATE) < 0.006
    for record in editions:
        group = by_title[(_title(record), _first_author(record))]
        assert any(_isbn(other) != _isbn(record) for other in group)


def _first_author(record: Record) -> str:
    for tag in ("701", "100", "700"):
        values = record.subfield_values(tag, "a")
        if values:
            return values[0]
    raise AssertionError(f"no author in {record.control('001')}")


def test_every_record_is_complete_and_consistent(sample: list[Record]) -> None:
    locations = {code for b in DEMO_BRANCHES for code, _, _ in b.locations}
    for record in sample:
        assert _title(record)
        assert _first_author(record)
        kind = record_kind(record)
        if kind.startswith("zh"):
            clc = record.subfield_values("690", "a")[0]
            assert _CLC.fullmatch(clc), clc
            assert set(record.subfield_values("905", "d")) == {clc}
            assert set(record.subfield_values("905", "c")) <= locations
            assert record.subfield_values("200", "9")[0]
        elif kind.startswith("ko"):
            kdc = record.subfield_values("056", "a")[0]
            assert _DECIMAL.fullmatch(kdc)
            assert record.subfield_values("056", "2") == ["6"]
            assert record.subfield_values("090", "a") == [kdc]
            assert set(record.subfield_values("049", "f")) <= locations
        else:
            ddc = record.subfield_values("082", "a")[0]
            assert _DECIMAL.fullmatch(ddc)
            assert all(h.startswith(ddc + " ") for h in record.subfield_values("852", "h"))
            assert set(record.subfield_values("852", "c")) <= locations
        assert _barcodes(record)


def test_fields_are_well_formed(sample: list[Record]) -> None:
    for record in sample[:5000]:
        assert len(record.leader) == 24
        for f in record.fields:
            assert re.fullmatch(r"\d{3}", f.tag)
            if f.tag < "010":
                assert f.data, f
                assert not f.subfields, f
            else:
                assert f.data is None, f
                assert len(f.indicators) == 2, f
                assert f.subfields, f
                assert all(len(code) == 1 and value for code, value in f.subfields), f
        f100 = record.subfield_values("100", "a")
        if record.get("690") is not None:
            assert len(f100[0]) == 36
            assert f100[0][26:28] == "50"
        else:
            f008 = record.control("008")
            assert f008 is not None
            assert len(f008) == 40
            assert f008[35:38] in ("kor", "eng")


def test_central_library_holds_the_most_copies(sample: list[Record]) -> None:
    branches = Counter(
        v for r in sample for v in r.subfield_values("905", "a") + r.subfield_values("852", "b")
    )
    branches.update(loc.split("-")[0] for r in sample for loc in r.subfield_values("049", "f"))
    assert branches.most_common(1)[0][0] == "CEN"
    assert set(branches) == {b.code for b in DEMO_BRANCHES}


def test_write_records_writes_iso2709(tmp_path: Path) -> None:
    calls: list[int] = []
    path = tmp_path / "demo.mrc"
    assert write_records(path, 120, seed=3, progress=calls.append) == 120
    raw = path.read_bytes()
    assert raw.count(b"\x1d") == 120
    assert calls == [120]
    first = next(generate_records(1, seed=3))
    assert _title(first).encode("utf-8") in raw[: raw.index(b"\x1d")]
