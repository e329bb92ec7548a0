"""UNIMARC and CNMARC (its Chinese profile) → Description: the mapping table.

CNMARC keeps the vernacular in the ordinary subfields and the cataloguer's
pinyin beside it in ``$9`` (NLC practice) or in an upper-case ``$A`` (Aleph
libraries such as BNU); both are read. Taiwanese CMARC records (681 CCL class,
805 local holdings) share the structure and are read by the same table.
"""

from __future__ import annotations

from shelfwise.marc.description import Agent, ClassScheme, Description
from shelfwise.marc.mapping_rules import (
    ClassSource,
    Collect,
    HoldingSource,
    Rule,
    Source,
    SubjectSource,
    apply_classes,
    apply_holdings,
    apply_subjects,
    clean,
    corporate_name,
    fallback_title,
    field_text,
    isbns_from,
    join_name,
    language_codes,
    material_from_leader,
    year_of,
)
from shelfwise.marc.record import Field

LEADER_TYPES: dict[str, str] = {
    "a": "book",
    "b": "book",  # manuscript language material
    "c": "score",
    "d": "score",
    "e": "map",
    "f": "map",
    "g": "video",
    "i": "sound",
    "j": "sound",
    "k": "visual",
    "l": "computer file",
    "m": "kit",  # multimedia
    "r": "object",
}
SERIAL_LEVELS = "si"

PINYIN = "9A"  # NLC puts pinyin in $9, Aleph libraries in upper-case $A


def _title(source: Source, desc: Description) -> None:
    for fld in source.fields("200"):
        # Several $a: a collection without a collective title (ISBD " ; ").
        proper = " ; ".join(v for v in (clean(x) for x in fld.values("a")) if v)
        parts = [v for v in (clean(x) for x in fld.values("h", "i")) if v]
        desc.title = ". ".join([proper, *parts]) if proper else ". ".join(parts)
        desc.title_source = "200" if desc.title else None
        return


# 200 missing or empty: the uniform title, then the related-title block in the
# order of the UNIMARC manual (parallel, cover, added title-page, caption, running,
# spine, other variant, modern spelling, key, expanded, supplied, translated, section).
FALLBACK_TITLE_TAGS = (
    "500",
    "501",
    "510",
    "512",
    "513",
    "514",
    "515",
    "516",
    "517",
    "518",
    "530",
    "532",
    "540",
    "541",
    "545",
)


PERSON_TAGS = ("700", "701", "702")
CORPORATE_TAGS = ("710", "711", "712")


def agent_from(fld: Field) -> Agent | None:
    corporate = fld.tag in CORPORATE_TAGS
    if corporate:
        # $c addition to the name, $d number, $e place and $f date of a meeting.
        name = corporate_name(fld, "ab", "cdef")
        # 1st indicator 1 marks a meeting in 71X.
        kind = "meeting" if fld.indicators[:1] == "1" else "corporate"
    else:
        name = join_name(fld.first("a") or "", fld.first("b"))
        kind = "person"
    if not name:
        return None
    roles = [v for v in (clean(x) for x in fld.values("4")) if v]
    return Agent(
        name=name,
        role=", ".join(roles) or None,
        kind=kind,
        romanised=field_text(fld, PINYIN, first=True) or None,
        primary=fld.tag in ("700", "710"),
    )


def _agents(source: Source, desc: Description) -> None:
    for tag in PERSON_TAGS + CORPORATE_TAGS:
        for fld in source.fields(tag):
            agent = agent_from(fld)
            if agent is not None and agent not in desc.agents:
                desc.agents.append(agent)


def _published(source: Source) -> list[Field]:
    # 214 (newer UNIMARC) repeats per function; 2nd indicator 0 (or blank) is publication.
    return source.fields("210") + [f for f in source.fields("214") if f.indicators[1:2] in "0 "]


def _publication(source: Source, desc: Description) -> None:
    for fld in _published(source):
        desc.place = desc.place or field_text(fld, "a", first=True) or None
        desc.publisher = desc.publisher or field_text(fld, "c", first=True) or None
        desc.year = desc.year or year_of(fld.first("d"))
    if desc.year is None:
        general = source.record.subfield_values("100", "a")
        desc.year = year_of(general[0][9:13]) if general else None


