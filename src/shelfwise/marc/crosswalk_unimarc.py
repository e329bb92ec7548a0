"""UNIMARC and CNMARC → MARC 21, following the Library of Congress's UNIMARC to MARC 21
conversion specifications (2001), written here as tables in our own words.

Most fields are one line of :data:`FIELD_MAPS` (source tag, target tag, indicators,
subfield codes); the few that need judgement are small functions: the title (200 →
245, 246, and an 880 with the cataloguer's pinyin), the imprint (210/214 → 260/264),
series (225/410 → 490/830), names (70X/71X/72X → 1XX/7XX, only one 1XX), subjects
(600-608 with UNIMARC's ``$y``/``$z`` swapped into MARC 21's ``$z``/``$y`` and ``$j`` →
``$v``), linking entries (4XX → 76X-78X) and holdings (CNMARC 905, CMARC 805 → 852).
Coded data (leader, 008, 041) is in :mod:`crosswalk_unimarc_coded`.

CNMARC's pinyin (``$9`` at NLC, upper-case ``$A``/``$F`` in Aleph libraries) becomes
an 880 paired with the title or the name it romanises: MARC 21's way of giving a
field in a second script. Pinyin of other fields has no MARC 21 home and is dropped,
as are fields the table does not name (the original stays available as ``unimarc``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from shelfwise.marc import crosswalk_unimarc_coded as coded
from shelfwise.marc.crosswalk_names import NAME_TAGS, names
from shelfwise.marc.crosswalk_shared import (
    Linker,
    TitleStatement,
    in_tag_order,
    isbn_subfields,
    punctuate,
    title_statement,
)
from shelfwise.marc.mapping_rules import clean
from shelfwise.marc.record import Field, Record

PINYIN = ("9", "A")  # the first one present wins, as in the UNIMARC mapping table
SUBDIVISIONS = {"x": "x", "y": "z", "z": "y", "j": "v", "2": "2"}  # UNIMARC → MARC 21


@dataclass(frozen=True, slots=True)
class FieldMap:
    """One UNIMARC field → one MARC 21 field, subfield by subfield; other codes are dropped."""

    source: str
    target: str
    codes: Mapping[str, str]
    indicators: str = "  "  # fixed MARC 21 indicators; "=" keeps the source's
    extra: tuple[tuple[str, str], ...] = ()  # subfields added (084 $2 clc)
    note: str = ""


def _same(codes: str) -> dict[str, str]:
    return {c: c for c in codes}


FIELD_MAPS: tuple[FieldMap, ...] = (
    FieldMap("011", "022", {"a": "a", "y": "y", "z": "z"}, note="ISSN"),
    FieldMap("013", "024", {"a": "a", "z": "z"}, "2 ", note="ISMN"),
    FieldMap("015", "027", {"a": "a", "z": "z"}, note="ISRN"),
    FieldMap("016", "024", {"a": "a", "z": "z"}, "0 ", note="ISRC"),
    FieldMap("017", "024", {"a": "a", "z": "z", "2": "2"}, "7 ", note="other standard number"),
    FieldMap("020", "015", {"b": "a", "z": "z"}, note="national bibliography number"),
    FieldMap("021", "017", {"b": "a", "z": "z"}, note="legal deposit number"),
    FieldMap("022", "086", {"c": "a", "z": "z"}, note="government publication number"),
    FieldMap("035", "035", {"a": "a", "z": "z"}, note="other system control number"),
    FieldMap("040", "030", {"a": "a", "z": "z"}, note="CODEN"),
    FieldMap("071", "028", {"a": "a", "b": "b"}, "52", note="publisher's number"),
    FieldMap("091", "024", {"a": "a"}, "8 ", note="CNMARC unified book number (统一书刊号)"),
    FieldMap("206", "255", {"a": "a"}, note="cartographic mathematical data"),
    FieldMap("207", "362", {"a": "a"}, "0 ", note="serial numbering"),
    FieldMap("208", "254", {"a": "a"}, note="printed music statement"),
    FieldMap("230", "256", {"a": "a"}, note="electronic resource characteristics"),
    FieldMap("327", "505", {"a": "a"}, "0 ", note="contents; several $a joined ' -- '"),
    FieldMap("530", "222", {"a": "a", "b": "b"}, " 0", note="key title"),
    FieldMap("531", "210", {"a": "a", "b": "b"}, "0 ", note="abbreviated title"),
    FieldMap("520", "247", {"a": "a", "e": "b", "h": "n", "i": "p", "x": "x"}, "10"),
    FieldMap("541", "242", {"a": "a", "e": "b", "h": "n", "i": "p", "z": "y"}, "00"),
    FieldMap("501", "243", {"a": "a", "e": "k", "j": "f"}, "10", note="collective uniform title"),
    FieldMap("503", "730", {"a": "a"}, "0 ", note="uniform conventional heading"),
    FieldMap("610", "653", {"a": "a"}, "= ", note="uncontrolled subject terms"),
    FieldMap("675", "080", {"a": "a", "v": "2"}, note="UDC; $v edition"),
    FieldMap("676", "082", {"a": "a", "v": "2"}, "04", note="DDC; $v edition"),
    FieldMap("680", "050", {"a": "a", "b": "b"}, " 4", note="LCC"),
    FieldMap("686", "084", {"a": "a", "b": "b", "2": "2"}, note="other classification"),
    FieldMap("690", "084", {"a": "a"}, extra=(("2", "clc"),), note="CNMARC CLC (中图法)"),
    FieldMap("692", "084", {"a": "a"}, note="CNMARC 科图法: MARC 21 has no source code"),
    FieldMap("681", "084", {"a": "a"}, note="CMARC CCL: MARC 21 has no source code"),
    FieldMap("856", "856", _same("abcdfhijklmnopqrstuvwxyz23"), "= ", note="electronic location"),
)
_BY_SOURCE = {m.source: m for m in FIELD_MAPS}

# 3XX notes: each $a becomes one note of this tag (MARC 21 notes hold one $a).
NOTES: dict[str, str] = {tag: "500" for tag in (f"3{n:02d}" for n in range(100))}
NOTES.update(
    {
        "316": "590",  # note relating to the copy in hand: local
        "317": "561",  # provenance
        "320": "504",  # bibliographies and indexes
        "322": "508",  # credits
        "323": "511",  # cast
        "325": "533",  # reproduction
        "326": "310",  # frequency
        "328": "502",  # dissertation
        "330": "520",  # summary
        "332": "524",  # preferred citation
        "333": "521",  # audience
        "334": "586",  # awards
        "336": "516",  # type of electronic resource
        "337": "538",  # system details
    }
)
NOTES.pop("327")  # contents: one 505 (FIELD_MAPS)

# 5XX related titles that become 246 varying forms: (second indicator, the title's kind).
VARIANT_TITLES: dict[str, str] = {
    "510": "1",  # parallel title
    "512": "4",  # cover title
    "513": "5",  # added title-page title
    "514": "6",  # caption title
    "515": "7",  # running title
    "516": "8",  # spine title
    "517": " ",  # other variant title
    "518": " ",  # title in standard modern spelling
    "532": " ",  # expanded title
    "540": " ",  # title supplied by the cataloguer
    "545": " ",  # section title
}
TITLE_CODES = {"a": "a", "e": "b", "h": "n", "i": "p"}
UNIFORM_CODES = {"a": "a", "h": "n", "i": "p", "k": "f", "l": "k", "m": "l", "n": "g", "r": "m"}

# 4XX linking entries → 76X-78X, with the MARC 21 second indicator where it has a meaning.
LINKS: dict[str, tuple[str, str]] = {
    "421": ("770", " "),  # supplement
    "422": ("772", " "),  # parent of supplement
    "423": ("777", " "),  # issued with
    **{f"43{n}": ("780", str(n)) for n in range(8)},  # continues, supersedes...
    **{f"44{n}": ("785", str(n)) for n in range(9)},  # continued by, superseded by...
    "451": ("775", " "),  # other edition, same medium
    "452": ("776", " "),  # other medium
    "453": ("767", " "),  # translated as
    "454": ("765", " "),  # translation of
    "455": ("787", " "),  # reproduction of
    "456": ("787", " "),  # reproduced as
    "461": ("773", " "),  # set
    "462": ("773", " "),  # subset
    "463": ("774", " "),  # piece
    "464": ("774", " "),  # piece-analytic
    "470": ("787", " "),  # item reviewed
    "481": ("787", " "),  # also bound in this volume
    "482": ("787", " "),  # bound with
    "488": ("787", " "),  # other related works
}
# Embedded fields inside a link ($1 + tag): which of their subfields feed which 7XX code.
EMBEDDED = {("001", ""): "w", ("200", "a"): "t", ("700", "a"): "a", ("710", "a"): "a"}
EMBEDDED |= {("010", "a"): "z", ("011", "a"): "x", ("205", "a"): "b", ("210", "d"): "d"}
LINK_CODES = {"t": "t", "a": "a", "x": "x", "y": "z", "v": "g", "e": "b", "d": "d", "c": "d"}

# 6XX subjects: target tag and which UNIMARC heading subfields feed which MARC 21 ones.
SUBJECTS: dict[str, tuple[str, dict[str, str]]] = {
    "600": ("600", {"a": "a", "c": "c", "d": "b", "f": "d", "g": "q", "t": "t"}),
    "602": ("600", {"a": "a", "f": "d", "t": "t"}),
    "604": ("600", {"a": "a", "t": "t"}),
    "605": ("630", {"a": "a", "h": "n", "i": "p", "k": "f", "l": "k", "m": "l", "n": "g"}),
    "606": ("650", {"a": "a"}),
    "607": ("651", {"a": "a"}),
    "608": ("655", {"a": "a"}),
}


def convert(source: Record) -> Record:
    """``source`` (UNIMARC) as a MARC 21 record; see the module docstring."""
    leader = coded.leader(source)
    out = _controls(source, leader[6])
    linker = Linker()
    main, added = names(source, linker)
    out += _standard_numbers(source)
    out += coded.languages(source)
    out += _classification(source)
    out += main
    out += _titles(source, linker, has_main=bool(main))
    out += _publication(source)
    out += _notes(source)
    out += _subjects(source)
    out += added
    out += _links(source)
    out += _simple(source, ("856",))
    out += _cataloguing_source(source)
    out += _holdings(source)
    unique: list[Field] = []
    for f in out:  # 200 $d and 510 may give the same 246
        if f not in unique:
            unique.append(f)
    return Record(leader, in_tag_order(unique))


def _controls(source: Record, type_of_record: str) -> list[Field]:
    out = [Field("001", data=v) for v in [source.control("001")] if v]
    stamp = source.control("005")
    if stamp:
        out.append(Field("005", data=stamp))
    out.append(coded.fixed_length(source, type_of_record))
    return out


def _map(f: Field, spec: FieldMap) -> list[Field]:
    ind = "".join(
        source if wanted == "=" else wanted
        for wanted, source in zip(spec.indicators, (f.indicators + "  ")[:2], strict=True)
    )
    if spec.source == "327":  # UNIMARC 0 incomplete, 1 complete; MARC 21 the other way
        ind = {"0": "1", "1": "0", "2": "2"}.get(f.indicators[:1], "0") + " "
    subs = [(spec.codes[c], v) for c, v in f.subfields if c in spec.codes and v.strip()]
    if spec.source == "327":
        subs = [("a", " -- ".join(clean(v) for _, v in subs))] if subs else []
    if not subs:
        return []
    return [Field(spec.target, ind, subs + list(spec.extra))]


def _simple(source: Record, tags: tuple[str, ...]) -> list[Field]:
    return [g for tag in tags for f in source.get_fields(tag) for g in _map(f, _BY_SOURCE[tag])]


def _standard_numbers(source: Record) -> list[Field]:
    out: list[Field] = []
    for f in source.get_fields("010"):
        out += isbn_subfields(f.values("a"), f.first("b") or "", f.first("d") or "")
        out += [Field("020", "  ", [("z", clean(v))]) for v in f.values("z") if clean(v)]
    tags = ("011", "013", "015", "016", "017", "020", "021", "022", "035", "040", "071", "091")
    return out + _simple(source, tags)


def _classification(source: Record) -> list[Field]:
    return _simple(source, ("680", "675", "676", "686", "690", "692", "681"))


def _titles(source: Record, linker: Linker, *, has_main: bool) -> list[Field]:
    out: list[Field] = []
    uniform = source.get_fields("500")
    for index, f in enumerate(uniform):
        subs = [(UNIFORM_CODES[c], clean(v)) for c, v in f.subfields if c in UNIFORM_CODES]
        subs = [(c, v) for c, v in subs if v]
        if not subs:
            continue
        tag = ("240" if has_main else "130") if index == 0 else "730"
        ind = {"240": "10", "130": "0 ", "730": "0 "}[tag]
        out.append(Field(tag, ind, subs))
    out += _simple(source, ("501", "503"))
    out += _title_statement(source, linker, has_main=has_main)
    out += _simple(source, ("206", "207", "208", "230"))
    out += _variant_titles(source)
    out += _simple(source, ("520", "530", "531", "541"))
    for f in source.get_fields("205"):
        edition = [("a", " = ".join(clean(v) for v in f.values("a", "d") if clean(v)))]
        edition += [("b", " ; ".join(clean(v) for v in f.values("f", "g") if clean(v)))]
        subs = punctuate("250", [(c, v) for c, v in edition if v])
        if subs:
            out.append(Field("250", "  ", subs))
    return out


def _title_statement(source: Record, linker: Linker, *, has_main: bool) -> list[Field]:
    out: list[Field] = []
    for f in source.get_fields("200")[:1]:
        statement = TitleStatement(
            titles=f.values("a"),
            parts=[("n" if c == "h" else "p", v) for c, v in f.subfields if c in "hi"],
            material=f.first("b") or "",
            parallel=f.values("d"),
            other=f.values("e"),
            responsibility=f.values("f", "g") + f.values("c"),
        )
        title = title_statement(statement, ind1="1" if has_main else "0", ind2=_nonfiling(f))
        out.append(title)
        pinyin = next((v for c, v in f.subfields if c in PINYIN and clean(v)), "")
        if pinyin:
            romanised = TitleStatement(titles=[pinyin], responsibility=f.values("F"))
            twin = title_statement(romanised, ind1=title.indicators[0], tag="880")
            out.append(linker.pair(title, twin.subfields))
        out += [Field("246", "31", [("a", clean(p))]) for p in f.values("d") if clean(p)]
    return out


_NSB, _NSE = "\x88", "\x89"  # UNIMARC non-sorting begin and end (ISO 6630)


def _nonfiling(f: Field) -> str:
    """245 second indicator: the characters UNIMARC marks as non-sorting (NSB...NSE)."""
    first = f.first("a") or ""
    if first.startswith(_NSB) and _NSE in first:
        return str(min(9, first.index(_NSE) - 1))
    return "0"


def _variant_titles(source: Record) -> list[Field]:
    out: list[Field] = []
    for tag, kind in VARIANT_TITLES.items():
        for f in source.get_fields(tag):
            subs = [(TITLE_CODES[c], clean(v)) for c, v in f.subfields if c in TITLE_CODES]
            subs = [(c, v) for c, v in subs if v]
            if subs and subs[0][0] == "a":
                out.append(Field("246", "3" + kind, subs))
    return out


def _publication(source: Record) -> list[Field]:
    out: list[Field] = []
    imprint = {"a": "a", "c": "b", "d": "c", "e": "e", "g": "f", "h": "g"}
    for f in source.get_fields("210"):
        subs = punctuate("260", [(imprint[c], v) for c, v in f.subfields if c in imprint])
        if subs:
            out.append(Field("260", "  ", subs))
    functions = {"0": "1", "1": "0", "2": "2", "3": "3", "4": "4"}
    for f in source.get_fields("214"):
        subs = punctuate("264", [(imprint[c], v) for c, v in f.subfields if c in "acd"])
        if subs:
            out.append(Field("264", " " + functions.get(f.indicators[1:2], "1"), subs))
    extent = {"a": "a", "c": "b", "d": "c", "e": "e"}
    for f in source.get_fields("215"):
        subs = punctuate("300", [(extent[c], v) for c, v in f.subfields if c in extent])
        if subs:
            out.append(Field("300", "  ", subs))
    out += _series(source)
    return out


def _series(source: Record) -> list[Field]:
    out: list[Field] = []
    traced = bool(source.get_fields("410"))
    for f in source.get_fields("225"):
        title = " = ".join(clean(v) for v in f.values("a", "d") if clean(v))
        for code, sep in (("e", " : "), ("h", ". "), ("i", ", "), ("f", " / ")):
            title += "".join(sep + clean(v) for v in f.values(code) if clean(v))
        subs = [("a", title)] if title else []
        subs += [("x", clean(v)) for v in f.values("x") if clean(v)]
        subs += [("v", clean(v)) for v in f.values("v") if clean(v)]
        if subs:
            out.append(Field("490", ("1" if traced else "0") + " ", punctuate("490", subs)))
    for f in source.get_fields("410"):
        parts = _link_parts(f)
        subs = [("a", parts["t"])] if parts.get("t") else []
        subs += [(c, parts[c]) for c in "xv" if parts.get(c)]
        subs = [("v", v) if c == "g" else (c, v) for c, v in subs]
        if subs and subs[0][0] == "a":
            out.append(Field("830", " 0", punctuate("830", subs)))
    return out


def _link_parts(f: Field) -> dict[str, str]:
    """A 4XX link's parts by MARC 21 7XX code, from plain or embedded ($1) subfields."""
    parts: dict[str, str] = {}
    embedded = ""
    for code, value in f.subfields:
        if code == "1":
            embedded = value[:3]
            if embedded == "001" and value[3:].strip():
                parts.setdefault("w", value[3:].strip())
            continue
        target = EMBEDDED.get((embedded, code)) if embedded else LINK_CODES.get(code)
        if code == "v":
            target = "v" if f.tag == "410" else "g"
        if target and clean(value):
            parts.setdefault(target, clean(value))
    return parts


