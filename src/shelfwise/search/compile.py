"""Parsed queries and filters → Tantivy queries.

A query word becomes AND-ed units (:func:`textkeys.query_units`); a unit is an
OR over (field group × stream) clauses, each boosted by group boost × stream
boost, each requiring all of the unit's keys in that one field stream.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import cache, lru_cache

import tantivy
from tantivy import Occur, Query

from shelfwise.core import isbn as isbn_codes
from shelfwise.search.models import Filters
from shelfwise.search.query import Atom, Clause, ParsedQuery
from shelfwise.search.schema import (
    CLASS_BOOST,
    EXACT_TITLE_BOOST,
    GROUP_BY_NAME,
    GROUPS,
    IDENTIFIER_BOOST,
    PHRASE_BOOST,
    Group,
    build_schema,
    field_name,
    language_code,
    streams_of,
)
from shelfwise.search.textkeys import Alt, Unit, exact_key, query_units, sequence_units
from shelfwise.text import STREAM_SPECS, Stream
from shelfwise.text.latin import latin_words

FIELD_GROUPS: dict[str | None, tuple[Group, ...]] = {
    None: GROUPS,
    "title": (GROUP_BY_NAME["title"], GROUP_BY_NAME["other"], GROUP_BY_NAME["series"]),
    "author": (GROUP_BY_NAME["author"],),
    "subject": (GROUP_BY_NAME["subject"],),
    "publisher": (GROUP_BY_NAME["publisher"],),
}
_LANGUAGE_WORDS = {
    "chinese": "zh",
    "中文": "zh",
    "汉语": "zh",
    "漢語": "zh",
    "중국어": "zh",
    "korean": "ko",
    "韩语": "ko",
    "朝鲜语": "ko",
    "한국어": "ko",
    "조선어": "ko",
    "english": "en",
    "英语": "en",
    "英文": "en",
    "영어": "en",
}
CODE_FIELDS = ("lang", "year", "isbn", "class")
RELAX_MIN_UNITS = 3  # a word loosened to "all units but one" has at least this many units
RELAX_MAX_UNITS = 8
# What a CLC or LCC class number looks like: letters, then digits (F124, TP311.13, HQ1765.5).
CLASS_NUMBER = re.compile(r"[A-Za-z]{1,3}\d+(?:[./-]\d+)*")
# Escaped with a backslash.  Not ``<`` and ``>``: escaped they are word-boundary
# assertions in Tantivy's regex syntax, which its automata refuse; bare they are literal.
_REGEX_SPECIAL = set('.^$*+?()[]{}|\\-&~#"@')
YEARS = (-9999, 9999)  # what a year or decade can be; others match nothing (never an overflow)


def regex_escape(text: str) -> str:
    return "".join("\\" + ch if ch in _REGEX_SPECIAL else ch for ch in text)


_schema = cache(build_schema)  # every generation has this schema (SCHEMA_VERSION)


@lru_cache(maxsize=8192)
def prefix_query(name: str, key: str) -> Query:
    """``key*`` on field ``name``.  Building the regex automaton costs ~0.3 ms, more than
    running it, so the (immutable) query is kept: as-you-type and head queries repeat."""
    return Query.regex_query(_schema(), name, regex_escape(key) + ".*")


@lru_cache(maxsize=1024)
def masked_query(name: str, expression: str) -> Query:
    """A masked word's automaton (kept, like prefix queries: building it is the cost)."""
    return Query.regex_query(_schema(), name, expression)


def _all(queries: Sequence[Query]) -> Query:
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Must, q) for q in queries])


def _any(queries: Sequence[Query]) -> Query:
    if not queries:
        return Query.empty_query()
    if len(queries) == 1:
        return queries[0]
    return Query.boolean_query([(Occur.Should, q) for q in queries])


