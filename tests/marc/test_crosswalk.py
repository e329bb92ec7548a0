"""UNIMARC/CNMARC and KORMARC → MARC 21 (issue 13 item 3): what the MARC 21 doors serve.

Every converted record validates against the Library of Congress's MARC 21 slim
schema (the copy in tests/fixtures/schemas), MARC::Lint finds nothing in the
converted CNMARC and KORMARC records that it did not find in their input, and
the converted record tells our own MARC 21 mapping what the original told the
UNIMARC or KORMARC one.
"""

from __future__ import annotations

import hashlib
import io
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree
from marc_data import readable_rows

from shelfwise.marc.crosswalk import to_marc21
from shelfwise.marc.description import Description, Dialect
from shelfwise.marc.detection import dialect_of_record
from shelfwise.marc.dialects import describe
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.marcxml import record_to_element
from shelfwise.marc.reading import ReadRecord, read_file
from shelfwise.marc.record import Field, Record
from shelfwise.testing.marc_lint import lint_warnings, need_marc_lint
from shelfwise.testing.records import generate_records

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
SCHEMA_PATH = FIXTURES / "schemas" / "MARC21slim.xsd"
SCHEMA_SHA256 = "00618de56c5628f5d8faa4528c1c0fbe6783fc21225c98e5ef47331393254879"


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    data = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256, "the schema copy was edited"
    return etree.XMLSchema(etree.fromstring(data))


def _invalid(schema: etree.XMLSchema, record: Record) -> str | None:
    if schema.validate(record_to_element(record)):
        return None
    return str(schema.error_log)


GENERATED = list(generate_records(400, seed=7))


def test_the_generated_catalogue_has_all_three_dialects() -> None:
    kinds = Counter(dialect_of_record(r) for r in GENERATED)
    assert min(kinds[d] for d in Dialect) >= 50, kinds


def test_every_generated_record_validates_as_marc21(schema: etree.XMLSchema) -> None:
    failures = [
        (r.control("001"), reason)
        for r in GENERATED
        if (reason := _invalid(schema, to_marc21(r, dialect_of_record(r)))) is not None
    ]
    assert failures == []
    # ... which the records as catalogued do not: the schema is really checked.
    unconverted = [r for r in GENERATED if _invalid(schema, r) is not None]
    assert len(unconverted) > 100


def _fixture_files() -> list[Path]:
    root = FIXTURES / "marc"
    return sorted(
        p
        for p in root.rglob("*")
        if p.is_file() and p.suffix.lower() in {".mrc", ".marc", ".xml", ".json", ".dat"}
    )


def test_every_committed_fixture_record_validates_as_marc21(schema: etree.XMLSchema) -> None:
    files = _fixture_files()
    assert files, "no committed MARC fixtures found"
    checked = 0
    failures = []
    for path in files:
        for item in read_file(path):
            if not isinstance(item, ReadRecord):
                continue
            checked += 1
            reason = _invalid(schema, to_marc21(item.record, item.dialect))
            if reason is not None:
                failures.append((path.name, item.offset, reason))
    assert checked > 400
    assert failures == []


def _lint(records: list[Record], dialect: Dialect | None) -> Counter[str]:
    data = b"".join(encode(r, dialect=dialect) for r in records)
    return lint_warnings(io.BytesIO(data))


@pytest.mark.parametrize("dialect", [Dialect.UNIMARC, Dialect.KORMARC])
def test_marc_lint_finds_nothing_new_in_converted_records(dialect: Dialect) -> None:
    need_marc_lint()
    sources = [r for r in GENERATED if dialect_of_record(r) is dialect]
    converted = [to_marc21(r, dialect) for r in sources]
    before = _lint(sources, dialect)
    assert sum(before.values()) > len(sources)  # as catalogued, Lint objects to every one
    # Without the 880s that carry CNMARC's pinyin, Lint finds nothing at all...
    plain = [Record(r.leader, [f for f in r.fields if f.tag != "880"]) for r in converted]
    assert _lint(plain, Dialect.MARC21) == Counter()
    # ... and with them only its guess that a pinyin syllable (a 啊, an 安, le 乐...) is an
    # English or French article; coding it as non-filing would mis-sort the title.
    extra = _lint(converted, Dialect.MARC21) - before
    assert all(w.startswith("245: First word, ") and "an article" in w for w in extra), extra


def _essentials(d: Description) -> dict[str, object]:
    return {
        "title": d.title,
        "title_romanised": d.title_romanised,
        "agents": [(a.name, a.role, a.kind, a.romanised) for a in d.agents],
        "publication": (d.publisher, d.place, d.year),
        "edition": d.edition,
        "languages": d.languages,
        "isbns": d.isbns,
        "classes": sorted((str(c.scheme), c.number) for c in d.classifications),
        "subjects": d.subjects,
        "series": d.series,
        "barcodes": [(h.barcode, h.branch, h.location) for h in d.holdings],
        "material": d.material_type,
        "control": (d.control_number, d.control_agency),
    }


