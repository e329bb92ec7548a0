"""KORMARC (KS X 6006-0) → Description: MARC 21 rules with the Korean differences.

KORMARC shares MARC 21's tags; what differs is 245 (responsibility in $d/$e,
parallel title in $x), 056 KDC, the 052/090 call numbers, the 020 $g add-on
code (부가기호) and the 049 holdings field.
"""

from __future__ import annotations

from shelfwise.marc import mapping_marc21 as m21
from shelfwise.marc.description import ClassScheme, Description, HoldingCopy
from shelfwise.marc.mapping_rules import (
    ClassSource,
    Collect,
    HoldingSource,
    Rule,
    Source,
    apply_classes,
    clean,
    compose_call_number,
    fallback_title,
)

CLASSES = (
    ClassSource("056", ClassScheme.KDC, edition="2", note="$2 is the KDC edition"),
    *m21.CLASSES,
)


def _classes(source: Source, desc: Description) -> None:
    apply_classes(source, desc, CLASSES)


def _add_on_codes(source: Source, desc: Description) -> None:
    # The 5-digit 부가기호 (reader, form, subject) has no Description column; kept as a note
    # so that it is searchable and visible to staff.
    for value in source.record.subfield_values("020", "g"):
        note = f"부가기호 {clean(value)}"
        if clean(value) and note not in desc.notes:
            desc.notes.append(note)


# A copy's call number: the local 090, else NLK's 052 ($a class, $b book number, $c volume).
CALL_NUMBER_TAGS = ("090", "052")
HOLDINGS = (
    HoldingSource(
        "049",
        barcode="l",
        call_parts="vc",
        location="f",
        note="$l registration number; $f location mark; call number = 090 (else 052) "
        "$a-$b $c, then $v volume and 'c.' + $c copy",
    ),
)


def record_call_number(source: Source) -> str | None:
    for tag in CALL_NUMBER_TAGS:
        for fld in source.fields(tag):
            number = compose_call_number(fld, "abc", ("-", " "))
            if number:
                return number
    return None


def _holdings(source: Source, desc: Description) -> None:
    base = record_call_number(source)
    for fld in source.record.get_fields("049"):
        volume = clean(fld.first("v") or "")
        copy = clean(fld.first("c") or "")
        # 049 holds only the copy-specific part; the class and book number are the record's.
        parts = [p for p in (base, volume, f"c.{copy}" if copy else "") if p]
        desc.holdings.append(
            HoldingCopy(
                barcode=clean(fld.first("l") or "") or None,
                call_number=" ".join(parts) or None,
                location=clean(fld.first("f") or "") or None,
            )
        )


# KORMARC adds 940, the title as read (Hangul for a title in Hanja or with numerals),
# which NLK records carry as a local field; it is the last resort.
FALLBACK_TITLE_TAGS = (*m21.FALLBACK_TITLE_TAGS, "940")
TITLE_FALLBACK = Rule(
    "title",
    FALLBACK_TITLE_TAGS,
    m21.TITLE_CODES,
    Collect.CUSTOM,
    fn=fallback_title(FALLBACK_TITLE_TAGS, m21.TITLE_CODES),
    note="only when 245 is missing or empty: the first of 240, 130, 246, 740, 940 (noted as "
    "a repair); no title anywhere: the record is rejected",
)
RESPONSIBILITY = Rule(
    "responsibility",
    ("245",),
    "de",
    join=" ; ",
    note="KORMARC puts the first statement in $d and others in $e (MARC 21: $c)",
)
PARALLEL_IN_245 = Rule("parallel_titles", ("245",), "x", Collect.EACH_SUBFIELD)
CLASSIFICATIONS = Rule(
    "classifications",
    ("056", "050", "080", "082", "084"),
    "a 2",
    Collect.CUSTOM,
    fn=_classes,
    note="056 KDC first, then as MARC 21",
)
ADD_ON_CODES = Rule(
    "notes",
    ("020",),
    "g",
    Collect.CUSTOM,
    fn=_add_on_codes,
    note="020 $g 부가기호 kept as the note '부가기호 NNNNN'",
)
HOLDING_COPIES = Rule(
    "holdings",
    ("049", "090", "052"),
    "",
    Collect.CUSTOM,
    fn=_holdings,
    note="one copy per 049, see the holdings table",
)

RULES: tuple[Rule, ...] = (
    m21.TITLE,
    TITLE_FALLBACK,
    m21.SUBTITLE,
    m21.VARIANT_TITLES,
    PARALLEL_IN_245,
    m21.PARALLEL_TITLES,
    RESPONSIBILITY,
    m21.AGENTS,
    m21.PUBLICATION,
    m21.EDITION,
    m21.LANGUAGES,
    m21.ISBNS,
    CLASSIFICATIONS,
    m21.SUBJECT_HEADINGS,
    m21.SERIES,
    m21.NOTES,
    ADD_ON_CODES,
    m21.MATERIAL,
    m21.CONTROL_NUMBER,
    m21.CONTROL_AGENCY,
    HOLDING_COPIES,
)