def _links(source: Record) -> list[Field]:
    out: list[Field] = []
    for tag, (target, ind2) in LINKS.items():
        for f in source.get_fields(tag):
            parts = _link_parts(f)
            subs = [(c, parts[c]) for c in "atbdgwxz" if parts.get(c)]
            if subs:
                out.append(Field(target, "0" + ind2, subs))
    return out


def _notes(source: Record) -> list[Field]:
    out: list[Field] = []
    for f in source.fields:
        target = NOTES.get(f.tag)
        if target is None:
            continue
        out += [Field(target, "  ", [("a", clean(v))]) for v in f.values("a") if clean(v)]
    return out + _simple(source, ("327",))


def _subjects(source: Record) -> list[Field]:
    out: list[Field] = []
    for f in source.fields:
        if f.tag == "601":
            meeting = f.indicators[:1] == "1"
            heads = {"a": "a", "b": "e" if meeting else "b", "d": "n", "e": "c", "f": "d"}
            out += _subject(f, "611" if meeting else "610", heads, "2")
        elif f.tag in SUBJECTS:
            target, heads = SUBJECTS[f.tag]
            ind1 = {"600": "1", "602": "3", "604": "1"}.get(f.tag, f.indicators[:1])
            if f.tag == "600" and f.indicators[1:2] == "0":
                ind1 = "0"
            out += _subject(f, target, heads, ind1)
        elif f.tag == "610":
            out += _simple_one(f)
    return out