@pytest.mark.parametrize("dialect", [Dialect.UNIMARC, Dialect.KORMARC])
def test_converted_records_describe_the_same_book(dialect: Dialect) -> None:
    for record in (r for r in GENERATED if dialect_of_record(r) is dialect):
        original = _essentials(describe(record, dialect))
        converted = _essentials(describe(to_marc21(record, dialect), Dialect.MARC21))
        assert converted == original, record.control("001")


def test_real_cnmarc_converts_title_names_subjects_and_pinyin(schema: etree.XMLSchema) -> None:
    path = FIXTURES / "marc/real/dp2/dp2Catalog/SRU/sample_cnmarcxml.xml"
    (first, *_) = [r for r in read_file(path) if isinstance(r, ReadRecord)]
    marc = to_marc21(first.record, first.dialect)
    assert _invalid(schema, marc) is None
    fields = {f.tag: f for f in reversed(marc.fields)}
    assert marc.leader[6:8] == "am"
    title = fields["245"]
    assert title.subfields[0][0] == "6"
    assert title.subfields[-1][1].endswith(".")
    occurrence = title.subfields[0][1].removeprefix("880-")
    romanised = [f for f in marc.fields if f.tag == "880" and f.first("6") == f"245-{occurrence}"]
    assert len(romanised) == 1
    assert romanised[0].first("a")
    assert fields["084"].subfields == [("a", "F124"), ("2", "clc")]
    assert fields["008"].data is not None
    assert fields["008"].data[35:38] == "chi"
    assert fields["040"].first("a") == "BNU"


def _unimarc(*fields: Field) -> Record:
    general = Field("100", "  ", [("a", "20240101d2024    em y0chiy50      ea")])
    return Record("     nam0 22        450 ", [Field("001", data="u1"), general, *fields])


def test_unimarc_title_statement_and_subject_subdivisions() -> None:
    marc = to_marc21(
        _unimarc(
            Field("101", "1 ", [("a", "chi"), ("c", "eng")]),
            Field(
                "200",
                "1 ",
                [
                    ("a", "红楼梦"),
                    ("9", "hong lou meng"),
                    ("d", "A dream of red mansions"),
                    ("e", "校注本"),
                    ("f", "曹雪芹著"),
                    ("g", "杨宪益译"),
                ],
            ),
            Field("606", "0 ", [("a", "小说"), ("y", "中国"), ("z", "清代"), ("j", "研究")]),
            Field("700", " 0", [("a", "曹雪芹"), ("9", "cao xue qin"), ("4", "070")]),
            Field("702", " 0", [("a", "杨宪益"), ("4", "译")]),
            Field("710", "02", [("a", "Second primary body")]),
        ),
        Dialect.UNIMARC,
    )
    by_tag = {f.tag: f for f in marc.fields if f.tag != "880"}
    assert by_tag["245"].indicators == "10"
    assert by_tag["245"].subfields == [
        ("6", "880-02"),
        ("a", "红楼梦 ="),
        ("b", "A dream of red mansions : 校注本 /"),
        ("c", "曹雪芹著 ; 杨宪益译."),
    ]
    assert Field("246", "31", [("a", "A dream of red mansions")]) in marc.fields
    assert by_tag["650"].subfields == [("a", "小说"), ("z", "中国"), ("y", "清代"), ("v", "研究")]
    assert by_tag["041"].subfields == [("a", "chi"), ("h", "eng")]
    assert by_tag["041"].indicators[0] == "1"
    # One 1XX: the first primary name; the second primary body is an added entry.
    assert [f.tag for f in marc.fields if f.tag[0] == "1" and f.data is None] == ["100"]
    assert by_tag["100"].subfields == [("6", "880-01"), ("a", "曹雪芹"), ("4", "aut")]
    assert Field("700", "0 ", [("a", "杨宪益"), ("e", "译")]) in marc.fields
    assert any(f.tag == "710" for f in marc.fields)
    pinyin = [f for f in marc.fields if f.tag == "880"]
    assert [(f.first("6"), f.first("a")) for f in pinyin] == [
        ("100-01", "cao xue qin"),
        ("245-02", "hong lou meng."),
    ]


