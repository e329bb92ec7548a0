"""Field-level analysis for the index builder: text in, named token streams out.

Index and query share :func:`analyse_runs`, so a query is folded exactly like
the field it should find (``docs/search-analysis.md``, "The chain"); only the
query-side routing in :mod:`shelfwise.text.query` adds interpretations.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from shelfwise.text import chinese, korean
from shelfwise.text.folding import fold_base, word_keys
from shelfwise.text.latin import latin_words, recall_stem, stem
from shelfwise.text.scripts import HAN_CLASS, Run, Script, script_runs
from shelfwise.text.streams import (
    CASCADE,
    DEFAULT_OPTIONS,
    FIELD_STREAMS,
    AnalysisOptions,
    AnalyzedField,
    FieldKind,
    Stream,
)

KOREAN_LANGUAGES = frozenset({"ko", "kor"})  # ISO 639-1 / 639-2 (MARC 008/35-37, 041)
# Spaces, quotes, brackets and middle dots between two Han characters (not the
# separators of title parts: colons, slashes, equals signs, commas, full stops).
_HAN_RUN = re.compile(f"[{HAN_CLASS}]+")
_HAN_GAP = re.compile(
    f"(?<=[{HAN_CLASS}])[\\s\"'“”‘’「」『』《》〈〉()（）【】·・]+(?=[{HAN_CLASS}])"
)


@dataclass(slots=True)
class Collected:
    """Keys gathered per stream (dicts keep first-seen order and drop repeats)."""

    keys: dict[Stream, dict[str, None]] = field(default_factory=dict)
    han_words: list[str] = field(default_factory=list)  # Z1 precise-mode words, in order
    han_search_words: list[str] = field(default_factory=list)
    k2_text: list[str] = field(default_factory=list)  # the field with Hangul K2-folded
    has_hangul: bool = False
    # Whole-stretch K5 keys (spaces removed): what an as-you-type query is matched on.
    jamo_wholes: list[str] = field(default_factory=list)
    choseong_wholes: list[str] = field(default_factory=list)

    def add(self, stream: Stream, values: Iterable[str]) -> None:
        bucket = self.keys.setdefault(stream, {})
        for value in values:
            if value:
                bucket[value] = None

    def tokens(self, stream: Stream) -> tuple[str, ...]:
        return tuple(self.keys.get(stream, ()))


def _ascii_digits(run: str) -> str:
    # \d also matches other scripts' decimal digits (٣, ३); index them as 0-9.
    if run.isascii():
        return run
    return "".join(str(unicodedata.decimal(ch, 0)) for ch in run)


def _word_initial(previous: Run | None) -> bool:
    """A Hangul run starts a word unless glued to letters or digits (2019년, Python으로)."""
    if previous is None:
        return True
    return previous.script in (Script.SPACE, Script.OTHER) and not previous.text[-1].isalnum()


def _han_run(run: Run, out: Collected, *, korean_record: bool, initial: bool) -> None:
    simplified = chinese.to_simplified(run.text)
    segmented = chinese.segment(simplified)
    out.add(Stream.PRIMARY, chinese.han_tokens(simplified, segmented))
    recall_run = chinese.recall_fold(simplified)
    recall_words = [chinese.recall_fold(word) for word in segmented.search_words]
    out.add(Stream.RECALL, [*recall_words, *chinese.char_bigrams(recall_run)])
    out.han_words.extend(segmented.words)
    out.han_search_words.extend(segmented.search_words)
    if korean_record:
        for reading in korean.hanja_word_readings(run.text):
            folded = korean.fold_word_initial(reading) if initial else reading
            out.add(Stream.READING, [folded, *chinese.char_bigrams(folded)])
            # K3 on the reading too: 效率性 read 효률성 is found as 효율성, 失樂園 as 실낙원
            everywhere = korean.fold_all_syllables(reading)
            out.add(Stream.RECALL, [everywhere, *chinese.char_bigrams(everywhere)])


def _hangul_stretch(words: list[str], out: Collected) -> None:
    """K3 and K5 keys of Hangul/jamo words separated only by spaces (K2 already applied)."""
    if not words:
        return
    joined = "".join(words)
    everywhere = korean.fold_all_syllables(joined)
    out.add(Stream.RECALL, [korean.fold_all_syllables(w) for w in words])
    out.add(Stream.RECALL, chinese.char_bigrams(everywhere))
    jamo_whole, choseong_whole = korean.keystroke_jamo(joined), korean.choseong(joined)
    out.add(Stream.JAMO, [*(korean.keystroke_jamo(w) for w in words), jamo_whole])
    out.add(Stream.CHOSEONG, [*(korean.choseong(w) for w in words), choseong_whole])
    out.jamo_wholes.append(jamo_whole)
    out.choseong_wholes.append(choseong_whole)


class _Stretch:
    """Consecutive Hangul/jamo words; runs glued without a space extend the last word."""

    def __init__(self) -> None:
        self.words: list[str] = []
        self.glued = False

    def add(self, text: str) -> None:
        if self.glued and self.words:
            self.words[-1] += text
        else:
            self.words.append(text)
        self.glued = True

    def space(self) -> None:
        self.glued = False


def analyse_runs(text: str, *, language: str | None) -> Collected:
    """Run every script-specific step over the B-folded ``text``."""
    out = Collected()
    korean_record = (language or "").casefold() in KOREAN_LANGUAGES
    previous: Run | None = None
    stretch = _Stretch()
    for run in script_runs(text):
        script = run.script
        if script is Script.SPACE:
            stretch.space()
        elif script is not Script.HANGUL and script is not Script.JAMO:
            _hangul_stretch(stretch.words, out)
            stretch = _Stretch()
        initial = _word_initial(previous)
        previous = run
        if script is Script.HANGUL:
            folded = korean.fold_word_initial(run.text) if initial else run.text
            out.add(Stream.PRIMARY, [folded, *chinese.char_bigrams(folded)])
            stretch.add(folded)
            out.k2_text.append(folded)
            out.has_hangul = True
            continue
        out.k2_text.append(run.text)
        if script is Script.HAN:
            _han_run(run, out, korean_record=korean_record, initial=initial)
        elif script is Script.LATIN:
            words = latin_words(run.text)
            out.add(Stream.PRIMARY, words)
            out.add(Stream.STEM, [stem(word) for word in words])
            out.add(Stream.RECALL, [recall_stem(word) for word in words])
        elif script is Script.DIGIT:
            out.add(Stream.PRIMARY, [_ascii_digits(run.text)])
        elif script is Script.JAMO:
            out.add(Stream.PRIMARY, [run.text])
            stretch.add(run.text)
        elif script is Script.OTHER:
            out.add(Stream.PRIMARY, word_keys(run.text))
    _hangul_stretch(stretch.words, out)
    return out


def _add_pinyin(out: Collected, *, heteronyms: bool, supplied: str | None) -> None:
    keys = [chinese.pinyin_keys(out.han_words, out.han_search_words, heteronyms=heteronyms)]
    if supplied:
        keys.append(chinese.supplied_pinyin_keys(supplied, out.han_words))
    for found in keys:
        out.add(Stream.PINYIN, found.words)
        out.add(Stream.PINYIN_INITIALS, found.initials)
        out.add(Stream.PINYIN_PREFIX, found.whole)


def _merge(out: Collected, extra: Collected) -> None:
    for stream, keys in extra.keys.items():
        out.add(stream, keys)
    out.han_words.extend(extra.han_words)
    out.han_search_words.extend(extra.han_search_words)


def add_morphemes(out: Collected, options: AnalysisOptions) -> None:
    """K4, only when switched on and only for text that has Hangul."""
    if options.korean_morphology and out.has_hangul:
        out.add(Stream.MORPHEMES, korean.korean_morphemes("".join(out.k2_text)))


def analyze_field(
    text: str,
    *,
    kind: FieldKind,
    language: str | None,
    pinyin: str | None = None,
    hangul: str | None = None,
    options: AnalysisOptions = DEFAULT_OPTIONS,
) -> AnalyzedField:
    """Analyse one field value for indexing.

    ``language`` is the record language (ISO 639-1 or MARC/639-2 code); it only
    gates K1 (Hanja readings for Korean records).  ``pinyin`` is the
    record-supplied romanisation (CNMARC 200 $9 / $A, 70X $9), indexed beside
    the computed pinyin because either can be wrong.  ``hangul`` is a
    record-supplied Hangul form of a Hanja field (KORMARC parallel title): the
    cataloguer resolved the polyphones, so it replaces the table readings of K1.
    """
    folded = fold_base(text)
    out = analyse_runs(folded, language=None if hangul else language)
    joined = _HAN_GAP.sub("", folded)
    if joined != folded:
        # LC's 880 fields space Chinese words (艺术家　与　德育), and quotes split runs
        # (中国的“八五”): index the Han text joined too, so a query typed without the
        # spaces or quotes finds its bigrams and words (B2: punctuation is not a key).
        _merge(out, analyse_runs(joined, language=None if hangul else language))
    if hangul:
        supplied = analyse_runs(fold_base(hangul), language=None)
        out.add(Stream.READING, supplied.tokens(Stream.PRIMARY))
    elif language in KOREAN_LANGUAGES and out.has_hangul and _HAN_RUN.search(joined):
        # Hanja and Hangul in one field (韓國의 傳統 家屋): read as the reader writes it,
        # Hanja in Hangul with its particles attached, so 한국의 전통 가옥 finds it
        read = _HAN_RUN.sub(lambda m: (korean.hanja_word_readings(m[0]) or [m[0]])[0], joined)
        as_read = analyse_runs(read, language=None)
        out.add(Stream.READING, as_read.tokens(Stream.PRIMARY))
        out.add(Stream.RECALL, as_read.tokens(Stream.RECALL))
    wanted = FIELD_STREAMS[kind]
    if Stream.PINYIN in wanted:
        _add_pinyin(out, heteronyms=kind is FieldKind.NAME, supplied=pinyin)
    if Stream.MORPHEMES in wanted:
        add_morphemes(out, options)
    streams = {s: tuple(out.keys[s]) for s in CASCADE if s in wanted and out.keys.get(s)}
    return AnalyzedField(kind=kind, streams=streams)
