"""Typed, lazy, thread-safe access to the third-party language engines.

Every import of jieba, OpenCC, pypinyin, PyStemmer and kiwipiepy happens here and nowhere
else, for three reasons: jieba has no type stubs (one ``type: ignore`` in one
place), the heavy resources (jieba's prefix dictionary: ~0.9 s and ~90 MiB;
Kiwi: ~1.4 s and ~520 MiB) must be built once per process and only when first
needed, and several indexing threads may ask for them at the same moment.

Segmentation: jieba-rs (``rjieba``, a Rust port with jieba's dictionary and HMM) cuts
the Han runs whose every character is in jieba's own Han range (U+4E00-U+9FD5), ~17x
faster than jieba; a run with any other character (CJK extensions, compatibility
ideographs, U+9FD6-U+9FFF) goes to jieba itself, because jieba-rs's wider Han range joins
such characters into one word where jieba cuts one per character (㐀䶵 vs 㐀 / 䶵).  So the
words are jieba's by construction off that range and by the differential test
(tests/text/test_rjieba_differential.py) on it.

OpenCC choice: the official ``opencc`` package (C++ core, wheels with the
dictionaries) converts ~8.8 M chars/s here against ~0.4 M chars/s for the pure
Python ``opencc-python-reimplemented``; both gave identical t2s output on the
worked examples (tests/text/), and the official one ships ``py.typed``.
"""

from __future__ import annotations

import logging
import re
import threading
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, Generic, TypeVar

T = TypeVar("T")

# jieba logs "Building prefix dict ..." at DEBUG on its own logger; index runs
# should not print that for every worker process.
_QUIET = logging.WARNING


class LazyResource(Generic[T]):
    """A value built on first use, exactly once, even under concurrent first use."""

    def __init__(self, build: Callable[[], T]) -> None:
        self._build = build
        self._lock = threading.Lock()
        self._value: T | None = None

    @property
    def loaded(self) -> bool:
        return self._value is not None

    def get(self) -> T:
        value = self._value
        if value is not None:
            return value
        with self._lock:
            if self._value is None:
                self._value = self._build()
            return self._value


def _load_jieba() -> Any:
    # jieba 0.42 compiles regexes with invalid escapes and may touch
    # pkg_resources on import; those warnings are jieba's, not ours, and
    # pytest turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba  # type: ignore[import-untyped]

        jieba.setLogLevel(_QUIET)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
    return tokenizer


def _load_opencc() -> Any:
    import opencc

    return opencc.OpenCC("t2s")


def _load_opencc_s2t() -> Any:
    import opencc

    return opencc.OpenCC("s2t")


class _JiebaAsRs:
    """jieba behind jieba-rs's two calls, for an environment installed before rjieba was
    a dependency: the same words (the differential test), ~17x slower, said in the log."""

    def cut(self, text: str, hmm: bool = True) -> list[str]:
        words: list[str] = _JIEBA.get().lcut(text, HMM=hmm)
        return words

    def cut_for_search(self, text: str, hmm: bool = True) -> list[str]:
        words: list[str] = _JIEBA.get().lcut_for_search(text, HMM=hmm)
        return words


def _load_rjieba() -> Any:
    try:
        import rjieba
    except ImportError:
        logging.getLogger(__name__).warning(
            "rjieba is not installed (pip install -e . brings it): segmenting with jieba"
        )
        return _JiebaAsRs()
    return rjieba


@dataclass(frozen=True, slots=True)
class _Dictionary:
    known: frozenset[str]  # words with a count (jieba's FREQ without its 0-count prefixes)
    names: frozenset[str]  # words tagged as personal names (``nr``, ``nrfg``)


