"""Typed, lazy, thread-safe access to the third-party language engines.

Every import of jieba, OpenCC, pypinyin and kiwipiepy happens here and nowhere
else, for three reasons: jieba has no type stubs (one ``type: ignore`` in one
place), the heavy resources (jieba's prefix dictionary: ~0.9 s and ~90 MiB;
Kiwi: ~1.4 s and ~520 MiB) must be built once per process and only when first
needed, and several indexing threads may ask for them at the same moment.

OpenCC choice: the official ``opencc`` package (C++ core, wheels with the
dictionaries) converts ~8.8 M chars/s here against ~0.4 M chars/s for the pure
Python ``opencc-python-reimplemented``; both gave identical t2s output on the
worked examples (tests/text/), and the official one ships ``py.typed``.
"""

from __future__ import annotations

import logging
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


_JIEBA: LazyResource[Any] = LazyResource(_load_jieba)
_OPENCC: LazyResource[Any] = LazyResource(_load_opencc)


def t2s(text: str) -> str:
    """OpenCC Traditional→Simplified, character level (Z1)."""
    converted: str = _OPENCC.get().convert(text)
    return converted


def cut(text: str) -> list[str]:
    """jieba precise-mode segmentation (HMM on), non-overlapping words in order."""
    words: list[str] = _JIEBA.get().lcut(text)
    return words


@lru_cache(maxsize=65_536)
def search_words(word: str) -> tuple[str, ...]:
    """jieba ``cut_for_search`` of one precise-mode word: the word and its dictionary sub-words.

    Cached per word because titles repeat words far more than they repeat
    whole strings.
    """
    found: list[str] = _JIEBA.get().lcut_for_search(word)
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