class Compiler:
    """Parsed queries onto Tantivy queries for one index schema.

    ``relax``: a query of three or more units (words, or a long word's character pairs:
    民间故事 → 民间, 间故, 故事) is matched by all of them but one — the search's second
    try when almost nothing has them all (a record whose title came through a bad
    MARC-8 conversion, 河北氱间故事选); ``relaxed`` counts what it loosened.
    """

    def __init__(self, schema: tantivy.Schema, *, relax: bool = False) -> None:
        self.schema = schema
        self.relax = relax
        self.relaxed = 0

    def _key(self, name: str, key: str, prefix: bool) -> Query:
        if prefix:
            return prefix_query(name, key)
        return Query.term_query(self.schema, name, key, index_option="freq")

    def _alt(self, group: Group, alt: Alt) -> Query:
        name = field_name(group.name, alt.stream)
        keys = [self._key(name, k, alt.prefix) for k in alt.keys]
        if self.relax and RELAX_MIN_UNITS <= len(keys) <= RELAX_MAX_UNITS:
            # a long Han or Hangul word: all of its character pairs but one (民间故事 then
            # finds 氱间故事, one character garbled)
            self.relaxed += 1
            inner = _any([_all(keys[:i] + keys[i + 1 :]) for i in range(len(keys))])
        else:
            inner = _all(keys)
        return Query.boost_query(inner, group.boost * STREAM_SPECS[alt.stream].boost * alt.weight)

    def unit(self, unit: Unit, groups: Iterable[Group]) -> Query:
        return _any(
            [self._alt(g, alt) for g in groups for alt in unit if alt.stream in streams_of(g)]
        )

    def words(self, text: str, groups: Sequence[Group], *, prefix: bool = False) -> Query | None:
        units = [u for w in text.split() for u in query_units(w, prefix=prefix)]
        if not units:
            return None
        compiled = [self.unit(u, groups) for u in units]
        if self.relax and RELAX_MIN_UNITS <= len(compiled) <= RELAX_MAX_UNITS:
            self.relaxed += 1
            # every unit but one: records with all of them match each alternative and rank first
            return _any([_all(compiled[:i] + compiled[i + 1 :]) for i in range(len(compiled))])
        return _all(compiled)

    def phrase(self, text: str, groups: Sequence[Group]) -> Query | None:
        words = self.words(text, groups)
        units = sequence_units(text)
        if words is None or not units:
            return words
        if len(units) == 1:
            positional = Query.term_query(self.schema, "seq", units[0])
        else:
            words_at: list[str | tuple[int, str]] = list(units)
            positional = Query.phrase_query(self.schema, "seq", words_at)
        return _all([words, Query.boost_query(positional, PHRASE_BOOST)])

    def masked(self, pattern: str, groups: Sequence[Group]) -> Query:
        """A word with ``*`` masks, matched against whole word keys (primary stream) with a
        regular expression; the literal parts are folded as the index folds words (L1)."""
        parts = ["".join(latin_words(part)) for part in pattern.split("*")]
        expression = ".*".join(regex_escape(part) for part in parts)
        boost = STREAM_SPECS[Stream.PRIMARY].boost
        return _any(
            [
                Query.boost_query(
                    masked_query(field_name(g.name, Stream.PRIMARY), expression), g.boost * boost
                )
                for g in groups
            ]
        )

    def isbn(self, text: str) -> Query:
        code = isbn_codes.compact(text)
        forms = {code, isbn_codes.to_isbn13(code) or code, isbn_codes.to_isbn10(code) or code}
        return Query.boost_query(
            _any([Query.term_query(self.schema, "isbn", f) for f in sorted(forms)]),
            IDENTIFIER_BOOST,
        )

    def year(self, text: str) -> Query | None:
        digits = text.replace("*", "").strip()
        low, _, high = digits.partition("-")
        try:
            if high:
                return self._year_range(int(low), int(high))
            if len(low) < 4 and low.isdigit():
                span = 10 ** (4 - len(low))
                return self._year_range(int(low) * span, int(low) * span + span - 1)
            return self._year_range(int(low), int(low))
        except ValueError:
            return None

    def _year_range(self, low: int, high: int) -> Query:
        low, high = max(low, YEARS[0]), min(high, YEARS[1])
        if low > high:
            return Query.empty_query()
        if low == high:
            return Query.term_query(self.schema, "year", low)
        return Query.range_query(
            self.schema, "year", tantivy.FieldType.Integer, lower_bound=low, upper_bound=high
        )

    def lang(self, text: str) -> Query:
        word = text.strip().casefold()
        code = _LANGUAGE_WORDS.get(word, language_code(word))
        return Query.term_query(self.schema, "lang", code)

    def class_number(self, text: str) -> Query:
        key = "".join(text.split()).casefold()
        return Query.boost_query(prefix_query("class", key), CLASS_BOOST)

    def atom(self, atom: Atom) -> Query | None:
        name = atom.field
        if name == "isbn":
            return self.isbn(atom.text)
        if name == "year":
            return self.year(atom.text)
        if name == "lang":
            return self.lang(atom.text)
        if name == "class":
            return self.class_number(atom.text)
        groups = FIELD_GROUPS.get(name, GROUPS)
        if atom.masked:
            return self.masked(atom.text + ("*" if atom.prefix else ""), groups)
        if atom.phrase:
            return self.phrase(atom.text, groups)
        words = self.words(atom.text, groups, prefix=atom.prefix)
        if name is None and isbn_codes.looks_like_isbn(atom.text):
            return self.isbn(atom.text) if words is None else _any([self.isbn(atom.text), words])
        if name is None and CLASS_NUMBER.fullmatch(atom.text):
            # a class number typed bare (F124, TP311.13, HQ1765.5): the class too (spec 4.4)
            klass = self.class_number(atom.text)
            return klass if words is None else _any([klass, words])
        return words

    def clause(self, clause: Clause) -> Query | None:
        found = [q for q in (self.atom(a) for a in clause.atoms) if q is not None]
        return _any(found) if found else None

    def _pinyin_joined(self, parsed: ParsedQuery) -> Query | None:
        """``li shi`` is also the pinyin word ``lishi``."""
        atoms = [c.atoms[0] for c in parsed.positive if len(c.atoms) == 1]
        if len(atoms) < 2 or len(atoms) != len(parsed.positive):
            return None
        if any(a.field or a.phrase or not (a.text.isascii() and a.text.isalpha()) for a in atoms):
            return None
        joined = "".join(a.text.casefold() for a in atoms)
        unit: Unit = (
            Alt(Stream.PINYIN, (joined,)),
            Alt(Stream.PINYIN_PREFIX, (joined,), prefix=True, weight=0.5),
        )
        return self.unit(unit, GROUPS)

    def exact_title(self, parsed: ParsedQuery) -> Query | None:
        plain = [a.text for c in parsed.positive for a in c.atoms if a.field in (None, "title")]
        if len(plain) != len(parsed.positive) or not plain:
            return None
        key = exact_key(" ".join(plain))
        if not key:
            return None
        return Query.boost_query(
            Query.term_query(self.schema, "title_exact", key), EXACT_TITLE_BOOST
        )

    @staticmethod
    def codes_only(parsed: ParsedQuery) -> bool:
        """Only codes (language, year, ISBN, class) asked for: every hit scores alike,
        so relevance has nothing to rank by (the order is ``ordering.CODES_ONLY``)."""
        atoms = [a for c in parsed.positive for a in c.atoms]
        return bool(atoms) and all(a.field in CODE_FIELDS for a in atoms)

    def exclusions(self, parsed: ParsedQuery) -> list[Query]:
        """The negated clauses (``-word``, ``NOT word``) as queries to exclude."""
        return [q for c in parsed.clauses if c.negated and (q := self.clause(c)) is not None]

    def query(self, parsed: ParsedQuery) -> Query | None:
        """The whole query, or ``None`` when nothing positive is left to search for."""
        must = [q for q in (self.clause(c) for c in parsed.positive) if q is not None]
        if not must:
            return None
        main = _all(must)
        joined = self._pinyin_joined(parsed)
        if joined is not None:
            main = _any([main, joined])
        parts: list[tuple[Occur, Query]] = [(Occur.Must, main)]
        exact = self.exact_title(parsed)
        if exact is not None:
            parts.append((Occur.Should, exact))
        for clause in parsed.clauses:
            if clause.negated and (excluded := self.clause(clause)) is not None:
                parts.append((Occur.MustNot, excluded))
        return Query.boolean_query(parts)

    def filters(self, filters: Filters) -> list[Query]:
        out: list[Query] = []
        text_facets = (
            ("lang", [language_code(v) for v in filters.lang]),
            ("material", list(filters.material)),
            ("subject", list(filters.subject)),
        )
        for name, values in text_facets:
            if values:
                out.append(_any([Query.term_query(self.schema, name, v) for v in values]))
        for name, numbers in (("decade", filters.decade), ("year", filters.year)):
            if numbers:
                kept = [n for n in numbers if YEARS[0] <= n <= YEARS[1]]
                out.append(_any([Query.term_query(self.schema, name, n) for n in kept]))
        if filters.branch:
            where = "avail_at" if filters.available else "branch"
            out.append(_any([Query.term_query(self.schema, where, b) for b in filters.branch]))
        elif filters.available is not None:
            flag = "yes" if filters.available else "no"
            out.append(Query.term_query(self.schema, "available", flag))
        if filters.available_at:
            out.append(
                _any([Query.term_query(self.schema, "avail_at", b) for b in filters.available_at])
            )
        return out
