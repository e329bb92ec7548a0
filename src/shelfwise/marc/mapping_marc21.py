"""MARC 21 → Description: the mapping table.

Where a field has a linked 880 (vernacular script), every rule reads the 880
(see :class:`~shelfwise.marc.mapping_rules.Source`); title and agents also keep
the romanised original as ``title_romanised`` / ``Agent.romanised``.
"""

from __future__ import annotations

from shelfwise.marc.description import Agent, ClassScheme, Description
from shelfwise.marc.mapping_rules import (
    ClassSource,
    Collect,
    HeadingStyle,
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
    language_codes,
    material_from_leader,
    meeting_text,
    year_of,
)
from shelfwise.marc.record import Field

# Leader/06 type of record → material type; leader/07 b, i, s on language material → serial.
LEADER_TYPES: dict[str, str] = {
    "a": "book",
    "t": "book",  # manuscript language material
    "c": "score",
    "d": "score",
    "e": "map",
    "f": "map",
    "g": "video",
    "i": "sound",
    "j": "sound",
    "k": "visual",
    "m": "computer file",
    "o": "kit",
    "p": "mixed",
    "r": "object",
}
SERIAL_LEVELS = "bis"

TITLE_CODES = "anp"


def _title(source: Source, desc: Description) -> None:
    for preferred, romanised in source.pairs("245"):
        # Archival records may have only a form ($k "Papers") and dates ($f) in 245.
        desc.title = field_text(preferred, TITLE_CODES, ". ") or field_text(preferred, "kf", ", ")
        desc.title_source = "245" if desc.title else None
        if romanised is not None:
            desc.title_romanised = field_text(romanised, TITLE_CODES, ". ") or None
        return


# A record whose 245 is missing or empty (Open Library's test files have several)
# takes its title from the uniform title, then a varying form, then an added title.
FALLBACK_TITLE_TAGS = ("240", "130", "246", "740")


# Name subfields by tag family, and where the role is: meetings (X11) keep the
# relator term in $j because their $e is a subordinate unit. A corporate name is
# its units ($a, $b) joined ". " then any meeting qualifiers ($n $d $c) as written;
# a meeting name is its subfields as written, parentheses balanced.
NAME_CODES = {"00": "abcq", "10": "abndc", "11": "aqendc"}
ROLE_CODES = {"00": "e", "10": "e", "11": "j"}
KINDS = {"00": "person", "10": "corporate", "11": "meeting"}
AGENT_TAGS = ("100", "110", "111", "700", "710", "711")


def name_text(fld: Field, family: str) -> str:
    if family == "10":
        return corporate_name(fld, "ab", "ndc")
    if family == "11":
        return meeting_text(v for c, v in fld.subfields if c in NAME_CODES["11"])
    return field_text(fld, NAME_CODES[family])


def agent_from(preferred: Field, romanised: Field | None) -> Agent | None:
    family = preferred.tag[1:]
    name = name_text(preferred, family)
    if not name:
        return None
    # The 880 often carries only the name; the role then comes from its romanised twin.
    role = _role(preferred, family) or (_role(romanised, family) if romanised else None)
    other = name_text(romanised, family) if romanised is not None else ""
    return Agent(
        name=name,
        role=role,
        kind=KINDS[family],
        romanised=other or None,
        primary=preferred.tag.startswith("1"),
    )


def _role(fld: Field, family: str) -> str | None:
    roles = [clean(v) for v in fld.values(ROLE_CODES[family]) if clean(v)]
    return ", ".join(roles) or clean(fld.first("4") or "") or None


def _agents(source: Source, desc: Description) -> None:
    # Tag order puts the 1XX main entry first; within a tag, the catalogued order.
    for tag in AGENT_TAGS:
        for preferred, romanised in source.pairs(tag):
            agent = agent_from(preferred, romanised)
            if agent is not None and agent not in desc.agents:
                desc.agents.append(agent)


def _published(source: Source) -> list[Field]:
    # 264 with 2nd indicator 1 is the publication statement; 260 is the older form.
    return [f for f in source.fields("264") if f.indicators[1:2] == "1"] + source.fields("260")


def _publication(source: Source, desc: Description) -> None:
    for fld in _published(source):
        desc.place = desc.place or field_text(fld, "a", first=True) or None
        desc.publisher = desc.publisher or field_text(fld, "b", first=True) or None
        desc.year = desc.year or year_of(fld.first("c"))
    if desc.year is None:
        fixed = source.record.control("008") or ""
        desc.year = year_of(fixed[7:11])


def _languages(source: Source, desc: Description) -> None:
    fixed = source.record.control("008") or ""
    found = [fixed[35:38], *source.record.subfield_values("041", "a")]
    desc.languages.extend(c for c in language_codes(found) if c not in desc.languages)


def _isbns(source: Source, desc: Description) -> None:
    isbns_from(source, desc, "020")


def _material(source: Source, desc: Description) -> None:
    desc.material_type = material_from_leader(source.record.leader, LEADER_TYPES, SERIAL_LEVELS)


CLASSES = (
    ClassSource("050", ClassScheme.LCC, note="$b (item number) is not part of the class"),
    ClassSource("080", ClassScheme.UDC, edition="2"),
    ClassSource("082", ClassScheme.DDC, edition="2", note="segmentation marks / ' removed"),
    ClassSource("084", None, note="scheme from $2: clc, kdc, udc...; anything else is other"),
)


