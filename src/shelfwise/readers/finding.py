"""The keys a staff search finds a reader by: the name in the script it was written in,
its simplified form, its pinyin (whole and initials, the surname's other readings too),
the phone's digits and the e-mail address.

The keys are stored beside the reader (``reader_search_keys``) and matched by prefix
over an index, so a search over 100,000 readers reads a few index pages instead of every
row. The identity-card number is not a key: it is looked up by its keyed hash (P9).
"""

from __future__ import annotations

import re

from shelfwise.text.engines import pinyin_heteronyms, pinyin_syllables, t2s
from shelfwise.text.folding import fold_base, strip_diacritics

KEY_LENGTH = 64
# A surname read more than one way (单 shàn/dān, 曾 zēng/céng): at most this many readings.
_SURNAME_READINGS = 3
_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_HANGUL = re.compile(r"[\uac00-\ud7a3]+")
_NOT_DIGIT = re.compile(r"\D")
_SPACES = re.compile(r"[\s·・.\-]+")


def query_key(typed: str) -> str:
    """What a typed search becomes before it is matched against the keys' prefixes."""
    folded = strip_diacritics(fold_base(typed))
    if "@" in folded:
        return folded[:KEY_LENGTH]
    if _HAN.search(folded):
        folded = t2s(folded)
    return _SPACES.sub("", folded)[:KEY_LENGTH]


def phone_key(phone: str) -> str:
    return _NOT_DIGIT.sub("", phone)[:KEY_LENGTH]


def search_keys(name: str, phone: str | None, email: str | None) -> set[str]:
    """Every key of one reader (each a prefix target, at most KEY_LENGTH characters)."""
    keys = _name_keys(name)
    if phone and len(digits := phone_key(phone)) >= 3:
        keys.add(digits)
    if email:
        keys.add(fold_base(email)[:KEY_LENGTH])
    return {k for k in keys if k}


def _name_keys(name: str) -> set[str]:
    folded = strip_diacritics(fold_base(name))
    words = [w for w in _SPACES.split(folded) if w]
    keys = {"".join(words)}
    keys.update(words[1:])  # "Maria Garcia" is found by "garcia" too
    if len(words) == 1 and 2 <= len(folded) <= 4 and _HANGUL.fullmatch(folded):
        keys.add(folded[1:])  # a Korean given name alone (김민준: 민준)
    if not _HAN.search(folded):
        return {k[:KEY_LENGTH] for k in keys}
    simplified = t2s("".join(words))
    keys.add(simplified)
    han = "".join(_HAN.findall(simplified))
    if len(han) > 1:
        keys.add(han[1:])  # the given name alone
    for syllables in _readings(han):
        keys.add("".join(syllables))
        keys.add("".join(s[0] for s in syllables if s))
        if len(syllables) > 1:
            keys.add("".join(syllables[1:]))
    return {k[:KEY_LENGTH] for k in keys}


def _readings(han: str) -> list[tuple[str, ...]]:
    """The name's pinyin as a word, and with each other reading of its surname."""
    if not han:
        return []
    whole = pinyin_syllables(han)
    out = [whole]
    for reading in pinyin_heteronyms(han[0])[0][:_SURNAME_READINGS]:
        if reading != whole[0]:
            out.append((reading, *whole[1:]))
    return out
