"""Base folding for every field: steps B1–B3 (``docs/search-analysis.md``, "The chain").

B1  NFKC + casefold, except runs of Hangul compatibility jamo (U+3131–U+318E):
    NFKC turns ㅇ U+3147 into the conjoining U+110B, and a 초성 query typed on a
    phone keyboard ("ㅇㅅ") would then never meet the 초성 key of 역사.
B2  whitespace collapsed to one space; punctuation never reaches a token key.
B3  Latin runs only: NFKD and drop combining marks (Müller → muller).  Applying
    NFKD to Hangul would split syllables into conjoining jamo, hence "Latin only".
"""

from __future__ import annotations

import re
import unicodedata

from shelfwise.text.scripts import JAMO_CLASS

_JAMO_RUN = re.compile(f"([{JAMO_CLASS}]+)")
_WORD_CHARS = re.compile(r"\w+")


def _nfkc_casefold(text: str) -> str:
    # casefold can produce strings that are no longer NFKC (e.g. ẞ → ss is
    # fine, but some casefolds expose compatibility characters), so normalise
    # again to make the fold idempotent.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())


def fold_case_width(text: str) -> str:
    """B1: NFKC + casefold everything except compatibility-jamo runs."""
    if text.isascii():
        return text.lower()
    parts = _JAMO_RUN.split(text)
    # split() with one capturing group alternates: non-jamo, jamo, non-jamo, ...
    folded = [part if index % 2 else _nfkc_casefold(part) for index, part in enumerate(parts)]
    result = "".join(folded)
    if result != text and _JAMO_RUN.search(result):
        # Folding may create new jamo (halfwidth ﾡ → ㄱ) or new neighbours for a
        # jamo run; one more pass reaches the fixed point.
        again = [
            part if index % 2 else _nfkc_casefold(part)
            for index, part in enumerate(_JAMO_RUN.split(result))
        ]
        result = "".join(again)
    return result


def collapse_whitespace(text: str) -> str:
    """B2: runs of any Unicode whitespace become one space; ends trimmed."""
    return " ".join(text.split())


def strip_diacritics(text: str) -> str:
    """B3: drop combining marks after NFKD (ø, đ, ł have no decomposition and stay)."""
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", bare)


def fold_base(text: str) -> str:
    """B1 + B2 on a whole string: the base form every later step starts from."""
    return collapse_whitespace(fold_case_width(text))


def word_keys(text: str) -> list[str]:
    """Punctuation-free word keys of an already folded run (B2)."""
    return [word.replace("_", "") for word in _WORD_CHARS.findall(text) if word.strip("_")]
