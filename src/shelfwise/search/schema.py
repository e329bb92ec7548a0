"""The Tantivy schema and the document of one record.

Every analysed field group gets one Tantivy text field per analysis stream
(``title__primary``, ``title__pinyin``, ...), whitespace-tokenised: the keys
are made by :mod:`shelfwise.text`, so the index and the query fold identically,
and Tantivy only splits on the spaces we put between keys.  A query clause on
``<group>__<stream>`` is boosted by group boost × stream boost.

Besides the analysed fields: ``seq`` (positional, for phrases), identifiers,
facet fields (raw, fast) and sort keys (fast).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import tantivy

from shelfwise.core import isbn as isbn_codes
from shelfwise.search import ordering
from shelfwise.search.models import Availability
from shelfwise.search.source import IndexRow
from shelfwise.search.textkeys import TitleKeys, exact_key, sequence_units, sort_key, title_keys
from shelfwise.text import FieldKind, Stream, analyze_field

# 2: work_id (u64 fast) replaces the work_key text field.
# 3: total orders: the sort keys end in the record id, ``newest`` and ``tie`` are
#    composite u64 keys, popularity is a score weight (``boost``), work_id is indexed.
# 4: sort keys of 128 characters (scan headings), no main author sorts last.
# 5: Han text joined across spaces, romanised titles and names, statements of
#    responsibility, subject pinyin, name readings in titles, Snowball stems.
SCHEMA_VERSION = 5
# Analysed field values kept per process.  Catalogues repeat subjects, publishers,
# series, notes and author names far more than they repeat whole records (in the
# generated 20k catalogue: subjects 99 %, publishers 99.6 %, titles 64 %, authors
# 33 % of values seen before), and the analysis chain costs ~0.1-1 ms per value.
FIELD_CACHE_SIZE = 50_000
SEP = " \u241e "  # between the values of a multi-valued positional field: stops phrases


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    kind: FieldKind
    boost: float


# Field boosts (starting points, tuned on the relevance suite).
GROUPS: tuple[Group, ...] = (
    Group("title", FieldKind.TITLE, 3.0),
    Group("other", FieldKind.TITLE, 1.5),  # other and parallel titles
    Group("author", FieldKind.NAME, 2.0),
    Group("series", FieldKind.TITLE, 1.2),
    Group("subject", FieldKind.SUBJECT, 1.5),
    Group("publisher", FieldKind.PUBLISHER, 0.6),
    Group("notes", FieldKind.SUBJECT, 0.4),
)
GROUP_BY_NAME: Mapping[str, Group] = {g.name: g for g in GROUPS}
WORD_STREAMS = (Stream.PRIMARY, Stream.MORPHEMES, Stream.READING, Stream.STEM)
# Subjects also by their pinyin words (社会发展 → shehui, fazhan, shehuifazhan), and by
# the recall stream (English Snowball stems).
SUBJECT_STREAMS = (*WORD_STREAMS, Stream.PINYIN, Stream.RECALL)
IDENTIFIER_BOOST = 20.0
CLASS_BOOST = 4.0
EXACT_TITLE_BOOST = 40.0
PHRASE_BOOST = 15.0


def streams_of(group: Group) -> tuple[Stream, ...]:
    if group.kind in (FieldKind.TITLE, FieldKind.NAME):
        return tuple(Stream)
    return SUBJECT_STREAMS if group.kind is FieldKind.SUBJECT else WORD_STREAMS


def field_name(group: str, stream: Stream) -> str:
    return f"{group}__{stream.value}"


def build_schema() -> tantivy.Schema:
    b = tantivy.SchemaBuilder()
    b.add_unsigned_field("record_id", stored=True, indexed=True, fast=True)
    for group in GROUPS:
        for stream in streams_of(group):
            b.add_text_field(
                field_name(group.name, stream), tokenizer_name="whitespace", index_option="freq"
            )
    b.add_text_field("seq", tokenizer_name="whitespace", index_option="position")
    for name in ("isbn", "class", "title_exact"):
        b.add_text_field(name, tokenizer_name="raw", index_option="basic")
    for name in ("lang", "material", "branch", "avail_at", "available", "subject"):
        b.add_text_field(name, tokenizer_name="raw", index_option="basic", fast=True)
    b.add_integer_field("year", indexed=True, fast=True)
    b.add_integer_field("decade", indexed=True, fast=True)
    # grouping reads it without loading documents; indexed to find a shown work's other members
    b.add_unsigned_field("work_id", indexed=True, fast=True)
    b.add_unsigned_field("popularity", fast=True)
    b.add_float_field("boost", fast=True)  # popularity as Tantivy's score weight (ordering.py)
    b.add_unsigned_field("avail_n", fast=True)
    b.add_unsigned_field("newest", fast=True)  # year, then record id: a total order
    b.add_unsigned_field("tie", fast=True)  # on the shelf first, then record id
    b.add_text_field("sort_title", tokenizer_name="raw", index_option="basic", fast=True)
    b.add_text_field("sort_author", tokenizer_name="raw", index_option="basic", fast=True)
    b.add_bytes_field("payload", stored=True)
    return b.build()


# --- documents -------------------------------------------------------------------------

_LANG_NAMES = {"chi": "zh", "zho": "zh", "kor": "ko", "eng": "en", "jpn": "ja"}


def language_code(code: str) -> str:
    """ISO 639-2 as catalogued → the two-letter code the facets show."""
    low = code.strip().casefold()
    return _LANG_NAMES.get(low, low)


def _normal_class(number: str) -> str:
    return re.sub(r"\s+", "", number).casefold()


@lru_cache(maxsize=FIELD_CACHE_SIZE)
def _exact(text: str) -> str:
    return exact_key(text)


@lru_cache(maxsize=FIELD_CACHE_SIZE)
def _sequence(text: str) -> str:
    return " ".join(sequence_units(text))


@lru_cache(maxsize=FIELD_CACHE_SIZE)
def _title(text: str) -> TitleKeys:
    """The main title's phrase, exact and sort keys in one pass (one cache entry)."""
    return title_keys(text, sort_length=ordering.SORT_KEY_LENGTH)


