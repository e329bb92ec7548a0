"""Base folding B1–B3, script runs and the Latin stemmer."""

from __future__ import annotations

import itertools
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelfwise.text.folding import (
    collapse_whitespace,
    fold_base,
    fold_case_width,
    strip_diacritics,
    word_keys,
)
from shelfwise.text.latin import latin_words, stem
from shelfwise.text.scripts import Script, script_runs

# Surrogates cannot occur in str decoded from UTF-8; everything else can.
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
jamo = st.text(st.characters(min_codepoint=0x3131, max_codepoint=0x318E), min_size=1)
mixed = st.text(
    st.sampled_from(list("역사력로ㄱㅇㅅㅘ歷史历 Aa1２ｐ,.：Müß\u0301\u3000\t\n①㈜ﾡ")), max_size=30
)


@pytest.mark.parametrize(
    ("raw", "folded"),
    [
        ("Ｐｙｔｈｏｎ", "python"),
        ("：", ":"),
        ("①", "1"),
        ("㈜", "(주)"),
        ("STRASSE Straße", "strasse strasse"),
        ("ㅇㅅ", "ㅇㅅ"),  # compatibility jamo are not NFKC'd (would become U+110B U+1109)
        ("Ｐ ㄱ ①", "p ㄱ 1"),
        ("  two\u3000 words\n", "two words"),
    ],
)
def test_b1_b2_examples(raw: str, folded: str) -> None:
    assert fold_base(raw) == folded


def test_b3_drops_latin_diacritics() -> None:
    assert strip_diacritics("Müller Dvořák Ångström") == "Muller Dvorak Angstrom"
    assert latin_words("Müller, Thomas!") == ["muller", "thomas"]


def test_punctuation_never_reaches_a_key() -> None:
    assert word_keys("crime & punishment: (2nd ed.)—vol_1") == [
        "crime",
        "punishment",
        "2nd",
        "ed",
        "vol1",
    ]


@given(any_text)
def test_fold_never_raises_and_is_idempotent(text: str) -> None:
    once = fold_base(text)
    assert fold_base(once) == once


@given(st.one_of(any_text, mixed))
def test_fold_case_width_is_idempotent_on_jamo_heavy_text(text: str) -> None:
    once = fold_case_width(text)
    assert fold_case_width(once) == once


@given(mixed, jamo, mixed)
def test_jamo_runs_survive_untouched(before: str, run: str, after: str) -> None:
    folded = fold_base(f"{before} {run} {after}")
    assert run in folded


@given(any_text)
def test_whitespace_collapse(text: str) -> None:
    collapsed = collapse_whitespace(text)
    assert "  " not in collapsed
    assert collapsed == collapsed.strip()
    assert collapsed.split() == text.split()


@given(any_text)
def test_script_runs_cover_the_text_in_order(text: str) -> None:
    runs = script_runs(text)
    assert "".join(run.text for run in runs) == text
    assert all(run.text for run in runs)
    assert [run.start for run in runs] == [
        sum(len(r.text) for r in runs[:i]) for i in range(len(runs))
    ]
    assert all(a.script is not b.script for a, b in itertools.pairwise(runs))


def test_script_runs_split_by_script() -> None:
    runs = script_runs("Python程序 第2版 ㄱ력사!")
    assert [(r.script, r.text) for r in runs] == [
        (Script.LATIN, "Python"),
        (Script.HAN, "程序"),
        (Script.SPACE, " "),
        (Script.HAN, "第"),
        (Script.DIGIT, "2"),
        (Script.HAN, "版"),
        (Script.SPACE, " "),
        (Script.JAMO, "ㄱ"),
        (Script.HANGUL, "력사"),
        (Script.OTHER, "!"),
    ]


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("libraries", "library"),
        ("books", "book"),
        ("boxes", "box"),
        ("churches", "church"),
        ("classes", "class"),
        ("houses", "house"),
        ("class", "class"),
        ("status", "status"),
        ("analysis", "analysis"),
        ("days", "day"),
        ("plays", "play"),
        ("bus", "bus"),
    ],
)
def test_light_stemmer(word: str, expected: str) -> None:
    assert stem(word) == expected


def test_possessive_is_dropped_before_stemming() -> None:
    assert latin_words("Children's books") == ["children", "books"]


@given(st.from_regex(re.compile(r"[a-z]{1,12}"), fullmatch=True))
def test_stem_is_idempotent_and_never_longer(word: str) -> None:
    once = stem(word)
    assert len(once) <= len(word)
    assert stem(once) == once
