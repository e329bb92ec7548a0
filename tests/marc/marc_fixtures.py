"""The MARC fixtures the project writes itself, and the builder that writes them.

``tests/fixtures/marc/generated/`` holds small files that exercise every class of
input the real corpus (``../shared/data/marc``) exercises: MARC-8 with escapes and
EACC CJK, GB 18030, EUC-KR, Windows-1251, UNIMARC/CNMARC, KORMARC, broken leaders
and lying directories, truncated records, invalid bytes, MARCXML with and without
namespaces, MARC-in-JSON, and OAI-PMH and SRU wrappers. The default test run reads
these (and the few real files in ``tests/fixtures/marc/real/``), never the corpus.

Our own writers produce what they can (UTF-8, GB 18030 and EUC-KR ISO 2709,
MARCXML, MARC-in-JSON); everything a writer must never produce (MARC-8, cp1251,
damaged records, foreign wrappers) is assembled here byte by byte. MARC-8 takes
its byte values from pymarc's code tables, but the encoding is ours, and the
tests compare what the reader decodes with the text below, not with pymarc.

Regenerate after a deliberate change with ``python tests/marc/marc_fixtures.py``;
``test_fixture_files.py`` fails while the committed bytes differ from ``build()``.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from pymarc.marc8_mapping import CODESETS

from shelfwise.marc import iso2709, marcjson, marcxml
from shelfwise.marc.record import Field, Record

GENERATED = Path(__file__).resolve().parents[1] / "fixtures" / "marc" / "generated"
REAL = Path(__file__).resolve().parents[1] / "fixtures" / "marc" / "real"

FT, RT, SF = b"\x1e", b"\x1d", b"\x1f"
SLIM = "http://www.loc.gov/MARC21/slim"

# --- the text the files carry (tests compare what the reader decodes with these) ---------

EACC_TITLE = "中國圖書館史"  # traditional, EACC
EACC_SIMPLIFIED = "北京历史研究报告"  # simplified, EACC
EACC_AUTHOR = "王力著"
ANSEL_TITLE = "Bibliothèque et société : Über Bücher, año señal, Øresund, Straße"
CYRILLIC_TITLE = "Война и мир"
GREEK_TITLE = "ομηρος"
SUBSCRIPT_NOTE = "H₂O"
CP1251_TITLES = ("Война и мир", "Преступление и наказание", "Мастер и Маргарита")
CNMARC_TITLE = "辽宁地方志研究"
CNMARC_PINYIN = "Liao Ning Di Fang Zhi Yan Jiu"
GB18030_RARE = "𠀀"  # outside GBK: four bytes in GB 18030
KORMARC_TITLES = ("력사와 문화", "역사와 문화")  # Chinese-Korean and South Korean spelling
DAMAGED_TITLE = "损坏的记录 / 손상된 레코드"


def _marc21(
    control: str, title: str, *, lang: str = "eng", extra: list[Field] | None = None
) -> Record:
    fields = [
        Field("001", data=control),
        Field("008", data=f"260901s2024    xx            000 0 {lang} d"),
        Field("040", "  ", [("a", "SHELFWISE"), ("c", "SHELFWISE")]),
        Field("245", "10", [("a", title)]),
        Field("260", "  ", [("a", "Shenyang :"), ("b", "Shelfwise Press,"), ("c", "2024.")]),
        *(extra or []),
    ]
    return Record("00000nam a2200000 a 4500", fields)


def _cnmarc(control: str, title: str, pinyin: str, *, charset: str) -> Record:
    general = f"20240901d2024    em y0chiy{charset}    ea"
    return Record(
        "00000nam0 2200000   450 ",
        [
            Field("001", data=control),
            Field("010", "  ", [("a", "978-7-5000-0000-7"), ("d", "CNY48.00")]),
            Field("100", "  ", [("a", general)]),
            Field("101", "0 ", [("a", "chi")]),
            Field("200", "1 ", [("a", title), ("A", pinyin), ("f", "辽宁省图书馆编")]),
            Field("210", "  ", [("a", "沈阳"), ("c", "辽宁人民出版社"), ("d", "2024")]),
            Field("690", "  ", [("a", "K293.1"), ("v", "5")]),
            Field("701", " 0", [("a", "张三"), ("4", "编")]),
            Field("801", " 0", [("a", "CN"), ("b", "LNL"), ("c", "20240901")]),
        ],
    )


def _kormarc(control: str, title: str, *, nlk: bool) -> Record:
    # Without 040 NLK and 056 (KDC) only the Hangul under EUC-KR tells (rule R7).
    extra = [
        Field("040", "  ", [("a", "NLK"), ("c", "NLK")]),
        Field("056", "  ", [("a", "911.05"), ("2", "6")]),
    ]
    return Record(
        "00000nam  2200000 c 4500",
        [
            Field("001", data=control),
            *(extra if nlk else []),
            Field("245", "00", [("a", title), ("d", "김철수 지음")]),
            Field("260", "  ", [("a", "연길 :"), ("b", "연변인민출판사,"), ("c", "2020")]),
        ],
    )


# --- ISO 2709 by hand, for what our writers must never produce --------------------------


def assemble(leader: str, fields: list[tuple[str, bytes]]) -> bytes:
    """An ISO 2709 record from already-encoded field bodies (without their terminators)."""
    directory, bodies, pos = [], [], 0
    for tag, body in fields:
        data = body + FT
        directory.append(b"%s%04d%05d" % (tag.encode("ascii"), len(data), pos))
        bodies.append(data)
        pos += len(data)
    base = 24 + 12 * len(fields) + 1
    total = base + pos + 1
    head = f"{total:05d}{leader[5:12]}{base:05d}{leader[17:]}".encode("ascii")
    return b"".join([head, *directory, FT, *bodies, RT])


def _encoded(record: Record, encode: Callable[[str], bytes]) -> list[tuple[str, bytes]]:
    out = []
    for f in record.fields:
        if f.data is not None:
            out.append((f.tag, encode(f.data)))
        else:
            subs = b"".join(SF + c.encode("ascii") + encode(v) for c, v in f.subfields)
            out.append((f.tag, f.indicators.encode("ascii") + subs))
    return out


def _reverse(charset: int) -> dict[str, int]:
    return {chr(uni): code for code, (uni, _combining) in CODESETS[charset].items()}


_ANSEL, _EACC, _CYRILLIC, _GREEK = _reverse(0x45), _reverse(0x31), _reverse(0x4E), _reverse(0x53)
_SUBSCRIPT = _reverse(0x62)
_G0 = {"ascii": b"\x1b(B", "eacc": b"\x1b$1", "cyrillic": b"\x1b(N", "greek": b"\x1b(S"}


def marc8(text: str) -> bytes:
    """MARC-8 for ``text``: ASCII and ANSEL (G1, combining marks before their letter),
    EACC, Cyrillic and Greek by escape sequences, subscripts by technique 1; back to
    ASCII at the end, so every subfield starts in the default sets."""
    out, g0 = bytearray(), "ascii"

    def switch(to: str) -> None:
        nonlocal g0
        if g0 != to:
            out.extend(_G0[to])
            g0 = to

    for ch in unicodedata.normalize("NFD", text):
        if unicodedata.combining(ch):
            # ANSEL writes the mark before its base letter: move it there.
            base = out.pop()
            out.extend([_ANSEL[ch], base])
        elif ch.isascii():
            switch("ascii")
            out.append(ord(ch))
        elif ch in _SUBSCRIPT:
            switch("ascii")
            out.extend(b"\x1bb" + bytes([_SUBSCRIPT[ch]]) + b"\x1bs")
        elif ch in _ANSEL:
            out.append(_ANSEL[ch])
        elif ch in _CYRILLIC:
            switch("cyrillic")
            out.append(_CYRILLIC[ch])
        elif ch in _GREEK:
            switch("greek")
            out.append(_GREEK[ch])
        else:
            switch("eacc")
            out.extend(_EACC[ch].to_bytes(3, "big"))
    switch("ascii")
    return bytes(out)


def marc8_records() -> list[Record]:
    """A Chinese record with 880 EACC script fields, a Latin one with ANSEL diacritics,
    and one with Cyrillic, Greek and a subscript: as MARC-8 and, as a twin, as UTF-8."""
    cjk = _marc21(
        "sw-m8-001",
        "Zhongguo tu shu guan shi /",
        lang="chi",
        extra=[
            Field("066", "  ", [("c", "$1")]),
            Field("100", "1 ", [("6", "880-01"), ("a", "Wang, Li.")]),
            Field("880", "1 ", [("6", "100-01/$1"), ("a", EACC_AUTHOR)]),
            Field("880", "10", [("6", "245-02/$1"), ("a", EACC_TITLE), ("b", EACC_SIMPLIFIED)]),
        ],
    )
    latin = _marc21("sw-m8-002", ANSEL_TITLE, lang="fre")
    scripts = _marc21(
        "sw-m8-003",
        CYRILLIC_TITLE,
        lang="rus",
        extra=[
            Field("246", "1 ", [("a", GREEK_TITLE)]),
            Field("500", "  ", [("a", SUBSCRIPT_NOTE)]),
        ],
    )
    return [cjk, latin, scripts]


def _marc8_file(records: list[Record]) -> bytes:
    leader = "00000nam  2200000 a 4500"  # leader/09 blank: MARC-8
    return b"".join(assemble(leader, _encoded(r, marc8)) for r in records)


def _cp1251_file() -> bytes:
    leader = "00000nam  2200000 a 4500"
    records = [
        _marc21(f"sw-1251-{i:03d}", title, lang="rus") for i, title in enumerate(CP1251_TITLES, 1)
    ]
    return b"".join(assemble(leader, _encoded(r, lambda s: s.encode("cp1251"))) for r in records)


def damaged_parts() -> list[tuple[str, bytes]]:
    """(what is wrong, bytes) in file order; every part but one damage kind is readable."""
    good = iso2709.encode(
        _marc21("sw-dmg-001", DAMAGED_TITLE, extra=[Field("650", " 0", [("a", "Libraries")])])
    )
    entry_650 = 24 + 5 * 12  # 001 008 040 245 260, then 650
    past_end = bytearray(good)
    past_end[entry_650 + 7 : entry_650 + 12] = b"90000"
    into_field = bytearray(good)
    start_245 = int(into_field[24 + 36 + 7 : 24 + 36 + 12])
    into_field[24 + 36 + 7 : 24 + 36 + 12] = b"%05d" % (start_245 + 3)
    into_field[entry_650 + 7 : entry_650 + 12] = b"00001"
    non_numeric = bytearray(good)
    non_numeric[24 + 3 : 24 + 7] = b"00x1"
    return [
        ("sound", good),
        ("leader length lies", b"00001" + good[5:]),
        ("base address lies", good[:12] + b"00999" + good[17:]),
        ("directory points past the end", bytes(past_end)),
        ("directory points into a field", bytes(into_field)),
        ("directory not numeric", bytes(non_numeric)),
        ("invalid UTF-8 bytes", good.replace(b"Libraries", b"Librar\xffes")),
        ("garbage between records", b"\x00garbage\xff\xfe bytes\x1d"),
        ("sound after the garbage", good),
        ("truncated at the end of the file", good[:100]),
    ]


# --- XML and JSON --------------------------------------------------------------------------


def xml_records() -> list[Record]:
    return [
        _marc21("sw-x-001", "图书馆学概论 = Introduction to library science", lang="chi"),
        _marc21("sw-x-002", "도서관의 역사", lang="kor"),
        _marc21("sw-x-003", "Libraries & <archives>", lang="eng"),
    ]


def _collection(records: list[Record]) -> bytes:
    body = b"".join(marcxml.record_in_collection(r) for r in records)
    return marcxml.COLLECTION_OPEN + body + marcxml.COLLECTION_CLOSE


def _prefixed(records: list[Record]) -> bytes:
    # marc: prefix instead of a default namespace, as Koha and many OAI feeds write it.
    plain = b"".join(marcxml.record_in_collection(r) for r in records).decode("utf-8")
    prefixed = plain.replace("<", "<marc:").replace("<marc:/", "</marc:")
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<marc:collection xmlns:marc="{SLIM}">\n{prefixed}</marc:collection>\n'
    ).encode()


def _no_namespace(records: list[Record]) -> bytes:
    body = b"".join(marcxml.record_in_collection(r) for r in records)
    return b'<?xml version="1.0" encoding="UTF-8"?>\n<collection>\n' + body + b"</collection>\n"


def _oai(records: list[Record]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/">\n'
        "<responseDate>2024-09-01T00:00:00Z</responseDate>\n"
        '<request verb="ListRecords" metadataPrefix="marc21">https://lib.example.org/oai</request>\n'
        "<ListRecords>\n"
    ]
    for i, record in enumerate(records, 1):
        xml = marcxml.record_to_xml(record).decode("utf-8")
        parts.append(
            f"<record><header><identifier>oai:example:{i}</identifier>"
            f"<datestamp>2024-09-01</datestamp></header><metadata>{xml}</metadata></record>\n"
        )
    parts.append(
        '<record><header status="deleted"><identifier>oai:example:99</identifier>'
        "<datestamp>2024-09-02</datestamp></header></record>\n"
        '<resumptionToken completeListSize="5" cursor="0">marc21:3</resumptionToken>\n'
        "</ListRecords>\n</OAI-PMH>\n"
    )
    return "".join(parts).encode("utf-8")


def _sru(records: list[Record]) -> bytes:
    parts = [
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<zs:searchRetrieveResponse xmlns:zs="http://www.loc.gov/zing/srw/">\n'
        f"<zs:version>1.2</zs:version><zs:numberOfRecords>{len(records)}</zs:numberOfRecords>\n"
        "<zs:records>\n"
    ]
    for i, record in enumerate(records, 1):
        xml = marcxml.record_to_xml(record).decode("utf-8")
        if i == len(records):
            # The last one string-packed (recordPacking=string): XML escaped as text.
            packing = "string"
            xml = xml.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        else:
            packing = "xml"
        parts.append(
            f"<zs:record><zs:recordSchema>info:srw/schema/1/marcxml-v1.1</zs:recordSchema>"
            f"<zs:recordPacking>{packing}</zs:recordPacking><zs:recordData>{xml}</zs:recordData>"
            f"<zs:recordPosition>{i}</zs:recordPosition></zs:record>\n"
        )
    parts.append("</zs:records>\n</zs:searchRetrieveResponse>\n")
    return "".join(parts).encode("utf-8")


def _ndjson(records: list[Record]) -> bytes:
    return b"".join(marcjson.dumps(r) + b"\n" for r in records)


def _json_array(records: list[Record]) -> bytes:
    return b"[\n" + b",\n".join(marcjson.dumps(r) for r in records) + b"\n]\n"


# --- the set -------------------------------------------------------------------------------

# file name → (what it stands in for, how the reader must read it: records read, rejected)
DESCRIPTIONS: dict[str, tuple[str, int, int]] = {
    "marc8.mrc": ("MARC-8: EACC CJK in 880s, ANSEL diacritics, Cyrillic, Greek, subscript", 3, 0),
    "marc8.utf8.mrc": ("the same three records as UTF-8 ISO 2709 (the MARC-8 file's twin)", 3, 0),
    "cp1251.mrc": ("Russian MARC 21 in Windows-1251, leader/09 blank (read with cp1251)", 3, 0),
    "cnmarc-gb18030.mrc": ("CNMARC (UNIMARC) in GB 18030, 100 $a/26-29 '0120'", 2, 0),
    "cnmarc-utf8.mrc": ("CNMARC (UNIMARC) in UTF-8, 100 $a/26-29 '50  '", 2, 0),
    "kormarc-euc-kr.mrc": ("KORMARC in EUC-KR: one with 040 NLK, one told by its Hangul", 2, 0),
    "damaged.mrc": ("lying leaders and directories, invalid bytes, garbage, truncation", 5, 5),
    "marcxml-namespace.xml": ("MARCXML collection in the MARC 21 slim namespace", 3, 0),
    "marcxml-prefixed.xml": ("MARCXML with a marc: prefix", 3, 0),
    "marcxml-no-namespace.xml": ("MARCXML without any namespace", 3, 0),
    "oai-pmh.xml": ("OAI-PMH ListRecords with a deleted header and a resumption token", 3, 1),
    "sru.xml": ("SRU 1.2 searchRetrieveResponse, XML- and string-packed records", 3, 0),
    "marc-in-json.ndjson": ("MARC-in-JSON, one record per line", 3, 0),
    "marc-in-json-array.json": ("MARC-in-JSON, one array", 3, 0),
}


def build() -> dict[str, bytes]:
    """Every generated fixture, by file name, plus its MANIFEST.tsv."""
    records8 = marc8_records()
    cn_gb = [
        _cnmarc("sw-cn-001", CNMARC_TITLE, CNMARC_PINYIN, charset="0120"),
        _cnmarc("sw-cn-002", f"{GB18030_RARE}字考", "Zi Kao", charset="0120"),
    ]
    cn_utf8 = [
        _cnmarc("sw-cn-101", CNMARC_TITLE, CNMARC_PINYIN, charset="50  "),
        _cnmarc("sw-cn-102", "沈阳故宫", "Shen Yang Gu Gong", charset="50  "),
    ]
    korean = [
        _kormarc("sw-ko-001", KORMARC_TITLES[0], nlk=True),
        _kormarc("sw-ko-002", KORMARC_TITLES[1], nlk=False),
    ]
    xml = xml_records()
    files = {
        "marc8.mrc": _marc8_file(records8),
        "marc8.utf8.mrc": b"".join(iso2709.encode(r) for r in records8),
        "cp1251.mrc": _cp1251_file(),
        # By hand, as Chinese systems export it (100 $a/26-29 '0120'); our writer would
        # restate the character sets it writes.
        "cnmarc-gb18030.mrc": b"".join(
            assemble(r.leader, _encoded(r, lambda s: s.encode("gb18030"))) for r in cn_gb
        ),
        "cnmarc-utf8.mrc": b"".join(iso2709.encode(r) for r in cn_utf8),
        "kormarc-euc-kr.mrc": b"".join(iso2709.encode(r, encoding="euc-kr") for r in korean),
        "damaged.mrc": b"".join(part for _, part in damaged_parts()),
        "marcxml-namespace.xml": _collection(xml),
        "marcxml-prefixed.xml": _prefixed(xml),
        "marcxml-no-namespace.xml": _no_namespace(xml),
        "oai-pmh.xml": _oai(xml),
        "sru.xml": _sru(xml),
        "marc-in-json.ndjson": _ndjson(xml),
        "marc-in-json-array.json": _json_array(xml),
    }
    assert set(files) == set(DESCRIPTIONS)
    rows = ["file\tread\trejected\twhat it exercises"]
    rows += [f"{name}\t{r}\t{x}\t{what}" for name, (what, r, x) in DESCRIPTIONS.items()]
    files["MANIFEST.tsv"] = ("\n".join(rows) + "\n").encode("utf-8")
    return files


def main() -> int:
    GENERATED.mkdir(parents=True, exist_ok=True)
    built = build()
    for stale in GENERATED.iterdir():
        if stale.name not in built and stale.name != "README.md":
            stale.unlink()
    for name, data in built.items():
        (GENERATED / name).write_bytes(data)
    sys.stdout.write(f"wrote {len(built)} files to {GENERATED}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
