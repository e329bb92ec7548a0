"""Each mapping rule of each dialect, on records built in code."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.marc.description import (
    Agent,
    Classification,
    ClassScheme,
    Dialect,
    HoldingCopy,
)
from shelfwise.marc.dialects import describe, render_doc
from shelfwise.marc.mapping_rules import clean, join_name, year_of
from shelfwise.marc.record import Field, Record

REPO_ROOT = Path(__file__).resolve().parents[2]


def df(tag: str, *pairs: str, ind: str = "  ") -> Field:
    """A data field from "a", "value", "b", "value"... pairs."""
    return Field(tag, ind, list(zip(pairs[::2], pairs[1::2], strict=True)))


def rec(*fields: Field, leader: str = "00000nam a2200000 a 4500") -> Record:
    return Record(leader=leader, fields=list(fields))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Pride and prejudice /", "Pride and prejudice"),
        ("London :", "London"),
        ("Austen, Jane,", "Austen, Jane"),
        ("Bantam Books, ", "Bantam Books"),
        ("2nd ed.", "2nd ed."),
        ("Smith, J.", "Smith, J."),
        ("by Jane Austen.", "by Jane Austen"),
        ("著.", "著"),
        ("本书由张塞主编。", "本书由张塞主编。"),
        ("Wait...", "Wait..."),
        ("  spaced ; ", "spaced"),
    ],
)
def test_clean_isbd_punctuation(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "year"),
    [
        ("c2013.", 2013),
        ("[1998?]", 1998),
        ("2010印刷", 2010),
        ("1993[民82]", 1993),
        ("民国25年", 1936),
        ("民84.", 1995),
        ("民.", None),
        ("19--", None),
        ("0999", None),
        (None, None),
    ],
)
def test_year_of(raw: str | None, year: int | None) -> None:
    assert year_of(raw) == year


def test_join_name() -> None:
    assert join_name("张", "扬") == "张扬"
    assert join_name("Austen", "Jane") == "Austen, Jane"
    assert join_name("奧斯丁", None) == "奧斯丁"


# --- MARC 21 ------------------------------------------------------------------


def marc21_record() -> Record:
    return rec(
        Field("001", data="ocm123"),
        Field("003", data="OCoLC"),
        Field("008", data="130101s2013    cc            000 1 chi d"),
        df("020", "a", "7-5037-1744-0 (pbk.) :", "c", "CNY48.00"),
        df("020", "z", "9787503717445"),
        df("041", "a", "chieng"),
        df("050", "a", "PL2658.E5", "b", "S5 2013"),
        df("082", "a", "895.1/352", "2", "23"),
        df("084", "a", "I247.5", "2", "clc"),
        df("084", "a", "813.6", "2", "kdc"),
        df("100", "a", "Yu, Hua,", "e", "author.", "6", "880-01", ind="1 "),
        df("245", "a", "Huo zhe :", "b", "xiao shuo /", "c", "Yu Hua zhu.", "6", "880-02"),
        df("246", "a", "To live", ind="11"),
        df("246", "a", "Huozhe", ind="3 "),
        df("250", "a", "Di 1 ban."),
        df("264", "a", "Beijing :", "b", "Zuo jia chu ban she,", "c", "2013.", ind=" 1"),
        df("490", "a", "Dang dai ming jia ;", "v", "3"),
        df("500", "a", "Translated note."),
        df("650", "a", "Families", "z", "China", "v", "Fiction.", ind=" 0"),
        df("700", "a", "Zhang, San,", "4", "trl", "6", "880-03"),
        df("710", "a", "Zuo jia chu ban she.", "e", "publisher."),
        df("880", "a", "余华,", "e", "author.", "6", "100-01/$1", ind="1 "),
        df("880", "a", "活着 :", "b", "小说 /", "c", "余华著.", "6", "245-02/$1"),
        df("880", "a", "张三,", "6", "700-03/$1"),
        df("880", "a", "小说新编", "6", "490-00/$1"),
        df("952", "a", "MAIN", "c", "STACKS", "o", "I247.5/123", "p", "31234", "g", "48.00"),
        df("852", "b", "EAST", "c", "REF", "h", "I247.5", "i", "/123", "p", "31235"),
    )


def test_marc21_prefers_the_linked_vernacular() -> None:
    desc = describe(marc21_record(), Dialect.MARC21)
    assert desc.title == "活着"
    assert desc.title_romanised == "Huo zhe"
    assert desc.other_titles == ["小说", "Huozhe"]
    assert desc.parallel_titles == ["To live"]
    assert desc.responsibility == "余华著"
    assert desc.agents == [
        Agent("余华", "author", "person", "Yu, Hua", primary=True),
        Agent("张三", "trl", "person", "Zhang, San"),
        Agent("Zuo jia chu ban she", "publisher", "corporate"),
    ]
    # An 880 linked to nothing (occurrence 00) stands in for its tag.
    assert desc.series == ["Dang dai ming jia ; 3", "小说新编"]


def test_marc21_other_rules() -> None:
    desc = describe(marc21_record(), Dialect.MARC21)
    assert (desc.place, desc.publisher, desc.year) == ("Beijing", "Zuo jia chu ban she", 2013)
    assert desc.edition == "Di 1 ban"
    assert desc.languages == ["chi", "eng"]
    assert desc.isbns == ["9787503717444"]  # $z is never read
    assert desc.classifications == [
        Classification(ClassScheme.LCC, "PL2658.E5"),
        Classification(ClassScheme.DDC, "895.1352", "23"),
        Classification(ClassScheme.CLC, "I247.5"),
        Classification(ClassScheme.KDC, "813.6"),
    ]
    assert desc.subjects == ["Families -- China -- Fiction"]
    assert desc.notes == ["Translated note"]
    assert (desc.control_number, desc.control_agency) == ("ocm123", "OCoLC")
    assert desc.holdings == [
        HoldingCopy("31234", "I247.5/123", "MAIN", "STACKS", "48.00"),
        HoldingCopy("31235", "I247.5 /123", "EAST", "REF"),
    ]


@pytest.mark.parametrize("dialect", [Dialect.MARC21, Dialect.KORMARC])
def test_corporate_hierarchy_and_meeting_names_keep_their_punctuation(dialect: Dialect) -> None:
    # Issue 13 item 8: the ISBD full stop between a body and its unit was dropped
    # ("United States War Dept.") and a meeting name was cut at its first " :" ("(7th").
    desc = describe(
        rec(
            df("110", "a", "United States.", "b", "War Dept.", ind="1 "),
            df("245", "a", "Annual report."),
            df(
                "710",
                "a",
                "United States.",
                "b",
                "Congress",
                "n",
                "(87th, 2nd session :",
                "d",
                "1962)",
                ind="1 ",
            ),
            df(
                "711",
                "a",
                "International Conference on Ship Design",
                "n",
                "(7th :",
                "d",
                "1991 :",
                "c",
                "Rio de Janeiro, Brazil)",
                "j",
                "author.",
                ind="2 ",
            ),
            df("711", "a", "Symposium on Sorting", "n", "(3rd :", "d", "1980 :", ind="2 "),
            df("610", "a", "United States.", "b", "War Dept.", "x", "History.", ind="10"),
            df(
                "611",
                "a",
                "Olympic Games",
                "n",
                "(23rd :",
                "d",
                "1984 :",
                "c",
                "Los Angeles, Calif.)",
                "x",
                "History.",
                ind="20",
            ),
        ),
        dialect,
    )
    assert [(a.name, a.kind, a.role) for a in desc.agents] == [
        ("United States. War Dept.", "corporate", None),
        ("United States. Congress (87th, 2nd session : 1962)", "corporate", None),
        (
            "International Conference on Ship Design (7th : 1991 : Rio de Janeiro, Brazil)",
            "meeting",
            "author",
        ),
        ("Symposium on Sorting (3rd : 1980)", "meeting", None),  # the open qualifier closed
    ]
    assert desc.subjects == [
        "United States. War Dept. -- History",
        "Olympic Games (23rd : 1984 : Los Angeles, Calif.) -- History",
    ]


def test_unimarc_meeting_names_keep_number_place_and_date() -> None:
    desc = describe(
        rec(
            df("200", "a", "会议录", ind="1 "),
            df("710", "a", "北京大学.", "b", "图书馆", ind="02"),
            df(
                "711",
                "a",
                "Conference on Sorting",
                "d",
                "(3 ;",
                "e",
                "Paris ;",
                "f",
                "1987)",
                ind="12",
            ),
            leader="     nam0 22        450 ",
        ),
        Dialect.UNIMARC,
    )
    assert [(a.name, a.kind) for a in desc.agents] == [
        ("北京大学. 图书馆", "corporate"),
        ("Conference on Sorting (3 ; Paris ; 1987)", "meeting"),
    ]


def test_marc21_260_and_008_fallbacks() -> None:
    record = rec(
        Field("008", data="990101s1999    xx            000 0 eng d"),
        df("040", "a", "DLC"),
        df("245", "a", "Plain title."),
        df("260", "a", "London :", "b", "Penguin,", "c", "[19--]"),
    )
    desc = describe(record, Dialect.MARC21)
    assert (desc.title, desc.publisher, desc.year) == ("Plain title", "Penguin", 1999)
    assert desc.control_agency == "DLC"
    assert desc.title_romanised is None


@pytest.mark.parametrize(
    ("leader", "material"),
    [
        ("00000nam a2200000 a 4500", "book"),
        ("00000nas a2200000 a 4500", "serial"),
        ("00000ncm a2200000 a 4500", "score"),
        ("00000nem a2200000 a 4500", "map"),
        ("00000ngm a2200000 a 4500", "video"),
        ("00000njm a2200000 a 4500", "sound"),
        ("00000nmm a2200000 a 4500", "computer file"),
        ("00000nom a2200000 a 4500", "kit"),
        ("00000npm a2200000 a 4500", "mixed"),
        ("00000nkm a2200000 a 4500", "visual"),
        ("", "book"),
    ],
)
def test_marc21_material_type(leader: str, material: str) -> None:
    assert describe(rec(leader=leader), Dialect.MARC21).material_type == material


# --- UNIMARC / CNMARC -----------------------------------------------------------


def cnmarc_record() -> Record:
    return rec(
        Field("001", data="012345"),
        df("010", "a", "7-5037-1744-0", "d", "CNY48.00"),
        df("010", "z", "7-5037-1744-1"),
        df("100", "a", "20020204d1994    em y0chiy0120    ea"),
        df("101", "a", "chi", "a", "eng", ind="1 "),
        df(
            "200",
            "a",
            "评说",
            "h",
            "第1册",
            "i",
            "鼓励",
            "e",
            "鞭策",
            "d",
            "Comments",
            "9",
            "ping shuo",
            "f",
            "张脉峰主编",
            "g",
            "李四译",
            ind="1 ",
        ),
        df("205", "a", "第2版"),
        df("210", "a", "北京", "c", "中国统计出版社", "d", "民国25年"),
        df("225", "a", "文库", "v", "3", ind="2 "),
        df("300", "a", "有书目。"),
        df("510", "a", "Parallel", ind="1 "),
        df("606", "a", "经济发展", "x", "概况", "y", "中国", "z", "1994", "j", "统计", ind="0 "),
        df("610", "a", "关键词", "a", "另一个", ind="0 "),
        df("675", "a", "33", "v", "2"),
        df("676", "a", "330.951", "v", "22"),
        df("680", "a", "HC427.92"),
        df("686", "a", "F124", "2", "clc"),
        df("690", "a", "I206.7", "v", "4"),
        df("700", "a", "张", "b", "脉峰", "9", "zhang mai feng", "4", "主编", ind=" 0"),
        df("701", "a", "Smith", "b", "John", "4", "070", ind=" 1"),
        df("702", "a", "李四", "A", "Li Si", "4", "译", ind=" 0"),
        df("711", "a", "国际会议", "4", "编", ind="1 "),
        df("801", "a", "CN", "b", "BSD", ind=" 2"),
        df("801", "a", "CN", "b", "NLC", ind=" 0"),
        df("905", "a", "SZL", "b", "0012345", "c", "ZL", "d", "I206.7", "e", "12", "f", "2"),
        df("905", "a", "SZL", "s", "I206.7/13"),
    )


def test_cnmarc_titles_and_agents() -> None:
    desc = describe(cnmarc_record(), Dialect.UNIMARC)
    assert desc.title == "评说. 第1册. 鼓励"
    assert desc.title_romanised == "ping shuo"
    assert desc.other_titles == ["鞭策"]
    assert desc.parallel_titles == ["Comments", "Parallel"]
    assert desc.responsibility == "张脉峰主编 ; 李四译"
    assert desc.agents == [
        Agent("张脉峰", "主编", "person", "zhang mai feng", primary=True),
        Agent("Smith, John", "070", "person"),
        Agent("李四", "译", "person", "Li Si"),
        Agent("国际会议", "编", "meeting"),
    ]


def test_cnmarc_other_rules() -> None:
    desc = describe(cnmarc_record(), Dialect.UNIMARC)
    assert (desc.place, desc.publisher, desc.year) == ("北京", "中国统计出版社", 1936)
    assert desc.edition == "第2版"
    assert desc.languages == ["chi", "eng"]
    assert desc.isbns == ["9787503717444"]
    assert desc.series == ["文库 ; 3"]
    assert desc.notes == ["有书目。"]
    assert desc.subjects == ["经济发展 -- 概况 -- 中国 -- 1994 -- 统计", "关键词", "另一个"]
    assert desc.classifications == [
        Classification(ClassScheme.CLC, "I206.7", "4"),
        Classification(ClassScheme.CLC, "F124"),
        Classification(ClassScheme.UDC, "33", "2"),
        Classification(ClassScheme.DDC, "330.951", "22"),
        Classification(ClassScheme.LCC, "HC427.92"),
    ]
    assert (desc.control_number, desc.control_agency) == ("012345", "NLC")
    assert desc.holdings == [
        HoldingCopy("0012345", "I206.7/12:2", "SZL", "ZL", "CNY48.00"),
        HoldingCopy(None, "I206.7/13", "SZL", None, "CNY48.00"),
    ]


def test_unimarc_year_from_100_and_214() -> None:
    record = rec(
        df("100", "a", "20020204d1994    em y0chiy0120    ea"),
        df("200", "a", "书名"),
        df("214", "a", "Paris", "c", "Gallimard", "d", "2001", ind=" 1"),
        df("214", "a", "Lyon", "c", "Seuil", ind=" 0"),
        df("101", "a", "fre."),
        leader="00000cas0 2200000   450 ",
    )
    desc = describe(record, Dialect.UNIMARC)
    # 214 with 2nd indicator 1 is production, not publication.
    assert (desc.place, desc.publisher, desc.year) == ("Lyon", "Seuil", 1994)
    assert desc.languages == ["fre"]
    assert desc.material_type == "serial"


def test_unimarc_ignores_880_links() -> None:
    record = rec(df("200", "a", "Title", "6", "880-01"), df("880", "a", "Other", "6", "200-01"))
    assert describe(record, Dialect.UNIMARC).title == "Title"


# --- KORMARC -------------------------------------------------------------------


def test_kormarc_differences() -> None:
    record = rec(
        Field("001", data="KMO201400001"),
        df("020", "a", "9788936433598", "g", "03810", "c", "₩12000"),
        df("040", "a", "NLK", "c", "NLK"),
        df("056", "a", "813.6", "2", "6"),
        df("090", "a", "813.6", "b", "김54ㅎ"),
        df("100", "a", "김예시", ind="1 "),
        df(
            "245", "a", "도서관 데이터", "x", "Library data", "d", "김예시 지음", "e", "홍길동 옮김"
        ),
        df("260", "a", "서울 :", "b", "예시출판,", "c", "2014"),
        df("049", "l", "EM0000123", "f", "보존", "v", "1", "c", "2"),
        df("049", "l", "EM0000124"),
    )
    desc = describe(record, Dialect.KORMARC)
    assert desc.title == "도서관 데이터"
    assert desc.parallel_titles == ["Library data"]
    assert desc.responsibility == "김예시 지음 ; 홍길동 옮김"
    assert desc.agents == [Agent("김예시", None, "person", primary=True)]
    assert desc.classifications == [Classification(ClassScheme.KDC, "813.6", "6")]
    assert desc.notes == ["부가기호 03810"]
    assert desc.isbns == ["9788936433598"]
    assert desc.control_agency == "NLK"
    assert desc.holdings == [
        HoldingCopy("EM0000123", "813.6-김54ㅎ 1 c.2", location="보존"),
        HoldingCopy("EM0000124", "813.6-김54ㅎ"),
    ]


def test_mapping_doc_is_current() -> None:
    path = REPO_ROOT / "docs" / "marc-mapping.md"
    text = path.read_text(encoding="utf-8")
    assert "<!-- BEGIN GENERATED: kormarc -->" in text
    assert render_doc(text) == text, (
        "docs/marc-mapping.md is stale: run "
        "`python -m shelfwise.marc.dialects docs/marc-mapping.md`"
    )
