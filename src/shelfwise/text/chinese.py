"""Chinese (Han runs): steps Z1–Z5 (``docs/search-analysis.md``, "The chain").

Z1  OpenCC t2s before segmentation (jieba segments Traditional text
    differently: 黑龍江省/地方/誌 vs 黑龙江省/地方志).
Z2  recall key: Z1 plus a small many-to-one map for variants t2s keeps.
Z3  jieba ``cut_for_search`` words plus overlapping character bigrams.
Z4  pinyin per jieba word: joined full pinyin and initials; whole-string forms.
Z5  personal names: every heteronym combination (曾国藩 → zengguofan, cengguofan).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from shelfwise.text import engines
from shelfwise.text.folding import strip_diacritics
from shelfwise.text.scripts import HAN_CLASS

# Z2.  First block: Traditional forms OpenCC t2s leaves alone although the
# Simplified catalogue writes the other character (measured round-trip misses:
# 徵调, 车伕, 毕昇).  Second block: lossy pairs where both characters are
# legitimate words; merging them is only acceptable in a low-boost recall key.
# 锺 (from 鍾) is in the first block: OpenCC t2s keeps the 鍾 → 锺 distinction
# (鍾 "cup, bell" vs 鐘 → 钟), but simplified catalogues write 钱钟书 for 錢鍾書.
RECALL_VARIANTS: dict[str, str] = {
    "徵": "征",
    "伕": "夫",
    "昇": "升",
    "锺": "钟",
    "像": "象",
    "座": "坐",
    "乾": "干",
    "著": "着",
}
_RECALL_TABLE = str.maketrans(RECALL_VARIANTS)
# A cap on heteronym combinations: 4-character names with three polyphones
# would otherwise produce dozens of keys for one author.
MAX_HETERONYM_KEYS = 16
_HAN_ONLY = re.compile(f"[{HAN_CLASS}]+")
_SYLLABLE = re.compile(r"[a-z]+")


def to_simplified(text: str) -> str:
    """Z1: OpenCC t2s.  Text without Han characters is returned as is."""
    if text.isascii() or not _HAN_ONLY.search(text):
        return text
    return engines.t2s(text)


def recall_fold(simplified: str) -> str:
    """Z2: apply the variant map to Z1 output."""
    return simplified.translate(_RECALL_TABLE)


def char_bigrams(run: str) -> list[str]:
    """Overlapping bigrams; a one-character run is its own unigram."""
    if len(run) < 2:
        return [run] if run else []
    return [run[i : i + 2] for i in range(len(run) - 1)]


@dataclass(frozen=True, slots=True)
class Segmented:
    """A simplified Han run: precise-mode words (in order) and search words."""

    words: tuple[str, ...]
    search_words: tuple[str, ...]


def segment(simplified_run: str) -> Segmented:
    """Z3 words of one Z1-converted Han run."""
    words = tuple(engines.cut(simplified_run))
    search: list[str] = []
    for word in words:
        search.extend(engines.search_words(word))
    return Segmented(words=words, search_words=tuple(dict.fromkeys(search)))


def han_tokens(simplified_run: str, segmented: Segmented) -> list[str]:
    """Z3 tokens: search words then bigrams, de-duplicated in first-seen order."""
    return list(dict.fromkeys([*segmented.search_words, *char_bigrams(simplified_run)]))


def with_u_variant(key: str) -> list[str]:
    """ü is written ``v`` by pypinyin; readers also type ``u`` (lv/lu), so index both."""
    return [key, key.replace("v", "u")] if "v" in key else [key]


@dataclass(frozen=True, slots=True)
class PinyinKeys:
    """Z4/Z5 keys of one field."""

    words: tuple[str, ...]  # joined full pinyin per word (lishi)
    initials: tuple[str, ...]  # initials per word (ls)
    whole: tuple[str, ...]  # whole-string joined pinyin and initials, for prefix match


def _initials(syllables: Sequence[str]) -> str:
    return "".join(s[0] for s in syllables if s)


def _heteronym_readings(word: str) -> list[tuple[str, ...]]:
    options = engines.pinyin_heteronyms(word)
    combos = itertools.islice(itertools.product(*options), MAX_HETERONYM_KEYS)
    default = engines.pinyin_syllables(word)
    return list(dict.fromkeys([default, *combos]))


def pinyin_keys(
    words: Sequence[str], search_words: Iterable[str], *, heteronyms: bool
) -> PinyinKeys:
    """Z4 keys from Z1 text; Z5 adds every heteronym reading of personal names.

    ``heteronyms``: the whole field is a name (authors); otherwise the words that are
    personal names (:func:`engines.personal_name`: 曾国藩 in 曾国藩家书) get them.
    Per-word keys come from the search words too (中华人民共和国 → renmin,
    gongheguo ...), and from each pair of neighbouring words (历史地理 → lishidili).
    Initials and whole-string keys come from the same readings as the full pinyin,
    name readings included (曾国藩家书 → zengguofanjiashu, zgfjs beside cgfjs).
    """
    word_keys: list[str] = []
    initial_keys: list[str] = []
    for word in search_words:
        if _HAN_ONLY.fullmatch(word):
            reading = engines.pinyin_syllables(word)
            word_keys.extend(with_u_variant("".join(reading)))
            initial_keys.append(_initials(reading))
    readings: list[list[tuple[str, ...]]] = []  # per precise Han word: default first
    for word in words:
        if not _HAN_ONLY.fullmatch(word):
            continue
        named = heteronyms or engines.personal_name(word)
        options = _heteronym_readings(word) if named else [engines.pinyin_syllables(word)]
        for reading in options:
            word_keys.extend(with_u_variant("".join(reading)))
            initial_keys.append(_initials(reading))
        readings.append(options)
    for left, right in itertools.pairwise(readings):
        word_keys.extend(with_u_variant("".join(left[0] + right[0])))
    whole = _whole_keys(readings)
    # the whole field's joined pinyin is a word too: a reader who types a title's full
    # pinyin (aomanyupianjian) matches it as strongly as cataloguer pinyin would
    if len(readings) > 1:
        joined = "".join(s for options in readings for s in options[0])
        word_keys.extend(with_u_variant(joined))
    return PinyinKeys(
        words=tuple(dict.fromkeys(word_keys)),
        initials=tuple(dict.fromkeys(initial_keys)),
        whole=tuple(dict.fromkeys(whole)),
    )


def _whole_keys(readings: Sequence[Sequence[tuple[str, ...]]]) -> list[str]:
    """Whole-string joined pinyin and initials: the default reading, then each word's
    other readings in turn with the rest as default (at most ``MAX_HETERONYM_KEYS``)."""
    if not readings:
        return []
    default = [options[0] for options in readings]
    wholes = [default]
    for index, options in enumerate(readings):
        for other in options[1:]:
            if len(wholes) >= MAX_HETERONYM_KEYS:
                break
            wholes.append([*default[:index], other, *default[index + 1 :]])
    out: list[str] = []
    for parts in wholes:
        syllables = [s for part in parts for s in part]
        out.extend(with_u_variant("".join(syllables)))
        out.append(_initials(syllables))
    return out


def supplied_syllables(pinyin: str) -> list[str]:
    """Cataloguer pinyin (CNMARC 200 $9 / $A) as lowercase toneless syllables.

    ü/ǘ/ǚ become ``v`` first (pypinyin's spelling), so the u-variant is added
    later by :func:`with_u_variant` exactly as for computed pinyin.
    """
    text = pinyin.casefold()
    text = re.sub("[üǖǘǚǜ]|u:", "v", text)
    return _SYLLABLE.findall(strip_diacritics(text))


def supplied_pinyin_keys(pinyin: str, han_words: Sequence[str]) -> PinyinKeys:
    """Z4 keys from record-supplied pinyin.

    When the syllable count equals the number of Han characters, the syllables
    are grouped by the jieba words so per-word keys exist too; otherwise only
    whole-string keys are trusted (the cataloguer may have romanised a subtitle
    differently, and real records contain errors such as 叶震 → "Xie Zhen").
    """
    syllables = supplied_syllables(pinyin)
    if not syllables:
        return PinyinKeys((), (), ())
    joined = "".join(syllables)
    words: list[str] = [*with_u_variant(joined)]
    initials: list[str] = []
    if sum(len(w) for w in han_words) == len(syllables):
        position = 0
        for word in han_words:
            part = syllables[position : position + len(word)]
            position += len(word)
            words.extend(with_u_variant("".join(part)))
            initials.append(_initials(part))
    whole = [*with_u_variant(joined), _initials(syllables)]
    return PinyinKeys(
        words=tuple(dict.fromkeys(words)),
        initials=tuple(dict.fromkeys(initials)),
        whole=tuple(dict.fromkeys(whole)),
    )
