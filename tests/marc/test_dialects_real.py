"""The dialect mappings on real records (copies in tests/fixtures/marc/real), read with our reader.

dp2's SRU samples (10 BNU records as CNMARC-XML, the same as UNIMARC-XML, and 10
Chinese MARC 21 records) and the Taiwanese CMARC records inside marc4j's
pride-and-prejudice file. Expected values were read from the files by eye.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from marc_fixtures import REAL

from shelfwise.marc.description import (
    Agent,
    Classification,
    ClassScheme,
    Description,
    Dialect,
    HoldingCopy,
)
from shelfwise.marc.dialects import describe
from shelfwise.marc.reading import ReadRecord, read_file

SRU = REAL / "dp2/dp2Catalog/SRU"
PRIDE = REAL / "marc4j/test/resources/pride-and-prejudice-fixed.mrc"


def _described(path: Path, dialect: Dialect) -> list[Description]:
    read = [r for r in read_file(path) if isinstance(r, ReadRecord)]
    return [describe(r.record, dialect) for r in read]


@pytest.fixture(scope="module")
def cnmarc() -> list[Description]:
    return _described(SRU / "sample_cnmarcxml.xml", Dialect.UNIMARC)


@pytest.fixture(scope="module")
def unimarc() -> list[Description]:
    return _described(SRU / "sample_unimarcxml.xml", Dialect.UNIMARC)


@pytest.fixture(scope="module")
def marc21() -> list[Description]:
    return _described(SRU / "sample_marcxml.xml", Dialect.MARC21)


@pytest.fixture(scope="module")
def taiwan() -> list[Description]:
    everything = _described(PRIDE, Dialect.UNIMARC)
    # The UNIMARC-family records are the ones cataloguing a 200 title (MARC 21 uses 245).
    return [d for d in everything if d.classifications and d.title and d.languages]


def test_first_cnmarc_record(cnmarc: list[Description]) -> None:
    assert len(cnmarc) == 10
    first = cnmarc[0]
    assert first.title == "'94中国发展报告"
    assert first.title_romanised == "'94Zhong Guo Fa Zhan Bao Gao"
    assert first.responsibility == "国家统计局编"
    assert first.publisher == "中国统计出版社"
    assert first.place == "北京"
    assert first.year == 1994
    assert first.isbns == ["9787503717444"]
    assert first.classifications == [Classification(ClassScheme.CLC, "F124", "3")]
    assert first.languages == ["chi"]
    assert first.subjects == ["经济发展 -- 概况 -- 中国 -- 1994"]
    assert first.control_number == "990002180740203961"
    assert first.control_agency == "BNU"
    # The record's own pinyin error (叶震 romanised "Xie Zhen") is kept as catalogued.
    assert first.agents[0] == Agent("叶震", "主编", "person", "Xie Zhen")
    assert Agent("国家统计局", "编", "corporate", "Guo Jia Tong Ji Ju") in first.agents
    assert first.holdings == [
        HoldingCopy(barcode=None, call_number="F124/26", branch="BNU", price="CNY68.00")
    ]


def test_every_cnmarc_record_has_core_fields(cnmarc: list[Description]) -> None:
    titles = [d.title for d in cnmarc]
    assert titles[2] == "'96 中国发展报告"
    assert titles[7] == "’92中国发展报告"
    assert cnmarc[2].other_titles[0] == "中国的“八五”"
    assert cnmarc[6].classifications == [
        Classification(ClassScheme.CLC, "F124", "4"),
        Classification(ClassScheme.CLC, "F12", "4"),
    ]
    assert cnmarc[9].series == ["中国发展报告书"]  # 225 and 410 say the same
    assert [a.name for a in cnmarc[9].agents] == ["季野", "张西明", "曲克敏"]
    assert cnmarc[9].holdings[0].call_number == "D668/bnu4"
    assert cnmarc[9].holdings[0].location == "bk"
    assert cnmarc[3].title_romanised is None  # the e-book record has no pinyin
    for desc in cnmarc:
        assert desc.isbns
        assert desc.publisher
        assert desc.year is not None
        assert any(c.scheme is ClassScheme.CLC for c in desc.classifications)


def test_unimarcxml_twin_maps_like_cnmarcxml(
    cnmarc: list[Description], unimarc: list[Description]
) -> None:
    assert len(unimarc) == 10
    for a, b in zip(cnmarc, unimarc, strict=True):
        assert (a.title, a.isbns, a.classifications) == (b.title, b.isbns, b.classifications)


def test_marc21_chinese_records(marc21: list[Description]) -> None:
    assert len(marc21) == 10
    second = marc21[1]
    assert second.title == "'08中国改革跟踪报告"
    assert second.responsibility == "国家发展和改革委员会经济体制与管理研究所课题组编"
    assert second.publisher == "高等教育出版社"
    assert second.place == "北京"
    assert second.year == 2008
    assert second.isbns == ["9787040247657"]
    assert second.control_agency == "HTST"
    assert second.languages == ["chi"]
    eighth = marc21[7]
    assert eighth.title == "'90中国犹太学研究总汇"
    assert eighth.year == 1992  # 260 $c "1992.8"
    assert [(a.name, a.role) for a in eighth.agents] == [("朱威烈", "编"), ("金应忠", "编")]


def test_taiwanese_cmarc_records(taiwan: list[Description]) -> None:
    assert len(taiwan) == 17
    by_title = {d.control_number: d for d in taiwan}
    first = by_title["00085390"]
    assert first.title == "傲慢與偏見"
    assert first.responsibility == "簡.奧斯丁著 ; 張玲,張揚譯"
    assert first.publisher == "人民文學出版社"
    assert first.year == 1993
    assert first.edition == "第1版"
    assert first.isbns == ["9787020016334"]
    assert Classification(ClassScheme.OTHER, "873", None) in first.classifications
    assert [(a.name, a.role) for a in first.agents] == [
        ("奧斯丁", "著"),
        ("張揚", "譯"),  # 702 $a張 $b揚: a Chinese name is joined without a separator
        ("張玲", "譯"),
    ]
    assert first.holdings[0].barcode == "00143072nhu"
    assert first.holdings[0].call_number == "873 2741"
    peter_pan = by_title["100717264"]
    assert peter_pan.parallel_titles == ["Peter Pan"]
    assert peter_pan.year == 1995  # 210 $d "民84."
    english = by_title["1074414"]
    assert english.agents[0].name == "Austen, Jane"
    assert Classification(ClassScheme.DDC, "823.7", None) in english.classifications
