"""The named token streams an analysed field is made of, and what each is worth.

The index builder maps each stream to one Tantivy (sub-)field.  Streams are
listed in cascade order (``docs/search-analysis.md``, "Streams, cascade order"):
a match on an earlier, stricter stream ranks above a match on a later,
recall-oriented one, which is what the boosts encode.  The boosts are starting
points for the ranking issue, not measured optima.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum


class Stream(StrEnum):
    PRIMARY = "primary"
    MORPHEMES = "morphemes"
    READING = "reading"
    STEM = "stem"
    PINYIN = "pinyin"
    PINYIN_INITIALS = "pinyin_initials"
    RECALL = "recall"
    PINYIN_PREFIX = "pinyin_prefix"
    JAMO = "jamo"
    CHOSEONG = "choseong"


class MatchMode(StrEnum):
    TERM = "term"  # the query key must equal an index key
    PREFIX = "prefix"  # the query key must be a prefix of an index key (autocomplete)


@dataclass(frozen=True, slots=True)
class StreamSpec:
    boost: float
    mode: MatchMode
    steps: str  # the analysis steps (docs/search-analysis.md) whose keys it holds


STREAM_SPECS: Mapping[Stream, StreamSpec] = {
    Stream.PRIMARY: StreamSpec(
        10.0, MatchMode.TERM, "B1-B3/L1 words; Z1+Z3 words and bigrams; K2 eojeol and bigrams"
    ),
    Stream.MORPHEMES: StreamSpec(8.0, MatchMode.TERM, "K4 Kiwi morphemes of K2 text (optional)"),
    Stream.READING: StreamSpec(6.0, MatchMode.TERM, "K1 Hangul readings of Hanja (ko records)"),
    Stream.STEM: StreamSpec(5.0, MatchMode.TERM, "L1 light English stems"),
    Stream.PINYIN: StreamSpec(4.0, MatchMode.TERM, "Z4 joined pinyin per word; Z5 heteronyms"),
    Stream.PINYIN_INITIALS: StreamSpec(2.0, MatchMode.TERM, "Z4 pinyin initials per word"),
    Stream.RECALL: StreamSpec(1.5, MatchMode.TERM, "Z2 variant map; K3 all-syllable 두음 fold"),
    Stream.PINYIN_PREFIX: StreamSpec(1.0, MatchMode.PREFIX, "Z4 whole-string pinyin/initials"),
    Stream.JAMO: StreamSpec(1.0, MatchMode.PREFIX, "K5 keystroke jamo of K2 text"),
    Stream.CHOSEONG: StreamSpec(0.8, MatchMode.PREFIX, "K5 초성 of K2 text"),
}

CASCADE: tuple[Stream, ...] = tuple(STREAM_SPECS)


class FieldKind(StrEnum):
    """What a field holds decides which streams it gets (``docs/search-analysis.md``, streams)."""

    TITLE = "title"  # title, other title, series: every stream
    NAME = "name"  # personal/corporate names: every stream plus Z5 heteronyms
    SUBJECT = "subject"  # subject headings: word streams, pinyin words, recall
    PUBLISHER = "publisher"  # publisher, place: word streams only


WORD_STREAMS = frozenset({Stream.PRIMARY, Stream.MORPHEMES, Stream.READING, Stream.STEM})
FIELD_STREAMS: Mapping[FieldKind, frozenset[Stream]] = {
    FieldKind.TITLE: frozenset(Stream),
    FieldKind.NAME: frozenset(Stream),
    # subjects are searched by their pinyin words too (社会发展 → shehuifazhan) and by
    # recall keys (Z2 variants, English Snowball stems)
    FieldKind.SUBJECT: WORD_STREAMS | {Stream.PINYIN, Stream.RECALL},
    FieldKind.PUBLISHER: WORD_STREAMS,
}


@dataclass(frozen=True, slots=True)
class AnalysisOptions:
    """Process-wide analysis settings, passed in explicitly (no global state).

    ``korean_morphology`` switches on K4 (kiwipiepy).  Off by default: Kiwi costs
    ~1.4 s to load and ~520 MiB per process, and K2 bigrams already match the
    worked examples (tests/text/).  Kiwi is loaded once per process, on first use.
    """

    korean_morphology: bool = False


DEFAULT_OPTIONS = AnalysisOptions()


@dataclass(frozen=True, slots=True)
class AnalyzedField:
    """Token streams of one field value; each stream's tokens are unique, first-seen order."""

    kind: FieldKind
    streams: Mapping[Stream, tuple[str, ...]] = field(default_factory=dict)

    def tokens(self, stream: Stream) -> tuple[str, ...]:
        return self.streams.get(stream, ())

    @staticmethod
    def boost(stream: Stream) -> float:
        return STREAM_SPECS[stream].boost


@dataclass(frozen=True, slots=True)
class QueryTerms:
    """Keys to look up in one stream.

    ``expansion`` marks keys that interpret the query rather than fold it
    (ASCII read as pinyin, Hangul looked up among Hanja readings, a typed ㄹ
    tried as ㅇ): the index of the query's own text need not contain them.
    """

    stream: Stream
    keys: tuple[str, ...]
    expansion: bool = False

    @property
    def mode(self) -> MatchMode:
        return STREAM_SPECS[self.stream].mode


@dataclass(frozen=True, slots=True)
class AnalyzedQuery:
    text: str  # the B-folded query
    terms: tuple[QueryTerms, ...]

    def keys(self, stream: Stream, *, expansions: bool = True) -> tuple[str, ...]:
        found: dict[str, None] = {}
        for group in self.terms:
            if group.stream is stream and (expansions or not group.expansion):
                found.update(dict.fromkeys(group.keys))
        return tuple(found)
