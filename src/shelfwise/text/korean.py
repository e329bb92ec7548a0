"""Korean (Hangul runs; Hanja in Korean records): steps K1–K5 (``docs/search-analysis.md``).

Everything here is Hangul syllable arithmetic (U+AC00 + (onset·21 + vowel)·28 +
final), turned into ``str.translate`` tables built once, so no dictionary is
needed and a whole title folds in one C-level pass.

K1  Hanja → Hangul readings (Korean-language records only; table in
    :mod:`shelfwise.text.hanja_table`, derived from Unihan ``kHangul``).
K2  두음법칙 fold of each word's first syllable (primary key).
K3  the same fold on every syllable (recall key; known false friends 경력/경역).
K4  optional morphemes from kiwipiepy, run on K2-folded text.
K5  keystroke jamo string and 초성 string for autocomplete.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from functools import cache

from shelfwise.text import engines
from shelfwise.text.hanja_table import DATA as _HANJA_DATA

SYLLABLE_BASE = 0xAC00
SYLLABLE_LAST = 0xD7A3
_VOWELS = 21
_FINALS = 28

ONSETS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
VOWELS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = ("", *"ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ")
# Compound letters typed as two keys on the standard 2-beolsik keyboard; a
# half-typed query ("고ㅏ" on the way to 과) only prefixes the index key if the
# index spells compounds key by key too.
KEYSTROKES = {
    "ㅘ": "ㅗㅏ", "ㅙ": "ㅗㅐ", "ㅚ": "ㅗㅣ", "ㅝ": "ㅜㅓ", "ㅞ": "ㅜㅔ", "ㅟ": "ㅜㅣ", "ㅢ": "ㅡㅣ",
    "ㄳ": "ㄱㅅ", "ㄵ": "ㄴㅈ", "ㄶ": "ㄴㅎ", "ㄺ": "ㄹㄱ", "ㄻ": "ㄹㅁ", "ㄼ": "ㄹㅂ",
    "ㄽ": "ㄹㅅ", "ㄾ": "ㄹㅌ", "ㄿ": "ㄹㅍ", "ㅀ": "ㄹㅎ", "ㅄ": "ㅂㅅ",
}  # fmt: skip

_NIEUN = ONSETS.index("ㄴ")
_RIEUL = ONSETS.index("ㄹ")
_IEUNG = ONSETS.index("ㅇ")
# The vowels before which SK drops an initial ㄹ/ㄴ altogether (제10항, 제11항).
_I_Y_VOWELS = frozenset(VOWELS.index(v) for v in "ㅑㅕㅖㅛㅠㅣ")


def _compose(onset: int, vowel: int, final: int) -> str:
    return chr(SYLLABLE_BASE + (onset * _VOWELS + vowel) * _FINALS + final)


def _dueum_onset(onset: int, vowel: int) -> int:
    if onset == _RIEUL:
        return _IEUNG if vowel in _I_Y_VOWELS else _NIEUN
    if onset == _NIEUN and vowel in _I_Y_VOWELS:
        return _IEUNG
    return onset


def _build_dueum_table() -> dict[int, str]:
    table: dict[int, str] = {}
    for onset in (_RIEUL, _NIEUN):
        for vowel, final in itertools.product(range(_VOWELS), range(_FINALS)):
            folded = _dueum_onset(onset, vowel)
            if folded != onset:
                code = SYLLABLE_BASE + (onset * _VOWELS + vowel) * _FINALS + final
                table[code] = _compose(folded, vowel, final)
    return table


# 2 onsets × 21 vowels × 28 finals at most: cheap enough to build at import.
_DUEUM = _build_dueum_table()


def is_syllable(ch: str) -> bool:
    return SYLLABLE_BASE <= ord(ch) <= SYLLABLE_LAST


def fold_syllable(syllable: str) -> str:
    """두음 fold of one syllable: ㄹ/ㄴ onset → ㅇ/ㄴ per SK rules 10–12, final kept."""
    return _DUEUM.get(ord(syllable), syllable)


def fold_word_initial(word: str) -> str:
    """K2: fold only the first syllable of a word (력사와 → 역사와, 비률 stays)."""
    if not word:
        return word
    return fold_syllable(word[0]) + word[1:]


def fold_all_syllables(text: str) -> str:
    """K3: fold every syllable (비률 → 비율, 신녀성 → 신여성)."""
    return text.translate(_DUEUM)


@cache
def _jamo_table() -> dict[int, str]:
    table: dict[int, str] = {ord(k): v for k, v in KEYSTROKES.items()}
    for code in range(SYLLABLE_BASE, SYLLABLE_LAST + 1):
        index = code - SYLLABLE_BASE
        onset, rest = divmod(index, _VOWELS * _FINALS)
        vowel, final = divmod(rest, _FINALS)
        parts = ONSETS[onset] + VOWELS[vowel] + FINALS[final]
        table[code] = "".join(KEYSTROKES.get(p, p) for p in parts)
    return table


@cache
def _choseong_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {ord(v): None for v in VOWELS}
    for code in range(SYLLABLE_BASE, SYLLABLE_LAST + 1):
        table[code] = ONSETS[(code - SYLLABLE_BASE) // (_VOWELS * _FINALS)]
    for compound, keys in KEYSTROKES.items():
        if compound not in VOWELS:
            table[ord(compound)] = keys
    return table


def keystroke_jamo(text: str) -> str:
    """K5: syllables and compound letters spelled as 2-beolsik keystrokes (역사 → ㅇㅕㄱㅅㅏ)."""
    return text.translate(_jamo_table())


def choseong(text: str) -> str:
    """K5: the onset of every syllable; typed consonants stay, typed vowels go (역사 → ㅇㅅ)."""
    return text.translate(_choseong_table())


def consonant_jamo_only(text: str) -> bool:
    """True for a 초성 query such as ``ㄷㅅㄱ`` (consonant letters only, spaces allowed)."""
    letters = text.replace(" ", "")
    return bool(letters) and all("ㄱ" <= ch <= "ㅎ" for ch in letters)


def dueum_query_variants(jamo: str) -> list[str]:
    """CK readers may type a word-initial ㄹ/ㄴ the index folded away: try ㅇ and ㄴ too."""
    first = jamo[:1]
    if first == "ㄹ":
        return [f"ㅇ{jamo[1:]}", f"ㄴ{jamo[1:]}"]
    if first == "ㄴ":
        return [f"ㅇ{jamo[1:]}"]
    return []


# K1 --------------------------------------------------------------------------

MAX_READING_KEYS = 8


@cache
def _hanja_table() -> dict[str, tuple[str, ...]]:
    # Decoded on first use: most processes (Chinese-only catalogues) never need it.
    return {entry[0]: tuple(entry[1:].split("/")) for entry in _HANJA_DATA.split()}


def hanja_readings(char: str) -> tuple[str, ...]:
    """All Hangul readings of one Hanja (本音 first; 두음 variants are regenerated by K2)."""
    return _hanja_table().get(char, ())


def hanja_word_readings(run: str) -> list[str]:
    """Hangul readings of a Hanja run, all polyphone combinations up to a cap.

    A character without a known reading leaves the run unreadable (returns no
    reading) rather than producing a half-Hangul key that matches nothing.
    """
    options: list[Sequence[str]] = []
    for char in run:
        readings = hanja_readings(char)
        if not readings:
            return []
        options.append(readings)
    combos = itertools.islice(itertools.product(*options), MAX_READING_KEYS)
    return ["".join(combo) for combo in combos]


# K4 --------------------------------------------------------------------------

# Noun-like forms (general, proper, dependent nouns, foreign/Hanja strings, roots)
# and verb/adjective stems (K4 in docs/search-analysis.md).
MORPHEME_TAGS = frozenset({"NNG", "NNP", "NNB", "SL", "SH", "XR", "VV", "VA"})


def select_morphemes(morphemes: Iterable[engines.Morpheme]) -> list[str]:
    """The index-worthy forms of an analyser's output."""
    return [m.form for m in morphemes if m.tag.split("-")[0] in MORPHEME_TAGS and m.form]


def korean_morphemes(folded_text: str) -> list[str]:
    """K4 on K2-folded text (Kiwi mis-splits unfolded 리론, 래일)."""
    return select_morphemes(engines.kiwi_morphemes(folded_text))
