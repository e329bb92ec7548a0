"""Query-side analysis and routing (``docs/search-analysis.md``, "Query routing"; K5).

The query goes through the very same :func:`analyse_runs` as an indexed field;
then routing adds interpretations:

* ASCII letters may be pinyin: each word and the joined query become pinyin
  word keys and a whole-string prefix; queries of at most 4 letters are also
  tried as initials (``ls`` → 历史; noisy, so a low boost).
* Hangul is also looked up among the Hangul readings of Hanja (K1).
* A consonant-only jamo query ("ㅇㅅ") is a 초성 query; a word-initial ㄹ/ㄴ is
  also tried as ㅇ/ㄴ, because the index folded 력사 to 역사 (ㅇㅅ).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shelfwise.text import korean
from shelfwise.text.analysis import Collected, add_morphemes, analyse_runs
from shelfwise.text.folding import fold_base
from shelfwise.text.streams import (
    CASCADE,
    DEFAULT_OPTIONS,
    STREAM_SPECS,
    AnalysisOptions,
    AnalyzedField,
    AnalyzedQuery,
    MatchMode,
    QueryTerms,
    Stream,
)

INITIALS_MAX_LETTERS = 4
_ASCII_WORD = re.compile(r"[a-z]+")
_FOLDED_STREAMS = (Stream.PRIMARY, Stream.MORPHEMES, Stream.STEM, Stream.RECALL)


def _pinyin_terms(folded: str) -> list[QueryTerms]:
    """ASCII letters read as pinyin (only when the query has no other letters)."""
    if not folded.isascii():
        return []
    words = _ASCII_WORD.findall(folded)
    if not words:
        return []
    joined = "".join(words)
    terms = [
        QueryTerms(Stream.PINYIN, tuple(dict.fromkeys([*words, joined])), expansion=True),
        QueryTerms(Stream.PINYIN_PREFIX, (joined,), expansion=True),
    ]
    if len(joined) <= INITIALS_MAX_LETTERS:
        initials = tuple(dict.fromkeys([*words, joined]))
        terms.append(QueryTerms(Stream.PINYIN_INITIALS, initials, expansion=True))
    return terms


def _korean_terms(collected: Collected, folded: str) -> list[QueryTerms]:
    terms: list[QueryTerms] = []
    hangul_keys = [key for key in collected.tokens(Stream.PRIMARY) if korean.is_syllable(key[0])]
    if hangul_keys:
        terms.append(QueryTerms(Stream.READING, tuple(hangul_keys), expansion=True))
    if collected.jamo_wholes:
        # As-you-type: the whole Hangul/jamo stretch, so "역ㅅ" is ㅇㅕㄱㅅ, not ㅇㅕㄱ + ㅅ.
        terms.append(QueryTerms(Stream.JAMO, tuple(dict.fromkeys(collected.jamo_wholes))))
    if korean.consonant_jamo_only(folded):
        terms.append(QueryTerms(Stream.CHOSEONG, tuple(dict.fromkeys(collected.choseong_wholes))))
        variants = korean.dueum_query_variants(folded.replace(" ", ""))
        if variants:
            terms.append(QueryTerms(Stream.CHOSEONG, tuple(variants), expansion=True))
    return terms


def analyze_query(text: str, *, options: AnalysisOptions = DEFAULT_OPTIONS) -> AnalyzedQuery:
    """Keys per stream for a reader's query, folded exactly like indexed fields."""
    folded = fold_base(text)
    collected = analyse_runs(folded, language=None)
    add_morphemes(collected, options)
    terms = [
        QueryTerms(stream, collected.tokens(stream))
        for stream in _FOLDED_STREAMS
        if collected.tokens(stream)
    ]
    terms.extend(_korean_terms(collected, folded))
    terms.extend(_pinyin_terms(folded))
    return AnalyzedQuery(text=folded, terms=tuple(terms))


def _hits(keys: Iterable[str], tokens: tuple[str, ...], mode: MatchMode) -> bool:
    if mode is MatchMode.TERM:
        present = set(tokens)
        return any(key in present for key in keys)
    return any(token.startswith(key) for key in keys for token in tokens)


def first_match(query: AnalyzedQuery, field: AnalyzedField) -> Stream | None:
    """The earliest stream of the cascade in which the query and the field share a key.

    A reference implementation of what the index does with these streams:
    tests use it to pin the worked examples, and it documents the cascade.
    """
    for stream in CASCADE:
        tokens = field.tokens(stream)
        keys = query.keys(stream)
        if tokens and keys and _hits(keys, tokens, STREAM_SPECS[stream].mode):
            return stream
    return None
