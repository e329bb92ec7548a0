"""UNIMARC name fields (70X persons, 71X bodies and meetings, 72X families) → MARC 21
1XX main entry and 7XX added entries.

Following the conversion specifications: 700/710/720 (primary responsibility) →
100/110-111/100, only the first of them (MARC 21 allows one 1XX), the others →
7XX; 701/702, 711/712, 721/722 → 700, 710-711, 700. A 71X with first indicator 1
is a meeting (X11). The entry element ``$a`` and the rest ``$b`` of a personal
name become one ``$a`` ("Austen, Jane"; CJK parts joined directly: 张 + 扬 → 张扬).
Relators: UNIMARC's numeric ``$4`` codes become MARC relator codes; CNMARC's
relator words (主编, 著) become the relator term (``$e``, meetings ``$j``). A
cataloguer's pinyin (``$9``/``$A``) becomes an 880 paired with the name.
"""

from __future__ import annotations

from shelfwise.marc.crosswalk_shared import Linker
from shelfwise.marc.mapping_rules import clean, join_name
from shelfwise.marc.record import Field, Record

# source tag → (family: person | corporate | family, primary responsibility?)
NAME_TAGS: dict[str, tuple[str, bool]] = {
    "700": ("person", True),
    "701": ("person", False),
    "702": ("person", False),
    "710": ("corporate", True),
    "711": ("corporate", False),
    "712": ("corporate", False),
    "720": ("family", True),
    "721": ("family", False),
    "722": ("family", False),
}
PINYIN = ("9", "A")

# UNIMARC relator codes (Appendix C) → MARC relator codes, for the roles libraries use.
RELATORS = {
    "010": "adp",  # adapter
    "020": "ann",  # annotator
    "070": "aut",  # author
    "072": "aqt",  # author in quotations
    "080": "aui",  # author of introduction
    "180": "ctg",  # cartographer
    "205": "clb",  # collaborator
    "212": "cmm",  # commentator
    "220": "com",  # compiler
    "230": "cmp",  # composer
    "340": "edt",  # editor
    "440": "ill",  # illustrator
    "557": "orm",  # organiser of meeting
    "570": "oth",  # other
    "600": "pht",  # photographer
    "610": "prt",  # printer
    "650": "pbl",  # publisher
    "651": "pbd",  # publishing director
    "673": "rth",  # research team head
    "675": "rev",  # reviewer
    "690": "aus",  # scenarist
    "700": "scr",  # scribe
    "710": "sec",  # secretary
    "727": "dgs",  # thesis advisor
    "730": "trl",  # translator
}

_PERSON = {"c": "c", "d": "b", "f": "d", "g": "q", "p": "u"}
_CORPORATE = {"b": "b", "c": "g", "d": "n", "e": "c", "f": "d"}
_MEETING = {"b": "e", "c": "g", "d": "n", "e": "c", "f": "d"}


def names(source: Record, linker: Linker) -> tuple[list[Field], list[Field]]:
    """(the 1XX main entry and its 880, the 7XX added entries and theirs)."""
    main: list[Field] = []
    added: list[Field] = []
    for f in source.fields:
        spec = NAME_TAGS.get(f.tag)
        if spec is None:
            continue
        family, primary = spec
        built = _name(f, family, entry=primary and not main)
        if built is None:
            continue
        target = main if built.tag.startswith("1") else added
        target.append(built)
        pinyin = next((clean(v) for c, v in f.subfields if c in PINYIN and clean(v)), "")
        if pinyin:
            target.append(linker.pair(built, [("a", pinyin)]))
    return main, added


def _name(f: Field, family: str, *, entry: bool) -> Field | None:
    name = _entry(f, family)
    if not name:
        return None
    meeting = family == "corporate" and f.indicators[:1] == "1"
    if family == "person":
        tag, ind1, codes = "00", "1" if f.indicators[1:2] == "1" else "0", _PERSON
    elif family == "family":
        tag, ind1, codes = "00", "3", {"f": "d"}
    else:
        order = f.indicators[1:2]
        tag, ind1 = ("11" if meeting else "10"), order if order in "012" and order else "2"
        codes = _MEETING if meeting else _CORPORATE
    subs: list[tuple[str, str]] = [("a", name)]
    for code, value in f.subfields:
        text = clean(value)
        if text and code in codes:
            subs.append((codes[code], text))
    subs += _relators(f, meeting)
    return Field(("1" if entry else "7") + tag, ind1 + " ", subs)


def _entry(f: Field, family: str) -> str:
    first = f.first("a") or ""
    if family == "person":
        return join_name(first, f.first("b"))
    return clean(first)


def _relators(f: Field, meeting: bool) -> list[tuple[str, str]]:
    terms: list[tuple[str, str]] = []
    codes: list[tuple[str, str]] = []
    for value in f.values("4"):
        text = clean(value)
        if not text:
            continue
        if text.isdigit():
            if text in RELATORS:
                codes.append(("4", RELATORS[text]))
        else:
            terms.append(("j" if meeting else "e", text))
    return terms + codes