def _classes(source: Source, desc: Description) -> None:
    apply_classes(source, desc, CLASSES)


SUBDIVISIONS = "vxyz"
SUBJECTS = (
    SubjectSource(("600",), "abcdqt", SUBDIVISIONS),
    SubjectSource(("610",), "abt", SUBDIVISIONS, style=HeadingStyle.HIERARCHY),
    SubjectSource(("611",), "aqendct", SUBDIVISIONS, style=HeadingStyle.MEETING),
    SubjectSource(("630", "650", "651", "655"), "a", SUBDIVISIONS),
    SubjectSource(("648",), "a", SUBDIVISIONS),
    SubjectSource(("653",), "a", split=True),
)


def _subjects(source: Source, desc: Description) -> None:
    apply_subjects(source, desc, SUBJECTS)


HOLDINGS = (
    HoldingSource(
        "952",
        barcode="p",
        call_parts="o",
        branch="a",
        location="c",
        price="g",
        note="Koha items",
    ),
    HoldingSource(
        "852",
        barcode="p",
        call_parts="hi",
        call_seps=(" ",),
        branch="b",
        location="c",
    ),
)


def _holdings(source: Source, desc: Description) -> None:
    apply_holdings(source, desc, HOLDINGS)


def _not_parallel(fld: Field) -> bool:
    return fld.indicators[1:2] != "1"


def _parallel(fld: Field) -> bool:
    return fld.indicators[1:2] == "1"


TITLE = Rule(
    "title",
    ("245",),
    TITLE_CODES,
    Collect.CUSTOM,
    fn=_title,
    note="joined with '. ' (no $a $n $p: $k $f, form and dates, joined ', '); the 880 form "
    "when linked, the 245 itself then goes to title_romanised",
)
TITLE_FALLBACK = Rule(
    "title",
    FALLBACK_TITLE_TAGS,
    TITLE_CODES,
    Collect.CUSTOM,
    fn=fallback_title(FALLBACK_TITLE_TAGS, TITLE_CODES),
    note="only when 245 is missing or empty: the first of 240, 130, 246, 740 (noted as a "
    "repair); no title anywhere: the record is rejected",
)
SUBTITLE = Rule("other_titles", ("245",), "b", note="subtitle (other title information)")
VARIANT_TITLES = Rule(
    "other_titles",
    ("246", "240", "130"),
    "ab",
    Collect.EACH_FIELD,
    when=_not_parallel,
    note="246 unless 2nd indicator 1; 240/130 uniform titles",
)
PARALLEL_TITLES = Rule(
    "parallel_titles",
    ("246",),
    "ab",
    Collect.EACH_FIELD,
    when=_parallel,
    note="246 with 2nd indicator 1 (parallel title)",
)
RESPONSIBILITY = Rule("responsibility", ("245",), "c")
AGENTS = Rule(
    "agents",
    AGENT_TAGS,
    "abcqnd e j 4",
    Collect.CUSTOM,
    fn=_agents,
    note="1XX primary; name $a$b$c$q (X10: $a. $b then $n $d $c; X11: $a $q $e $n $d $c as "
    "written, parentheses balanced); role $e (X11: $j), else $4",
)
PUBLICATION = Rule(
    "publisher/place/year",
    ("264", "260", "008"),
    "bac",
    Collect.CUSTOM,
    fn=_publication,
    note="first 264 (2nd ind. 1) or 260: $a place, $b publisher, $c year; year falls back to 008/07-10",
)
EDITION = Rule("edition", ("250",), "ab")
LANGUAGES = Rule(
    "languages",
    ("008", "041"),
    "a",
    Collect.CUSTOM,
    fn=_languages,
    note="008/35-37 then 041 $a, three-letter codes only",
)
ISBNS = Rule(
    "isbns",
    ("020",),
    "a",
    Collect.CUSTOM,
    fn=_isbns,
    note="valid ISBNs as ISBN-13; $z (invalid/cancelled) ignored",
)
CLASSIFICATIONS = Rule(
    "classifications",
    ("050", "080", "082", "084"),
    "a 2",
    Collect.CUSTOM,
    fn=_classes,
    note="see the classification table",
)
SUBJECT_HEADINGS = Rule(
    "subjects",
    ("600", "610", "611", "630", "648", "650", "651", "653", "655"),
    "a vxyz",
    Collect.CUSTOM,
    fn=_subjects,
    tags_label="6XX",
    note="heading, then $v $x $y $z in field order, joined ' -- '; 653 each $a",
)
SERIES = Rule(
    "series",
    ("490", "440", "830"),
    "av",
    Collect.EACH_FIELD,
    join=" ; ",
    note="title ; volume; 800/810/811 name-title series are not read",
)
NOTES = Rule(
    "notes",
    tuple(str(n) for n in range(500, 590)),
    "a",
    Collect.EACH_FIELD,
    tags_label="500–589",
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
    "control_agency", ("003", "040"), "a", note="003, else 040 $a (original cataloguing agency)"
)
HOLDING_COPIES = Rule(
    "holdings",
    ("952", "852"),
    "",
    Collect.CUSTOM,
    fn=_holdings,
    note="one copy per field, see the holdings table",
)

RULES: tuple[Rule, ...] = (
    TITLE,
    TITLE_FALLBACK,
    SUBTITLE,
    VARIANT_TITLES,
    PARALLEL_TITLES,
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
