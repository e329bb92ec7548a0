"""Search keys the index needs beyond the analysis streams, built from ``shelfwise.text``.

* :func:`query_units` — the keys of one query word, grouped into units that must
  all match (AND) and alternatives per unit (OR over streams).  Han and Hangul
  units require *all* their character bigrams in one field stream, which is how
  a de-duplicated bag of bigrams answers "contains this word".
* :func:`sequence_units` — the positional tokens of the ``seq`` field (phrases).
* :func:`exact_key` — a title folded to one string (the exact-title bonus).
* :func:`sort_key` — title/author order: Chinese by pinyin, Korean in Hangul order.
"""

from __future__ import annotations

from dataclasses import dataclass

from shelfwise.text import Script, Stream, chinese, engines, fold_base, korean, script_runs
from shelfwise.text.folding import word_keys
from shelfwise.text.latin import latin_words, recall_stem, stem
from shelfwise.text.scripts import Run

INITIALS_MAX_LETTERS = 4
HANGUL_READINGS = 4  # polyphone readings of a Han query word tried as Hangul
HANGUL_READING_WEIGHT = 0.05  # a Hangul reading ranks below any direct match


@dataclass(frozen=True, slots=True)
class Alt:
    """One way a unit can match: every key in one field stream (term, or prefix)."""

    stream: Stream
    keys: tuple[str, ...]
    prefix: bool = False
    weight: float = 1.0


Unit = tuple[Alt, ...]  # alternatives (OR)


def _initial(previous: Run | None) -> bool:
    if previous is None:
        return True
    return previous.script in (Script.SPACE, Script.OTHER) and not previous.text[-1].isalnum()


def _glue_single_chars(words: tuple[str, ...]) -> list[str]:
    """Jieba words, with one-character words glued to a neighbour (bigrams need two)."""
    pieces: list[str] = []
    pending = ""
    for word in words:
        if len(word) == 1:
            pending += word
            continue
        pieces.append(pending + word)
        pending = ""
    if pending:
        if pieces and len(pending) == 1:
            pieces[-1] += pending
        else:
            pieces.append(pending)
    return pieces


def _han_units(run: str, *, prefix: bool) -> list[Unit]:
    simplified = chinese.to_simplified(run)
    units: list[Unit] = []
    for piece in _glue_single_chars(chinese.segment(simplified).words):
        bigrams = tuple(chinese.char_bigrams(piece))
        recall = tuple(chinese.char_bigrams(chinese.recall_fold(piece)))
        alts = [Alt(Stream.PRIMARY, bigrams), Alt(Stream.RECALL, recall)]
        if len(piece) == 1 or prefix:
            alts.append(Alt(Stream.PRIMARY, (piece,), prefix=True, weight=0.5))
        alts.extend(_hangul_reading_alts(piece))
        units.append(tuple(alts))
    return units


def _hangul_reading_alts(piece: str) -> list[Alt]:
    """A Han word read as Korean Hanja: its Hangul readings, as Hangul text is indexed
    (K2 in the primary stream, K3 in recall), weighted to rank below direct matches.
    朝鲜族 then also finds 조선족 … — the way 조선족 already finds 朝鮮族 (K1)."""
    readings = korean.hanja_word_readings(piece) or korean.hanja_word_readings(engines.s2t(piece))
    alts: list[Alt] = []
    for reading in readings[:HANGUL_READINGS]:
        k2 = tuple(chinese.char_bigrams(korean.fold_word_initial(reading)))
        k3 = tuple(chinese.char_bigrams(korean.fold_all_syllables(reading)))
        alts.append(Alt(Stream.PRIMARY, k2, weight=HANGUL_READING_WEIGHT))
        alts.append(Alt(Stream.RECALL, k3, weight=HANGUL_READING_WEIGHT))
    return alts


def _hangul_unit(text: str, *, initial: bool) -> Unit:
    folded = korean.fold_word_initial(text) if initial else text
    bigrams = tuple(chinese.char_bigrams(folded))
    alts = [
        Alt(Stream.PRIMARY, bigrams),
        Alt(Stream.READING, bigrams),
        Alt(Stream.RECALL, tuple(chinese.char_bigrams(korean.fold_all_syllables(text)))),
    ]
    if len(folded) == 1:
        alts.append(Alt(Stream.JAMO, (korean.keystroke_jamo(folded),), prefix=True, weight=0.5))
    return tuple(alts)


def _latin_unit(word: str, *, prefix: bool) -> Unit:
    if prefix:
        alts = [Alt(Stream.PRIMARY, (word,), prefix=True)]
        if word.isascii() and len(word) >= 2:
            alts.append(Alt(Stream.PINYIN_PREFIX, (word,), prefix=True))
        return tuple(alts)
    alts = [Alt(Stream.PRIMARY, (word,)), Alt(Stream.STEM, (stem(word),))]
    alts.append(Alt(Stream.RECALL, (recall_stem(word),)))
    if word.isascii() and word.isalpha():
        alts.append(Alt(Stream.PINYIN, (word,)))
        if len(word) >= 2:
            alts.append(Alt(Stream.PINYIN_PREFIX, (word,), prefix=True, weight=0.5))
        if len(word) <= INITIALS_MAX_LETTERS:
            alts.append(Alt(Stream.PINYIN_INITIALS, (word,), weight=0.5))
    return tuple(alts)