def test_unimarc_leader_and_008() -> None:
    marc = to_marc21(
        Record(
            "01234cam0 2200123 i 450 ",
            [
                Field("100", "  ", [("a", "19961119d1996    a   0itay50      ba")]),
                Field("101", "0 ", [("a", "ita")]),
                Field("102", "  ", [("a", "IT")]),
                Field("105", "  ", [("a", "a   z   000ya")]),
                Field("200", "1 ", [("a", "Titolo")]),
            ],
        ),
        Dialect.UNIMARC,
    )
    assert marc.leader[5:10] == "cam a"
    assert marc.leader[17:24] == " i 4500"
    f008 = marc.control("008")
    assert f008 is not None
    assert len(f008) == 40
    assert f008[:18] == "961119s1996    it "
    assert f008[18:23] == "a   j"  # illustrations, juvenile
    assert f008[33:] == "0aita d"  # not fiction, autobiography, Italian, not modified


def test_kormarc_differences() -> None:
    source = Record(
        "     nam a22      i 4500",
        [
            Field("001", data="k1"),
            Field("005", data="20220118173732"),
            Field("012", "  ", [("a", "KMO202200001")]),
            Field("020", "  ", [("a", "9788936433673"), ("g", "03810"), ("c", "₩12000")]),
            Field("040", "  ", [("a", "NLK")]),
            Field("049", "0 ", [("l", "EM0001"), ("c", "2"), ("f", "KOR")]),
            Field("052", "  ", [("a", "813.6"), ("b", "ㅎ12ㄱ")]),
            Field("056", "  ", [("a", "813.6"), ("2", "6")]),
            Field("245", "00", [("a", "조선족 력사"), ("x", "History"), ("d", "리광인 지음")]),
            Field("490", "00", [("a", "총서"), ("v", "3")]),
            Field("650", " 8", [("a", "조선족")]),
            Field("940", "0 ", [("a", "조선족 역사")]),
        ],
    )
    marc = to_marc21(source, Dialect.KORMARC)
    by_tag = {f.tag: f for f in marc.fields}
    assert marc.leader[9] == "a"
    assert marc.control("005") == "20220118173732.0"
    assert by_tag["245"].subfields == [
        ("a", "조선족 력사 ="),
        ("b", "History /"),
        ("c", "리광인 지음."),
    ]
    assert by_tag["020"].subfields == [("a", "9788936433673"), ("c", "₩12000")]
    assert Field("500", "  ", [("a", "부가기호 03810")]) in marc.fields
    assert by_tag["084"].subfields == [("a", "813.6"), ("2", "kdc")]
    assert by_tag["099"].subfields == [("a", "813.6"), ("a", "ㅎ12ㄱ")]
    assert by_tag["035"].subfields == [("a", "(NLK)KMO202200001")]
    assert by_tag["852"].subfields == [("c", "KOR"), ("t", "2"), ("p", "EM0001")]
    assert by_tag["490"].indicators == "0 "
    assert by_tag["650"].indicators == " 4"
    assert Field("246", "3 ", [("a", "조선족 역사")]) in marc.fields
    tags = [f.tag for f in marc.fields]
    assert tags == sorted(tags, key=lambda t: (t == "880", t))


def test_corpus_every_real_record_validates_as_marc21(
    marc_corpus: Path, schema: etree.XMLSchema
) -> None:
    """The corpus tier: every record of every real file (UNIMARC, CNMARC, MARC 21)."""
    checked = Counter[str]()
    failures = []
    for row in readable_rows():
        for item in read_file(marc_corpus / row.local_path):
            if not isinstance(item, ReadRecord):
                continue
            checked[str(item.dialect)] += 1
            reason = _invalid(schema, to_marc21(item.record, item.dialect))
            if reason is not None:
                failures.append((row.local_path, item.offset, reason))
    assert checked[str(Dialect.MARC21)] > 4000
    assert checked[str(Dialect.UNIMARC)] > 20
    assert failures == []


def test_corpus_marc_lint_finds_nothing_new_in_converted_unimarc(marc_corpus: Path) -> None:
    """The corpus tier: the real UNIMARC-family records (dp2's CNMARC, marc4j's Taiwanese
    CMARC, pymarc's Italian UNIMARC), converted, draw no Lint warning their input did not."""
    need_marc_lint()
    sources = [
        item
        for row in readable_rows()
        for item in read_file(marc_corpus / row.local_path)
        if isinstance(item, ReadRecord) and item.dialect is Dialect.UNIMARC
    ]
    assert len(sources) > 20
    before = _lint([s.record for s in sources], Dialect.UNIMARC)
    converted = [to_marc21(s.record, s.dialect) for s in sources]
    plain = [Record(r.leader, [f for f in r.fields if f.tag != "880"]) for r in converted]
    assert _lint(plain, Dialect.MARC21) - before == Counter()
    extra = _lint(converted, Dialect.MARC21) - before
    assert all(w.startswith("245: First word, ") and "an article" in w for w in extra), extra
