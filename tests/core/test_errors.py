"""Error codes: every code has all three languages, placeholders agree, the API shape is one."""

from __future__ import annotations

import re
import string

import pytest

from shelfwise.core.errors import LANGUAGES, ShelfwiseError, negotiate_language
from shelfwise.core.messages import CATALOGUE
from shelfwise.core.messages.circulation import WARNINGS


@pytest.mark.parametrize("code", sorted(CATALOGUE))
def test_each_code_speaks_three_languages_with_the_same_placeholders(code: str) -> None:
    template = CATALOGUE[code]
    assert re.fullmatch(r"[a-z0-9_]+\.[a-z0-9_]+", code)
    fields = {}
    for language in LANGUAGES:
        text = template.text[language]
        assert text.strip()
        fields[language] = {f for _, f, _, _ in string.Formatter().parse(text) if f}
    assert fields["zh"] == fields["ko"] == fields["en"]
    if code in WARNINGS:  # the desk's warnings stop nothing
        assert template.status == 200
    else:
        assert 400 <= template.status < 600


def test_message_rendering_and_unknown_code() -> None:
    error = ShelfwiseError("catalogue.item_not_found", barcode="SW001")
    assert error.message("en") == "There is no item with barcode SW001."
    assert "SW001" in error.message("zh")
    assert "SW001" in error.message("ko")
    assert error.status == 404
    with pytest.raises(KeyError):
        ShelfwiseError("no.such_code")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "zh"),
        ("ko-KR,ko;q=0.9,en;q=0.5", "ko"),
        ("en-US", "en"),
        ("fr, en;q=0.1", "en"),
        ("fr", "zh"),
        ("zh-TW;q=0.2, ko;q=0.8", "ko"),
    ],
)
def test_language_negotiation(header: str | None, expected: str) -> None:
    assert negotiate_language(header) == expected