def _simple_one(f: Field) -> list[Field]:
    return _map(f, _BY_SOURCE[f.tag])


def _subject(f: Field, target: str, heads: dict[str, str], ind1: str) -> list[Field]:
    subs: list[tuple[str, str]] = []
    entry_rest = f.first("b") if target == "600" and f.tag == "600" else None
    for code, value in f.subfields:
        text = clean(value)
        if not text or code in PINYIN:
            continue
        if target == "600" and f.tag == "600" and code == "b":
            continue  # joined to $a below
        mapped = heads.get(code) or SUBDIVISIONS.get(code)
        if mapped:
            subs.append((mapped, text))
    if entry_rest and subs and subs[0][0] == "a":
        subs[0] = ("a", f"{subs[0][1]}, {clean(entry_rest)}")
    if not subs or subs[0][0] != "a":
        return []
    if target in ("650", "651", "655") and ind1 not in " 012":
        ind1 = " "
    if target == "651":
        ind1 = " "
    if target == "655":
        ind1 = " "
    ind2 = "7" if any(c == "2" for c, _ in subs) else "4"
    if target == "630":
        ind1 = "0"
    return [Field(target, (ind1 if ind1 in "0123 " else " ") + ind2, subs)]


def _cataloguing_source(source: Record) -> list[Field]:
    by_function: dict[str, str] = {}
    for f in source.get_fields("801"):
        agency = clean(f.first("b") or "")
        if agency:
            by_function.setdefault(f.indicators[1:2], agency)
    original = by_function.get("0") or by_function.get("3") or next(iter(by_function.values()), "")
    if not original:
        return []
    subs = [("a", original)]
    general = next(iter(source.subfield_values("100", "a")), "")
    if len(general) >= 25 and general[22:25].strip().isalpha():
        subs.append(("b", general[22:25].lower()))
    subs.append(("c", by_function.get("1", original)))
    for function in ("2", "3"):
        if by_function.get(function) and by_function[function] != original:
            subs.append(("d", by_function[function]))
    return [Field("040", "  ", subs)]