@lru_cache(maxsize=FIELD_CACHE_SIZE)
def _sort(text: str) -> str:
    return sort_key(text, length=ordering.SORT_KEY_LENGTH)


@lru_cache(maxsize=FIELD_CACHE_SIZE)
def _analysed(
    text: str, kind: FieldKind, language: str | None, romanised: str | None
) -> tuple[tuple[Stream, str], ...]:
    """One field value's streams, each as the space-joined keys the index takes."""
    analysed = analyze_field(text, kind=kind, language=language, pinyin=romanised)
    return tuple(
        (stream, " ".join(tokens)) for stream, tokens in analysed.streams.items() if tokens
    )


def work_id(key: str) -> int:
    """The work key (16 hex digits) as the u64 the index stores; ``f"{id:016x}"`` inverts it."""
    return int(key, 16)


def work_key(row: IndexRow) -> str:
    """Editions (and re-catalogued copies) of one work share title and first author.

    Translations group only when the record carries the original title as an
    other title identical to the translation's main title folding; there is no
    uniform title in the description yet.
    """
    author = row.main_author or ""
    basis = f"{_title(row.title).exact}|{_exact(author)}"
    return hashlib.blake2b(basis.encode(), digest_size=8).hexdigest()


def _values(description: Mapping[str, Any], key: str) -> list[str]:
    return [str(v) for v in description.get(key) or [] if v]


def _romanised(text: str, romanised: str | None) -> list[tuple[str, str | None]]:
    if romanised and romanised.strip() and romanised != text:
        return [(romanised, None)]
    return []


def analysed_fields(row: IndexRow) -> dict[str, list[str]]:
    """``<group>__<stream>`` → key strings (space-separated) for one record."""
    d = row.description
    lang = row.languages[0] if row.languages else None
    agents = [a for a in d.get("agents") or [] if a.get("name")]
    texts: dict[str, list[tuple[str, str | None]]] = {
        "title": [(row.title, row.title_romanised)],
        # the romanised form (880-paired 245, CNMARC 200 $A) is also a title, in Latin
        # letters (al-Harb fi al-alfiyah finds the Arabic record); as another title, so the
        # title field itself stays as long as the title (its words' BM25 unchanged)
        "other": [
            *_romanised(row.title, row.title_romanised),
            *((t, None) for t in _values(d, "other_titles") + _values(d, "parallel_titles")),
        ],
        # names as headings, their romanised forms, and the statement of responsibility
        # (245 $c / 200 $f: translators and editors as the title page names them; spec 4.4)
        "author": [
            *((str(a["name"]), a.get("romanised")) for a in agents),
            *(r for a in agents for r in _romanised(str(a["name"]), a.get("romanised"))),
            *[(t, None) for t in [str(d.get("responsibility") or "")] if t],
        ],
        "series": [(t, None) for t in _values(d, "series")],
        "subject": [(t, None) for t in _values(d, "subjects")],
        "publisher": [(row.publisher, None)] if row.publisher else [],
        "notes": [(t, None) for t in _values(d, "notes")[:3]],
    }
    for other in row.merged:  # merged duplicates' access points (not their main title's rank)
        texts["other"] += [(t, None) for t in [str(other.get("title") or "")] if t != row.title]
        texts["other"] += [(t, None) for t in _values(other, "other_titles")]
        texts["author"] += [
            (str(a["name"]), None) for a in other.get("agents") or [] if a.get("name")
        ]
        texts["subject"] += [(t, None) for t in _values(other, "subjects")]
    out: dict[str, list[str]] = {}
    for group in GROUPS:
        for text, romanised in dict.fromkeys(texts[group.name]):
            if not text:
                continue
            for stream, keys in _analysed(text, group.kind, lang, romanised):
                out.setdefault(field_name(group.name, stream), []).append(keys)
    return out


