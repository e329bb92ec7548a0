"""The word lists: pinyin, traditional characters, Chinese-Korean spellings, publishers."""

from __future__ import annotations

import re

import pytest

from shelfwise.core.isbn import is_valid
from shelfwise.testing import vocab_zh
from shelfwise.testing.vocabulary import (
    EN_PUBLISHERS,
    KO_CK_PUBLISHERS,
    KO_SK_PUBLISHERS,
    KO_WORDS,
    TOPICS,
    ZH_GIVEN,
    ZH_KOREAN_SURNAMES,
    ZH_PUBLISHERS,
    ZH_SURNAMES,
    ZH_TRAD_PUBLISHERS,
    ZH_WORDS,
    Entry,
    isbn10_for,
    isbn_for,
    to_traditional,
)

_HAN = re.compile(r"[\u4e00-\u9fff]")


def _zh_entries() -> list[Entry]:
    entries = list(ZH_SURNAMES + ZH_KOREAN_SURNAMES + ZH_GIVEN)
    for lt in ZH_WORDS.values():
        for words in lt.slots.values():
            entries.extend(words)
        entries.extend(entry for pattern in lt.patterns for slot, entry in pattern if slot is None)
    return entries


def test_every_romanised_chinese_word_has_one_syllable_per_character() -> None:
    for text, pinyin in _zh_entries():
        assert re.fullmatch(r"[a-zA-Z0-9]+( [a-zA-Z0-9]+)*", pinyin), (text, pinyin)
        if _HAN.fullmatch(text[0]) and all(_HAN.match(c) for c in text):
            assert len(pinyin.split()) == len(text), (text, pinyin)


def test_simplified_words_are_gb2312_and_traditional_ones_big5() -> None:
    for lt in ZH_WORDS.values():
        for words in lt.slots.values():
            for text, _ in words:
                text.encode("gb2312")
    for key in vocab_zh.TRADITIONAL_TOPICS:
        lt = ZH_WORDS[key]
        texts = [t for words in lt.slots.values() for t, _ in words]
        texts += [t for t, _ in lt.subtitles + lt.summaries + lt.series]
        for text in texts:
            to_traditional(text).encode("big5")
    for text, _ in ZH_SURNAMES + ZH_GIVEN:
        to_traditional(text).encode("big5")


def test_to_traditional_uses_word_overrides() -> None:
    assert to_traditional("历史") == "歷史"
    assert to_traditional("面点大全") == "麵點大全"
    assert to_traditional("操作系统") == "操作系統"


# Pairs that differ by vocabulary, not by the initial-sound rule.
_LEXICAL = {"백두산", "한국어", "중국어", "한국 요리", "중한 번역"}
_INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"


def _split(syllable: str) -> tuple[str, int]:
    code = ord(syllable) - 0xAC00
    return _INITIALS[code // 588], code % 588


def test_chinese_korean_forms_differ_only_by_the_initial_sound_rule() -> None:
    pairs = 0
    for lt in KO_WORDS.values():
        entries = [e for words in lt.slots.values() for e in words]
        entries += list(lt.subtitles + lt.summaries + lt.series)
        entries += [part for subject in lt.subjects for part in subject]
        for sk, ck in entries:
            if sk == ck or sk in _LEXICAL:
                continue
            pairs += 1
            assert len(sk) == len(ck), (sk, ck)
            for a, b in zip(sk, ck, strict=True):
                if a != b:
                    (ia, rest_a), (ib, rest_b) = _split(a), _split(b)
                    assert rest_a == rest_b, (sk, ck)  # same vowel and final
                    assert (ia, ib) in {("ㅇ", "ㄹ"), ("ㅇ", "ㄴ"), ("ㄴ", "ㄹ")}, (sk, ck)
    assert pairs >= 20


@pytest.mark.parametrize("kind", range(4))
def test_every_topic_has_a_publisher_in_each_language(kind: int) -> None:
    pools = (ZH_PUBLISHERS, KO_SK_PUBLISHERS, KO_CK_PUBLISHERS, EN_PUBLISHERS)
    for topic in TOPICS:
        if topic.weights[kind]:
            assert any(topic.key in p.topics for p in pools[kind]), (kind, topic.key)
    for key in vocab_zh.TRADITIONAL_TOPICS:
        assert any(key in p.topics for p in ZH_TRAD_PUBLISHERS), key


def test_isbns_are_valid_and_carry_the_publisher_prefix() -> None:
    pools = ZH_PUBLISHERS + ZH_TRAD_PUBLISHERS + KO_SK_PUBLISHERS + KO_CK_PUBLISHERS + EN_PUBLISHERS
    for publisher in pools:
        for index in (0, 1, 9_999, 10_000, 123_456):
            digits, hyphenated = isbn_for(publisher, index)
            assert is_valid(digits)
            assert hyphenated.replace("-", "") == digits
            group, registrant = hyphenated.split("-")[1:3]
            assert (group, registrant) in publisher.registrants
            isbn10 = isbn10_for(publisher, index)
            assert is_valid(isbn10)
            assert isbn10.replace("-", "")[:9] == digits[3:12]


def test_isbns_of_one_publisher_do_not_collide_within_twenty_thousand() -> None:
    pools = ZH_PUBLISHERS + ZH_TRAD_PUBLISHERS + KO_SK_PUBLISHERS + KO_CK_PUBLISHERS + EN_PUBLISHERS
    for publisher in pools:
        numbers = {isbn_for(publisher, index)[0] for index in range(20_000)}
        assert len(numbers) == 20_000, publisher.name