# Local holdings → 852: CNMARC 905 ($a library, $b barcode, $c location, $d class,
# $e book number, $f volume, $s ready-made call number), Taiwan CMARC 805.
HOLDINGS: dict[str, Callable[[Field], list[tuple[str, str]]]] = {
    "905": lambda f: _holding(f, branch="a", barcode="b", location="c", call="de", volume="f"),
    "805": lambda f: _holding(f, branch="a", barcode="c", location="b", call="de", volume="y"),
}


def _holding(
    f: Field, *, branch: str, barcode: str, location: str, call: str, volume: str
) -> list[tuple[str, str]]:
    def first(code: str) -> str:
        return clean(f.first(code) or "")

    subs = [("b", first(branch)), ("c", first(location))]
    klass, item = (first(c) for c in call)
    if klass or item:
        subs += [(c, v) for c, v in (("h", klass), ("i", item)) if v]
    elif first("s"):
        subs.append(("h", first("s")))
    if first(volume) and len(subs) > 2:
        code, value = subs[-1]
        subs[-1] = (code, f"{value}:{first(volume)}")  # as the UNIMARC mapping composes it
    subs.append(("p", first(barcode)))
    return [(c, v) for c, v in subs if v]


def _holdings(source: Record) -> list[Field]:
    out = []
    for tag, build in HOLDINGS.items():
        for f in source.get_fields(tag):
            subs = build(f)
            if subs:
                out.append(Field("852", "  ", subs))
    return out


__all__ = ["FIELD_MAPS", "NAME_TAGS", "convert"]