def _languages(source: Source, desc: Description) -> None:
    found = language_codes(source.record.subfield_values("101", "a"))
    desc.languages.extend(c for c in found if c not in desc.languages)


def _isbns(source: Source, desc: Description) -> None:
    isbns_from(source, desc, "010")


def _material(source: Source, desc: Description) -> None:
    desc.material_type = material_from_leader(source.record.leader, LEADER_TYPES, SERIAL_LEVELS)


CLASSES = (
    ClassSource("690", ClassScheme.CLC, edition="v", note="中图法; $v edition"),
    ClassSource("686", None, edition="v", note="scheme from $2"),
    ClassSource("675", ClassScheme.UDC, edition="v"),
    ClassSource("676", ClassScheme.DDC, edition="v", note="segmentation marks / ' removed"),
    ClassSource("680", ClassScheme.LCC),
    ClassSource("692", ClassScheme.OTHER, edition="v", note="科图法 (CAS classification)"),
    ClassSource("681", ClassScheme.OTHER, edition="v", note="Taiwan CCL (中國圖書分類法)"),
)


def _classes(source: Source, desc: Description) -> None:
    apply_classes(source, desc, CLASSES)


SUBDIVISIONS = "xyzj"
SUBJECTS = (
    SubjectSource(("600",), "abcdf", SUBDIVISIONS),
    SubjectSource(("601",), "abcde", SUBDIVISIONS),
    SubjectSource(("602",), "af", SUBDIVISIONS),
    SubjectSource(("604",), "at", SUBDIVISIONS),
    SubjectSource(("605", "606", "607", "608"), "a", SUBDIVISIONS),
    SubjectSource(("610",), "a", split=True),
)


def _subjects(source: Source, desc: Description) -> None:
    apply_subjects(source, desc, SUBJECTS)


HOLDINGS = (
    HoldingSource(
        "905",
        barcode="b",
        call_parts="def",
        call_seps=("/", ":"),
        call_fallback="s",
        branch="a",
        location="c",
        note="CNMARC local holdings: $d/$e:$f, else $s",
    ),
    HoldingSource(
        "805",
        barcode="c",
        call_parts="dey",
        call_seps=(" ", " "),
        branch="a",
        location="b",
        note="Taiwan CMARC local holdings",
    ),
)


def _holdings(source: Source, desc: Description) -> None:
    prices = source.record.subfield_values("010", "d")
    default = clean(prices[0]) if prices else None
    apply_holdings(source, desc, HOLDINGS, default_price=default or None)


def _agency(source: Source, desc: Description) -> None:
    sources = source.fields("801")
    # 2nd indicator: 3 issuing agency, 0 original cataloguing agency; else the first.
    for wanted in ("3", "0", None):
        for fld in sources:
            if wanted is None or fld.indicators[1:2] == wanted:
                agency = field_text(fld, "b", first=True)
                if agency:
                    desc.control_agency = agency
                    return


