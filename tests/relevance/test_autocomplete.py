"""Autocomplete over the relevance catalogue: pinyin (whole title, initials, any word),
Korean jamo and 초성, the Chinese-Korean spelling, and Latin prefixes."""

from __future__ import annotations

import pytest
from test_relevance import judged  # noqa: F401 - the module-scoped catalogue fixture

from shelfwise.services import Services


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lsyj", "历史研究"),  # initials of the whole title
        ("lishiyan", "历史研究"),  # whole-title pinyin, from the start
        ("lishi", "沈阳历史文化"),  # the pinyin of a word inside the title
        ("hongl", "紅樓夢"),  # pinyin reaches traditional titles too
        ("역ㅅ", "역사"),  # keystroke jamo of the last syllable
        ("ㅇㅅ", "역사"),  # 초성 only
        ("력사", "역사"),  # the Chinese-Korean spelling folds to the South Korean one
        ("sanguo", "三国演义"),
    ],
)
def test_autocomplete_finds_the_title(
    judged: tuple[Services, dict[str, int]],  # noqa: F811
    typed: str,
    expected: str,
) -> None:
    services, _ids = judged
    shown = [s.text for s in services.search.suggest(typed, limit=8)]
    assert any(expected in text for text in shown), (typed, shown)