def document(
    row: IndexRow, availability: Availability, popularity: int = 0
) -> dict[str, list[Any]]:
    """The field values of one record's document (``tantivy.Document(**doc)``)."""
    d = row.description
    doc: dict[str, list[Any]] = {"record_id": [row.id]}
    doc.update(analysed_fields(row))
    title = _title(row.title)
    positional = [*_values(d, "other_titles"), row.main_author or ""]
    positional += [str(a.get("name") or "") for a in (d.get("agents") or [])[1:]]
    positional += _values(d, "series") + _values(d, "subjects")
    sequences = [" ".join(title.sequence)] if row.title else []
    doc["seq"] = [SEP.join([*sequences, *(_sequence(t) for t in positional if t)])]
    doc.update(_identifiers(d))
    doc["title_exact"] = [title.exact]
    doc.update(_facets(row, availability))
    key = work_key(row)
    doc["work_id"] = [work_id(key)]
    doc.update(_ordering(row, availability, popularity))
    payload = {
        "t": row.title,
        "a": row.main_author,
        "p": row.publisher,
        "y": row.year,
        "l": doc["lang"],
        "m": row.material_type,
        "i": _values(d, "isbns"),
        "b": sorted(availability.held_at),
        "v": sorted(availability.available_at),
        "w": key,
        "c": _first_class(d),
    }
    doc["payload"] = [json.dumps(payload, ensure_ascii=False).encode()]
    return doc


def _first_class(d: Mapping[str, Any]) -> str | None:
    """The record's first classification as ``scheme:number`` (pages colour covers by it)."""
    for c in d.get("classifications") or []:
        if c.get("number"):
            return f"{c.get('scheme') or 'other'}:{c['number']}"
    return None


def _identifiers(d: Mapping[str, Any]) -> dict[str, list[Any]]:
    """ISBNs (each ISBN-13 with its ISBN-10 too) and normalised class numbers."""
    doc: dict[str, list[Any]] = {}
    isbns = set()
    for code in _values(d, "isbns"):
        isbns.add(code)
        ten = isbn_codes.to_isbn10(code)
        if ten:
            isbns.add(ten)
    if isbns:
        doc["isbn"] = sorted(isbns)
    classes = [_normal_class(str(c.get("number") or "")) for c in d.get("classifications") or []]
    if classes := [c for c in classes if c]:
        doc["class"] = classes
    return doc


def _facets(row: IndexRow, availability: Availability) -> dict[str, list[Any]]:
    """What a search filters and counts by: language, material, year, branch, availability,
    subject."""
    doc: dict[str, list[Any]] = {}
    doc["lang"] = sorted({language_code(x) for x in row.languages}) or ["und"]
    doc["material"] = [row.material_type]
    if row.year is not None:
        doc["year"] = [row.year]
        doc["decade"] = [row.year // 10 * 10]
    held = sorted(availability.held_at)
    if held:
        doc["branch"] = held
    if availability.available_at:
        doc["avail_at"] = sorted(availability.available_at)
    doc["available"] = ["yes" if availability.available_at else "no"]
    doc["avail_n"] = [len(availability.available_at)]
    subjects = sorted(set(_values(row.description, "subjects")))[:20]
    if subjects:
        doc["subject"] = subjects
    return doc


def _ordering(row: IndexRow, availability: Availability, popularity: int) -> dict[str, list[Any]]:
    """The sort and ranking keys: popularity, newest, ties, title and author."""
    author = _sort(row.main_author) if row.main_author else ordering.NO_HEADING
    return {
        "popularity": [max(0, popularity)],
        "boost": [ordering.popularity_weight(popularity)],
        "newest": [ordering.newest_key(row.year, row.id)],
        "tie": [ordering.tie_key(bool(availability.available_at), row.id)],
        "sort_title": [ordering.text_key(_title(row.title).sort, row.id)],
        "sort_author": [ordering.text_key(author, row.id)],
    }


def to_document(fields: Mapping[str, Iterable[Any]], schema: tantivy.Schema) -> tantivy.Document:
    """Typed by the schema (a bare ``Document(**fields)`` reads every int as signed)."""
    return tantivy.Document.from_dict({k: list(v) for k, v in fields.items()}, schema)
