"""Latin runs: step L1 (= B1 + B3) and a deliberately light English stemmer.

The stemmer only removes plural and possessive endings, in the manner of
Harman's "S" stemmer (1991): ``-ies → -y``, ``-es → ""`` after x/ch/sh/ss/zz,
``-s → ""`` unless the word ends in -ss, -us or -is; possessive ``'s`` is
dropped before that.  A full
Porter/Snowball stemmer was judged not worth a dependency: catalogue titles are
short noun phrases where plurals are the common mismatch (library/libraries),
and aggressive stems (university/universe → univers) hurt precision.  Stems go
to their own, lower-boosted stream so exact words still rank first.

Readers still expect *library management* to find "Managing libraries … library
managers": the Snowball (Porter 2) stem of an ASCII word goes to the recall
stream (boost 1.5, below the light stem's 5), where its over-conflation only
adds low-ranked matches.
"""

from __future__ import annotations

import re

from shelfwise.text import engines
from shelfwise.text.folding import fold_case_width, strip_diacritics, word_keys

_MIN_STEM = 3
# Plurals that add "-es" to a sibilant (box/boxes, church/churches); other
# "-es" words only add "-s" (house/houses, course/courses).
_SIBILANT_ENDINGS = ("xes", "ches", "shes", "sses", "zzes")
_KEEP_S = ("ss", "us", "is")
_POSSESSIVE = re.compile(r"['\u2019]s\b")


def latin_words(text: str) -> list[str]:
    """L1 word keys: casefolded, width-folded, without diacritics or possessive 's."""
    folded = strip_diacritics(fold_case_width(text))
    return word_keys(_POSSESSIVE.sub("", folded))


def stem(word: str) -> str:
    """Light English stem of an L1-folded word (plural endings only)."""
    if len(word) <= _MIN_STEM or not word.isascii():
        return word
    if word.endswith("ies") and word[-4] not in "ae":
        return word[:-3] + "y"
    if word.endswith(_SIBILANT_ENDINGS):
        return word[:-2]
    if word.endswith("s") and not word.endswith(_KEEP_S):
        return word[:-1]
    return word


def recall_stem(word: str) -> str:
    """Snowball English stem of an L1-folded ASCII word (recall stream); others unchanged."""
    if len(word) <= _MIN_STEM or not word.isascii() or not word.isalpha():
        return word
    return engines.english_stem(word)