TITLE = Rule(
    "title",
    ("200",),
    "ahi",
    Collect.CUSTOM,
    fn=_title,
    note="several $a joined ' ; ', then $h $i joined '. '",
)
TITLE_ROMANISED = Rule(
    "title_romanised",
    ("200",),
    PINYIN,
    first_subfield=True,
    note="pinyin: $9 or upper-case $A",
)
TITLE_FALLBACK = Rule(
    "title",
    FALLBACK_TITLE_TAGS,
    "ahi",
    Collect.CUSTOM,
    fn=fallback_title(FALLBACK_TITLE_TAGS, "ahi"),
    tags_label="500, 501, 510, 512–518, 530, 532, 540, 541, 545",
    note="only when 200 is missing or empty: the first of these with a title (noted as a "
    "repair); no title anywhere: the record is rejected",
)
OTHER_TITLE = Rule("other_titles", ("200",), "e", Collect.EACH_SUBFIELD)
VARIANT_TITLES = Rule(
    "other_titles",
    ("500", "512", "513", "514", "515", "516", "517", "532", "540", "541", "454"),
    "a",
    Collect.EACH_FIELD,
    tags_label="500, 512–517, 532, 540, 541, 454",
    note="uniform, cover, running, variant, expanded, added and original titles",
)
PARALLEL_IN_200 = Rule("parallel_titles", ("200",), "d", Collect.EACH_SUBFIELD)
PARALLEL_510 = Rule("parallel_titles", ("510",), "a", Collect.EACH_FIELD)
RESPONSIBILITY = Rule("responsibility", ("200",), "fg", join=" ; ")
AGENTS = Rule(
    "agents",
    PERSON_TAGS + CORPORATE_TAGS,
    "a b c d e f 4 9 A",
    Collect.CUSTOM,
    fn=_agents,
    note="70X persons (700 primary): $a + $b (CJK joined directly, else 'a, b'); "
    "71X corporate ($a. $b, then $c $d $e $f as written, parentheses balanced; 1st ind. 1 = "
    "meeting, 710 primary); role $4; pinyin $9/$A",
)
PUBLICATION = Rule(
    "publisher/place/year",
    ("210", "214", "100"),
    "c a d",
    Collect.CUSTOM,
    fn=_publication,
    note="first 210 (or 214 2nd ind. 0): $a place, $c publisher, $d year; "
    "year falls back to 100 $a/09-12",
)
EDITION = Rule("edition", ("205",), "ab")
LANGUAGES = Rule(
    "languages",
    ("101",),
    "a",
    Collect.CUSTOM,
    fn=_languages,
    note="100 $a/22-24 is the language of cataloguing, not of the item",
)
ISBNS = Rule(
    "isbns",
    ("010",),
    "a",
    Collect.CUSTOM,
    fn=_isbns,
    note="valid ISBNs as ISBN-13; $z ignored; $d price becomes the copies' default price",
)
CLASSIFICATIONS = Rule(
    "classifications",
    ("690", "686", "675", "676", "680", "692", "681"),
    "a v 2",
    Collect.CUSTOM,
    fn=_classes,
    note="see the classification table",
)
SUBJECT_HEADINGS = Rule(
    "subjects",
    ("600", "601", "602", "604", "605", "606", "607", "608", "610"),
    "a xyzj",
    Collect.CUSTOM,
    fn=_subjects,
    tags_label="600–608, 610",
    note="heading, then $x $y $z $j in field order, joined ' -- '; 610 each $a",
)
SERIES = Rule("series", ("225", "410"), "av", Collect.EACH_FIELD, join=" ; ")
NOTES = Rule(
    "notes", tuple(str(n) for n in range(300, 400)), "a", Collect.EACH_FIELD, tags_label="3XX"
)
MATERIAL = Rule(
    "material_type",
    ("LDR",),
    "",
    Collect.CUSTOM,
    fn=_material,
    note="leader/06 and /07, see the material table",
)
CONTROL_NUMBER = Rule("control_number", ("001",))
CONTROL_AGENCY = Rule(
    "control_agency",
    ("801",),
    "b",
    Collect.CUSTOM,
    fn=_agency,
    note="801 with 2nd ind. 3 (issuing), else 0 (original cataloguing), else the first",
)
HOLDING_COPIES = Rule(
    "holdings",
    ("905", "805"),
    "",
    Collect.CUSTOM,
    fn=_holdings,
    note="one copy per field, see the holdings table",
)

RULES: tuple[Rule, ...] = (
    TITLE,
    TITLE_FALLBACK,
    TITLE_ROMANISED,
    OTHER_TITLE,
    VARIANT_TITLES,
    PARALLEL_IN_200,
    PARALLEL_510,
    RESPONSIBILITY,
    AGENTS,
    PUBLICATION,
    EDITION,
    LANGUAGES,
    ISBNS,
    CLASSIFICATIONS,
    SUBJECT_HEADINGS,
    SERIES,
    NOTES,
    MATERIAL,
    CONTROL_NUMBER,
    CONTROL_AGENCY,
    HOLDING_COPIES,
)
