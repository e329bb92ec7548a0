"""Split text into runs of one script (``docs/search-analysis.md``, "The chain").

Language-specific steps are chosen per run, not per field: one CNMARC title can
hold Han, Latin and digits ("Python程序设计 第2版"), a Korean record Hangul and
Hanja. One compiled regular expression does the split, because a per-character
Python loop would be the slowest step of the whole chain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum


class Script(StrEnum):
    HAN = "han"
    HANGUL = "hangul"  # precomposed syllables U+AC00–U+D7A3
    JAMO = "jamo"  # Hangul compatibility jamo U+3131–U+318E (keyboard input)
    LATIN = "latin"
    DIGIT = "digit"
    SPACE = "space"
    OTHER = "other"  # punctuation, symbols, other scripts


# CJK unified ideographs (+ extension A, B–G, compatibility ideographs) and 〇,
# which catalogues use as a Han digit (二〇一九).
HAN_CLASS = (
    "\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0002a6df\U0002a700-\U0002ebef\U00030000-\U0003134f"
)
HANGUL_CLASS = "\uac00-\ud7a3"
JAMO_CLASS = "\u3131-\u318e"
# Latin letters with their combining marks, so "Mu\u0308ller" stays one run.
LATIN_CLASS = (
    "A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f"
    "\u0300-\u036f\u1e00-\u1eff\u2c60-\u2c7f\ua720-\ua7ff\uff21-\uff3a\uff41-\uff5a"
)

_RUN = re.compile(
    rf"(?P<{Script.HAN}>[{HAN_CLASS}]+)"
    rf"|(?P<{Script.HANGUL}>[{HANGUL_CLASS}]+)"
    rf"|(?P<{Script.JAMO}>[{JAMO_CLASS}]+)"
    rf"|(?P<{Script.LATIN}>[{LATIN_CLASS}]+)"
    rf"|(?P<{Script.DIGIT}>\d+)"
    rf"|(?P<{Script.SPACE}>\s+)"
    rf"|(?P<{Script.OTHER}>[^{HAN_CLASS}{HANGUL_CLASS}{JAMO_CLASS}{LATIN_CLASS}\d\s]+)"
)


@dataclass(frozen=True, slots=True)
class Run:
    """A maximal stretch of one script; ``start`` indexes the analysed string."""

    script: Script
    text: str
    start: int


def script_runs(text: str) -> list[Run]:
    """All runs of ``text`` in order; their texts concatenate back to ``text``."""
    return [
        Run(Script(match.lastgroup), match.group(), match.start())
        for match in _RUN.finditer(text)
        if match.lastgroup is not None
    ]