def _jamo_units(folded: str) -> list[Unit]:
    """A word typed with loose jamo (as-you-type, or 초성): prefix keys only."""
    joined = folded.replace(" ", "")
    k2 = korean.fold_word_initial(joined)
    alts = [Alt(Stream.JAMO, (korean.keystroke_jamo(k2),), prefix=True)]
    if korean.consonant_jamo_only(joined):
        alts.append(Alt(Stream.CHOSEONG, (joined,), prefix=True))
        alts.extend(
            Alt(Stream.CHOSEONG, (v,), prefix=True, weight=0.8)
            for v in korean.dueum_query_variants(joined)
        )
    return [tuple(alts)]


def query_units(word: str, *, prefix: bool = False) -> list[Unit]:
    """The AND-ed units of one query word (a whitespace-free string)."""
    folded = fold_base(word)
    runs = [r for r in script_runs(folded) if r.script is not Script.SPACE]
    if any(r.script is Script.JAMO for r in runs):
        return _jamo_units(folded)
    units: list[Unit] = []
    previous: Run | None = None
    for index, run in enumerate(runs):
        last = prefix and index == len(runs) - 1
        if run.script is Script.HAN:
            units.extend(_han_units(run.text, prefix=last))
        elif run.script is Script.HANGUL:
            units.append(_hangul_unit(run.text, initial=_initial(previous)))
        elif run.script is Script.LATIN:
            units.extend(_latin_unit(w, prefix=last) for w in latin_words(run.text))
        elif run.script is Script.DIGIT:
            digits = "".join(str(int(ch)) for ch in run.text)
            units.append((Alt(Stream.PRIMARY, (digits,), prefix=last),))
        else:
            units.extend((Alt(Stream.PRIMARY, (k,), prefix=last),) for k in word_keys(run.text))
        previous = run
    return [u for u in units if all(a.keys and all(a.keys) for a in u)]


@dataclass(frozen=True, slots=True)
class TitleKeys:
    """A title's phrase tokens, exact-title key and sort key, from one pass over it."""

    sequence: tuple[str, ...]
    sort: str

    @property
    def exact(self) -> str:
        return "".join(self.sequence)


def title_keys(text: str, *, sort_length: int | None = 48) -> TitleKeys:
    """One fold, one split into script runs and one t2s per Han run, shared by the
    phrase tokens, the exact key and the sort key (``sort_length=None``: no sort key,
    so no jieba).  The title's analysis streams are made by ``analyze_field``."""
    units: list[str] = []
    parts: list[str] = []
    length = 0
    sorting = sort_length is not None
    previous: Run | None = None
    for run in script_runs(fold_base(text)):
        script = run.script
        if script is Script.HAN:
            simplified = chinese.to_simplified(run.text)
            units.extend(simplified)
            part = _han_sort(simplified) if sorting else ""
        elif script is Script.HANGUL:
            units.extend(korean.fold_word_initial(run.text) if _initial(previous) else run.text)
            part = run.text
        elif script is Script.LATIN:
            words = latin_words(run.text)
            units.extend(words)
            part = " ".join(words)
        elif script is Script.DIGIT:
            units.append("".join(str(int(ch)) for ch in run.text))
            part = run.text
        else:
            if script is Script.JAMO:
                units.append(run.text)
            elif script is Script.OTHER:
                units.extend(word_keys(run.text))
            part = run.text if script is Script.JAMO else " " if script is Script.SPACE else ""
        previous = run
        if sorting:
            parts.append(part)
            length += len(part)
            # the key is long enough: later runs are neither converted to pinyin nor added
            sorting = length <= (sort_length or 0)
    key = " ".join("".join(parts).split())[:sort_length] if sort_length is not None else ""
    return TitleKeys(tuple(units), key)


def sequence_units(text: str) -> list[str]:
    """Positional tokens: Han characters (simplified), Hangul syllables (K2), words, digits."""
    return list(title_keys(text, sort_length=None).sequence)


def exact_key(text: str) -> str:
    """A title as one folded string, punctuation and spaces dropped."""
    return title_keys(text, sort_length=None).exact


def _han_sort(simplified: str) -> str:
    return " ".join("".join(engines.pinyin_syllables(w)) for w in engines.cut(simplified))


def sort_key(text: str, *, length: int = 48) -> str:
    """Title/author order: Latin and pinyin alphabetically (digits first), then Hangul.

    Byte order of the key is the reading order: ASCII sorts before Hangul, and
    Hangul syllables in code point order are in 가나다 order.  Leading articles
    are not dropped (the MARC non-filing indicator is not in the description).
    """
    return title_keys(text, sort_length=length).sort
