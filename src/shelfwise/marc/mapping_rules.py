"""The vocabulary the dialect mapping tables are written in.

Each dialect (``mapping_marc21.py``, ``mapping_unimarc.py``, ``mapping_kormarc.py``)
is a tuple of :class:`Rule` values: which tags and subfields feed which
:class:`~shelfwise.marc.description.Description` attribute, and how values are
collected. Rules that need logic carry a small function, and the rest is data so
that ``docs/marc-mapping.md`` can be generated from the same tables that run.
Shared text rules (ISBD punctuation, years, names) live here too, because every
dialect applies them the same way.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable, KeysView
from dataclasses import dataclass
from enum import StrEnum

from shelfwise.core import isbn
from shelfwise.marc.description import Classification, ClassScheme, Description, HoldingCopy
from shelfwise.marc.record import Field, Record


class Collect(StrEnum):
    FIRST = "first field"  # the first field (in tag order) that yields a value
    EACH_FIELD = "each field"  # one value per field, in record order
    EACH_SUBFIELD = "each subfield"  # one value per subfield occurrence
    CUSTOM = "rule"  # a small function; tags/codes only document what it reads


Apply = Callable[["Source", Description], None]


@dataclass(frozen=True, slots=True)
class Rule:
    """One line of a mapping table."""

    target: str  # Description attribute
    tags: tuple[str, ...]
    codes: str = ""  # subfield codes read, in field order; "" for control fields
    collect: Collect = Collect.FIRST
    join: str = " "  # between subfield values of one field
    first_subfield: bool = False  # take only the first matching subfield of a field
    when: Callable[[Field], bool] | None = None
    fn: Apply | None = None
    note: str = ""
    tags_label: str = ""  # how the doc names the tags ("5XX") when the tuple is long

    def apply(self, source: Source, desc: Description) -> None:
        if self.fn is not None:
            self.fn(source, desc)
            return
        current = getattr(desc, self.target)
        values = self._values(source)
        if isinstance(current, list):
            for value in values:
                if value not in current:
                    current.append(value)
        elif values and not current:
            setattr(desc, self.target, values[0])

    def _values(self, source: Source) -> list[str]:
        found: list[str] = []
        for tag in self.tags:
            for fld in source.fields(tag):
                if self.when is not None and not self.when(fld):
                    continue
                if self.collect is Collect.EACH_SUBFIELD:
                    found.extend(v for v in (clean(x) for x in fld.values(*self.codes)) if v)
                    continue
                value = field_text(fld, self.codes, self.join, first=self.first_subfield)
                if value:
                    found.append(value)
                    if self.collect is Collect.FIRST:
                        return found
        return found

    @property
    def source_label(self) -> str:
        tags = self.tags_label or ", ".join(self.tags)
        codes = " ".join(f"${c}" for c in self.codes if c != " ")
        return f"{tags} {codes}".strip()


class Source:
    """A record as the rules see it.

    With ``link_880`` (MARC 21 and KORMARC), a field that has a linked 880
    (``$6 880-NN`` here, ``$6 TAG-NN`` there) is *seen as* the vernacular 880, and
    the original field becomes its romanised twin; an 880 linked to nothing
    (occurrence ``00``) stands in for its tag on its own.
    """

    def __init__(self, record: Record, *, link_880: bool) -> None:
        self.record = record
        # Rules ask for fields by tag well over a hundred times per record: index
        # the record's tags once instead of scanning it on every question. A lazy
        # record builds only the fields some rule asks for (issue 15 item 3).
        self._positions = record.tag_positions()
        self._by_tag: dict[str, list[Field]] = {}
        self._link = link_880 and "880" in self._positions
        self._pairs: dict[str, list[tuple[Field, Field | None]]] = {}
        self._preferred: dict[str, list[Field]] = {}

    def tags(self) -> KeysView[str]:
        """The tags the record has."""
        return self._positions.keys()

    def _plain(self, tag: str) -> list[Field]:
        found = self._by_tag.get(tag)
        if found is None:
            at = self._positions.get(tag)
            found = [self.record.field_at(i) for i in at] if at else _NO_FIELDS
            self._by_tag[tag] = found
        return found

    def fields(self, tag: str) -> list[Field]:
        """The fields of ``tag`` as the rules should read them (callers must not mutate the list)."""
        if not self._link:
            return self._plain(tag)
        cached = self._preferred.get(tag)
        if cached is None:
            cached = [preferred for preferred, _ in self.pairs(tag)]
            self._preferred[tag] = cached
        return cached

    def pairs(self, tag: str) -> list[tuple[Field, Field | None]]:
        """(preferred field, romanised twin or None) for every field of ``tag``."""
        cached = self._pairs.get(tag)
        if cached is None:
            cached = self._build_pairs(tag) if self._link else [(f, None) for f in self._plain(tag)]
            self._pairs[tag] = cached
        return cached

    def _build_pairs(self, tag: str) -> list[tuple[Field, Field | None]]:
        vernacular: dict[str, Field] = {}
        orphans: list[Field] = []
        for f in self._plain("880"):
            link_tag, occurrence = _link_of(f)
            if link_tag != tag:
                continue
            if occurrence in ("", "00") or occurrence in vernacular:
                orphans.append(f)
            else:
                vernacular[occurrence] = f
        pairs: list[tuple[Field, Field | None]] = []
        used: set[str] = set()
        for f in self._plain(tag):
            link_tag, occurrence = _link_of(f)
            twin = vernacular.get(occurrence) if link_tag == "880" else None
            if twin is None:
                pairs.append((f, None))
                continue
            used.add(occurrence)
            if _non_latin(f) and not _non_latin(twin):
                # The vernacular is in the regular field and the 880 holds its
                # romanisation (what our MARC 21 crosswalk writes for CNMARC pinyin).
                pairs.append((_without_link(f), _as_tag(twin, tag)))
            else:
                pairs.append((_as_tag(twin, tag), f))
        # An 880 whose partner is missing is still the best text we have for its tag.
        orphans.extend(v for occ, v in vernacular.items() if occ not in used)
        pairs.extend((_as_tag(v, tag), None) for v in orphans)
        return pairs


_NO_FIELDS: list[Field] = []


def _link_of(fld: Field) -> tuple[str, str]:
    link = fld.first("6")
    if not link:
        return "", ""
    head = link.split("/", 1)[0].strip()
    tag, _, occurrence = head.partition("-")
    return tag, occurrence


def _non_latin(fld: Field) -> bool:
    """Whether the field has letters beyond Latin (Han, Hangul, Cyrillic, Arabic...)."""
    return any(ch >= "\u0370" and ch.isalpha() for _, value in fld.subfields for ch in value)


def _without_link(fld: Field) -> Field:
    return Field(fld.tag, fld.indicators, [(c, v) for c, v in fld.subfields if c != "6"], fld.data)


def _as_tag(fld: Field, tag: str) -> Field:
    subfields = [(c, v) for c, v in fld.subfields if c != "6"]
    return Field(tag=tag, indicators=fld.indicators, subfields=subfields, data=fld.data)


def fallback_title(tags: tuple[str, ...], codes: str) -> Apply:
    """A rule function: when the title proper gave no title, the first of ``tags`` that
    has ``codes`` text (parts joined ". ") becomes the title, and its tag the source."""

    def apply(source: Source, desc: Description) -> None:
        if desc.title:
            return
        for tag in tags:
            for fld in source.fields(tag):
                text = field_text(fld, codes, ". ")
                if text:
                    desc.title, desc.title_source = text, tag
                    return

    return apply


# --- text rules shared by every dialect --------------------------------------

# Trailing ISBD separators: " /" before a statement of responsibility, " :" before
# other title information or a publisher, " ;" before a series number or a
# subsequent statement, " =" before a parallel title, and commas.
_TRAILING_SEPARATOR = re.compile(r"\s*[/:;=,]\s*$")
# A full stop is ISBD punctuation unless it ends an abbreviation or an initial.
_ABBREVIATIONS = frozenset(
    {"ed", "eds", "etc", "inc", "co", "corp", "ltd", "jr", "sr", "dr", "st", "no", "vol"}
    | {"vols", "v", "p", "pp", "cm", "mm", "ill", "col", "pbk", "hbk", "rev", "enl", "bros"}
    | {"dept", "univ", "assn"}
)
_LAST_WORD = re.compile(r"(\w+)\.$")
# Non-sorting begin/end marks around an article ("\x88L'\x89altra faccia"): UNIMARC
# (ISO 6630 NSB/NSE) and MARC 21 Unicode (U+0098/U+009C). Display text never keeps them.
_NON_SORTING = str.maketrans("", "", "\x88\x89\x98\x9c")


# The same values (publishers, places, headings, language codes, call numbers) recur
# across a catalogue: on the demo library 79 % of calls repeat one already made, and
# keeping the last 65,536 answers cut parse + mapping CPU from ~310 to ~230 µs a
# record. A pure function of its text, so an answer can never be stale.
@functools.lru_cache(maxsize=1 << 16)
def clean(text: str) -> str:
    """Trim whitespace and trailing ISBD punctuation; NFC-normalise; drop non-sorting marks.

    Removes, repeatedly, a trailing ``/ : ; = ,`` and a trailing full stop,
    except a full stop that closes an ellipsis, a capital initial ("J.") or
    a short list of abbreviations ("ed.", "p.", "Inc."). Leading text and the
    script are never touched; Chinese full stops (。) are kept as written.
    """
    value = unicodedata.normalize("NFC", text).translate(_NON_SORTING).strip()
    while True:
        before = value
        value = _TRAILING_SEPARATOR.sub("", value).rstrip()
        if value.endswith(".") and not value.endswith("..."):
            match = _LAST_WORD.search(value)
            word = match.group(1) if match else ""
            # An initial is a capital ("Smith, J."); a lower-case letter before the stop is
            # a word, such as the pinyin syllable e (鹅) ending a romanised title.
            initial = len(word) == 1 and word.isascii() and word.isupper()
            if not initial and word.lower() not in _ABBREVIATIONS:
                value = value[:-1].rstrip()
        if value == before:
            return value


def field_text(fld: Field, codes: str, join: str = " ", *, first: bool = False) -> str:
    """The cleaned values of ``codes`` in field order, joined; ``data`` for control fields."""
    if fld.is_control:
        return clean(fld.data or "")
    values = [v for v in (clean(x) for x in fld.values(*codes)) if v]
    if first:
        values = values[:1]
    return clean(join.join(values))


_YEAR = re.compile(r"(?<!\d)(\d{4})(?!\d)")
# 民国 (Republic of China) years: 民国25年, 民國82, 民84 — year 1 is 1912.
_ROC_YEAR = re.compile(r"民[國国]?\s*(\d{1,3})(?!\d)")
ROC_EPOCH = 1911


def year_of(text: str | None) -> int | None:
    """First plausible year (1000–2100) in a catalogued date, else a 民国 year, else None.

    "c2013." → 2013, "[1998?]" → 1998, "2010印刷" → 2010, "1993[民82]" → 1993,
    "民国25年" → 1936. Years written in Chinese numerals (民国二十五年) are not read.
    """
    if not text:
        return None
    for match in _YEAR.finditer(text):
        year = int(match.group(1))
        if 1000 <= year <= 2100:
            return year
    roc = _ROC_YEAR.search(text)
    if roc is not None and int(roc.group(1)) > 0:
        return ROC_EPOCH + int(roc.group(1))
    return None


def _is_cjk(text: str) -> bool:
    return any(
        "\u3400" <= ch <= "\u9fff" or "\uac00" <= ch <= "\ud7af" or "\uf900" <= ch <= "\ufaff"
        for ch in text
    )


def join_name(entry: str, rest: str | None) -> str:
    """Entry element + rest of name: 张 + 扬 → 张扬, Austen + Jane → "Austen, Jane"."""
    # Some agencies (ICCU) write the comma into $b: "Asimov" + ", Isaac".
    entry, rest = clean(entry), clean(rest or "").lstrip(", ").strip()
    if not rest:
        return entry
    if _is_cjk(entry) and _is_cjk(rest):
        return entry + rest
    return f"{entry}, {rest}"


def hierarchy_text(values: Iterable[str]) -> str:
    """A body and its subordinate units: "United States." + "War Dept." → "United States. War Dept.".

    Each unit is cleaned of its ISBD full stop and the units are joined with ". ",
    so the full stop that separates the hierarchy survives (a plain space-join lost it).
    """
    return clean(". ".join(v for v in (clean(x) for x in values) if v))


def meeting_text(values: Iterable[str]) -> str:
    """A meeting name with its number, date and place as catalogued, parentheses balanced.

    ``…Ship Design`` + ``(7th :`` + ``1991 :`` + ``Rio de Janeiro, Brazil)`` →
    "…Ship Design (7th : 1991 : Rio de Janeiro, Brazil)". The qualifier's inner
    ISBD punctuation belongs to the name, so values are joined as written and
    only the end is cleaned; a qualifier the cataloguer left open is closed.
    """
    text = clean(" ".join(v.strip() for v in values if v.strip()))
    missing = text.count("(") - text.count(")")
    if missing > 0:
        text = clean(text) + ")" * missing
    return text


def corporate_name(fld: Field, hierarchy: str, qualifiers: str) -> str:
    """A corporate name: the ``hierarchy`` subfields joined as units (:func:`hierarchy_text`),
    then the ``qualifiers`` (meeting number, date, place...) in field order, balanced."""
    head = hierarchy_text(v for c, v in fld.subfields if c in hierarchy)
    extra = [v for c, v in fld.subfields if c in qualifiers]
    return meeting_text([head, *extra]) if extra else head


def unique(values: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for value in values:
        if value and value not in seen:
            seen.append(value)
    return seen


# --- table-driven rules for classifications, subjects and holdings -------------


def scheme_from_code(code: str | None) -> ClassScheme:
    """The scheme named by a $2 source code ("clc", "kdc", "kdcp", "udc"...)."""
    value = (code or "").strip().lower()
    for prefix, scheme in (
        ("clc", ClassScheme.CLC),
        ("kdc", ClassScheme.KDC),
        ("ddc", ClassScheme.DDC),
        ("udc", ClassScheme.UDC),
        ("lcc", ClassScheme.LCC),
    ):
        if value.startswith(prefix):
            return scheme
    return ClassScheme.OTHER


@dataclass(frozen=True, slots=True)
class ClassSource:
    """A classification field: every ``number`` subfield is one class number."""

    tag: str
    scheme: ClassScheme | None  # None: named by $2
    number: str = "a"
    edition: str = ""  # subfield code holding the scheme edition, if any
    note: str = ""


def _class_number(scheme: ClassScheme, value: str) -> str:
    number = clean(value)
    if scheme is ClassScheme.DDC:
        # Segmentation marks (823/.914, 823'.7) show where to abridge; not part of the number.
        number = number.replace("/", "").replace("'", "")
    return number


def apply_classes(source: Source, desc: Description, table: Iterable[ClassSource]) -> None:
    for spec in table:
        for fld in source.fields(spec.tag):
            scheme = spec.scheme or scheme_from_code(fld.first("2"))
            edition = clean(fld.first(spec.edition) or "") if spec.edition else ""
            for value in fld.values(spec.number):
                number = _class_number(scheme, value)
                item = Classification(scheme, number, edition or None)
                if number and item not in desc.classifications:
                    desc.classifications.append(item)


class HeadingStyle(StrEnum):
    WORDS = "words"  # heading subfields joined with spaces
    HIERARCHY = "hierarchy"  # a body and its units: "United States. War Dept."
    MEETING = "meeting"  # a meeting: "Conference (7th : 1991 : Rio de Janeiro)"


@dataclass(frozen=True, slots=True)
class SubjectSource:
    """Subject fields: the heading subfields, then each subdivision after " -- "."""

    tags: tuple[str, ...]
    head: str
    subdivisions: str = ""
    split: bool = False  # uncontrolled keywords: every heading subfield is its own subject
    style: HeadingStyle = HeadingStyle.WORDS


def subject_text(
    fld: Field, head: str, subdivisions: str, style: HeadingStyle = HeadingStyle.WORDS
) -> str:
    heading: list[str] = []
    parts: list[str] = []
    for code, raw in fld.subfields:
        value = clean(raw)
        if not value:
            continue
        if code in subdivisions or (code in head and parts):
            parts.append(value)
        elif code in head:
            heading.append(raw if style is HeadingStyle.MEETING else value)
    if style is HeadingStyle.MEETING:
        text = meeting_text(heading)
    elif style is HeadingStyle.HIERARCHY:
        text = hierarchy_text(heading)
    else:
        text = " ".join(heading)
    return " -- ".join(([text] if text else []) + parts)


def apply_subjects(source: Source, desc: Description, table: Iterable[SubjectSource]) -> None:
    found: list[str] = []
    for spec in table:
        for tag in spec.tags:
            for fld in source.fields(tag):
                if spec.split:
                    found.extend(clean(v) for v in fld.values(*spec.head))
                else:
                    found.append(subject_text(fld, spec.head, spec.subdivisions, spec.style))
    desc.subjects.extend(v for v in unique(found) if v not in desc.subjects)


@dataclass(frozen=True, slots=True)
class HoldingSource:
    """A holdings field read into one HoldingCopy per field."""

    tag: str
    barcode: str = ""
    call_parts: str = ""  # subfield codes composing the call number
    call_seps: tuple[str, ...] = ()  # separator before the 2nd, 3rd... part
    call_fallback: str = ""  # a ready-made call number used when no part is present
    branch: str = ""
    location: str = ""
    price: str = ""
    rfid: str = ""
    note: str = ""


def compose_call_number(fld: Field, parts: str, seps: tuple[str, ...]) -> str:
    result = ""
    for index, code in enumerate(parts):
        value = clean(fld.first(code) or "")
        if not value:
            continue
        if result:
            result += seps[index - 1] if 0 < index <= len(seps) else " "
        result += value
    return result


def _sub(fld: Field, code: str) -> str | None:
    if not code:
        return None
    return clean(fld.first(code) or "") or None


def apply_holdings(
    source: Source,
    desc: Description,
    table: Iterable[HoldingSource],
    *,
    default_price: str | None = None,
    default_call_number: str | None = None,
) -> None:
    for spec in table:
        for fld in source.record.get_fields(spec.tag):
            call = compose_call_number(fld, spec.call_parts, spec.call_seps)
            call = call or _sub(fld, spec.call_fallback) or default_call_number or ""
            desc.holdings.append(
                HoldingCopy(
                    barcode=_sub(fld, spec.barcode),
                    call_number=call or None,
                    branch=_sub(fld, spec.branch),
                    location=_sub(fld, spec.location),
                    price=_sub(fld, spec.price) or default_price,
                    rfid=_sub(fld, spec.rfid),
                )
            )


def material_from_leader(
    leader: str, types: dict[str, str], serial_levels: str, default: str = "book"
) -> str:
    """Material type from leader/06 (type of record) and leader/07 (bibliographic level)."""
    kind = types.get(leader[6:7], default) if len(leader) > 6 else default
    if kind == "book" and leader[7:8] and leader[7:8] in serial_levels:
        return "serial"
    return kind


def isbns_from(source: Source, desc: Description, tag: str) -> None:
    """Valid ISBNs of ``tag`` $a as ISBN-13; $z (cancelled/invalid) is never read."""
    for value in source.record.subfield_values(tag, "a"):
        code = isbn.extract(value)
        if code is not None and code not in desc.isbns:
            desc.isbns.append(code)


_LANG = re.compile(r"[a-z]{3}")


def language_codes(values: Iterable[str]) -> list[str]:
    """ISO 639-2 codes: cleaned, lower-case, split when catalogued run together ("engfre")."""
    codes: list[str] = []
    for raw in values:
        value = clean(raw).lower()
        if len(value) % 3 == 0:
            codes.extend(value[i : i + 3] for i in range(0, len(value), 3))
    return unique(c for c in codes if _LANG.fullmatch(c))