def _load_dictionary() -> _Dictionary:
    """jieba's dictionary file read once, without building jieba's prefix dictionary
    (~0.8 s, ~90 MiB) now that jieba-rs does the cutting."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba

        handle = jieba.get_dict_file()
    known: set[str] = set()
    names: set[str] = set()
    with handle:
        for raw in handle:
            parts = raw.decode("utf-8").split()
            if len(parts) >= 2 and int(parts[1]):
                known.add(parts[0])
            if len(parts) == 3 and parts[2] in ("nr", "nrfg"):
                names.add(parts[0])
    return _Dictionary(frozenset(known), frozenset(names))


_JIEBA: LazyResource[Any] = LazyResource(_load_jieba)
_OPENCC: LazyResource[Any] = LazyResource(_load_opencc)
_OPENCC_S2T: LazyResource[Any] = LazyResource(_load_opencc_s2t)
_RJIEBA: LazyResource[Any] = LazyResource(_load_rjieba)
_DICTIONARY: LazyResource[_Dictionary] = LazyResource(_load_dictionary)
# jieba's own Han range (jieba.re_han_default); jieba-rs's is wider (see the docstring).
JIEBA_HAN = re.compile("[\u4e00-\u9fd5]+")


def t2s(text: str) -> str:
    """OpenCC Traditional→Simplified, character level (Z1)."""
    converted: str = _OPENCC.get().convert(text)
    return converted


def s2t(text: str) -> str:
    """OpenCC Simplified→Traditional (the Hanja a Korean reading table knows)."""
    converted: str = _OPENCC_S2T.get().convert(text)
    return converted


def _load_english_stemmer() -> Any:
    import Stemmer  # type: ignore[import-not-found]  # no type information published

    return Stemmer.Stemmer("english")


_ENGLISH: LazyResource[Any] = LazyResource(_load_english_stemmer)


@lru_cache(maxsize=65_536)
def english_stem(word: str) -> str:
    """The Snowball (Porter 2) English stem: managing, managers, management → manag."""
    stemmed: str = _ENGLISH.get().stemWord(word)
    return stemmed


@lru_cache(maxsize=65_536)
def personal_name(word: str) -> bool:
    """Is this jieba word a personal name?  jieba's dictionary says so for the names it
    knows (曾国藩, 单田芳); a word it does not know, of two to four characters, whose first
    character has several readings (曾小明), is taken for one too (Z5 surname readings)."""
    dictionary = _DICTIONARY.get()
    if word in dictionary.names:
        return True
    if word in dictionary.known or not 2 <= len(word) <= 4:
        return False
    return len(pinyin_heteronyms(word[0])[0]) > 1


def cut(text: str) -> list[str]:
    """jieba precise-mode segmentation (HMM on), non-overlapping words in order."""
    if JIEBA_HAN.fullmatch(text):
        cut_rs: list[str] = _RJIEBA.get().cut(text, hmm=True)
        return cut_rs
    words: list[str] = _JIEBA.get().lcut(text)
    return words


def jieba_cut(text: str) -> list[str]:
    """jieba's own precise-mode cut (the reference the differential test compares with)."""
    words: list[str] = _JIEBA.get().lcut(text)
    return words


def jieba_search_words(word: str) -> list[str]:
    """jieba's own ``lcut_for_search`` (the differential test's reference)."""
    found: list[str] = _JIEBA.get().lcut_for_search(word)
    return found


@lru_cache(maxsize=65_536)
def search_words(word: str) -> tuple[str, ...]:
    """jieba ``cut_for_search`` of one precise-mode word: the word and its dictionary sub-words.

    Cached per word because titles repeat words far more than they repeat
    whole strings.
    """
    if JIEBA_HAN.fullmatch(word):
        found: list[str] = _RJIEBA.get().cut_for_search(word, hmm=True)
    else:
        found = _JIEBA.get().lcut_for_search(word)
    if word not in found:
        found.append(word)
    return tuple(found)


def _pinyin_module() -> Any:
    import pypinyin

    return pypinyin


_PYPINYIN: LazyResource[Any] = LazyResource(_pinyin_module)


@lru_cache(maxsize=65_536)
def pinyin_syllables(word: str) -> tuple[str, ...]:
    """Toneless pinyin of a word, one syllable per character (``ü`` written ``v``).

    pypinyin resolves many heteronyms from its phrase table when given the
    whole word, which is why the unit is the jieba word and not the character.
    """
    pypinyin = _PYPINYIN.get()
    syllables: list[str] = pypinyin.lazy_pinyin(word, style=pypinyin.Style.NORMAL)
    return tuple(syllables)


@lru_cache(maxsize=16_384)
def pinyin_heteronyms(word: str) -> tuple[tuple[str, ...], ...]:
    """Every toneless reading of each character of ``word`` (for personal names, Z5)."""
    pypinyin = _PYPINYIN.get()
    readings: list[list[str]] = pypinyin.pinyin(word, style=pypinyin.Style.NORMAL, heteronym=True)
    return tuple(tuple(dict.fromkeys(options)) for options in readings)


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One morpheme from a Korean analyser: surface/lemma form and Sejong-style tag."""

    form: str
    tag: str


class KiwiUnavailableError(RuntimeError):
    """Korean morphology was requested but kiwipiepy is not installed."""


def _load_kiwi() -> Any:
    try:
        from kiwipiepy import Kiwi  # type: ignore[import-not-found,unused-ignore]
    except ImportError as exc:  # the optional extra is absent: say how to get it
        raise KiwiUnavailableError(
            "korean_morphology=True needs the optional 'kiwipiepy' package "
            "(about 213 MiB installed, 520 MiB resident); install it or leave the option off"
        ) from exc
    return Kiwi()


_KIWI: LazyResource[Any] = LazyResource(_load_kiwi)


def kiwi_morphemes(text: str) -> Sequence[Morpheme]:
    """Morphemes of ``text`` from Kiwi, loaded once per process on first call."""
    tokens = _KIWI.get().tokenize(text)
    return [Morpheme(form=str(token.form), tag=str(token.tag)) for token in tokens]


def kiwi_loaded() -> bool:
    """Whether this process has paid for Kiwi yet (used to prove laziness in tests)."""
    return _KIWI.loaded
