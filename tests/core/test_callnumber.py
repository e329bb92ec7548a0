"""Call-number sort keys: shelf order by plain string comparison."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelfwise.core.callnumber import CLC_MARKS, scheme_guess, sort_key
from shelfwise.marc.description import ClassScheme


def _shelved(numbers: list[str], scheme: ClassScheme | None = None) -> list[str]:
    return sorted(numbers, key=lambda n: sort_key(n, scheme))


@pytest.mark.parametrize(
    "ordered",
    [
        # Class digits are one decimal fraction: I247.5 files before I25.
        ["I247.5", "I247.5/123", "I247.5-53", "I247.51", "I247.57/1-2", "I248", "I25"],
        # Book numbers are integers; a copy suffix and a volume follow the bare number.
        ["TP311.13/9", "TP311.13/45", "TP311.13/45-2", "TP311.13/45:2", "TP311.13/123"],
        ["K825.6", "K825.6=74", "K825.61"],
        ["D693.09", "D693.09(31)", "D693.091"],
        ["F124/26", "F124/bnu4", "F1241"],
        ["T", "TP", "TP3", "TQ"],
    ],
)
def test_clc_shelf_order(ordered: list[str]) -> None:
    assert _shelved(list(reversed(ordered)), ClassScheme.CLC) == ordered


def test_ddc_kdc_and_lcc_shelf_order() -> None:
    ddc = ["005.133 P99 2013", "005.133 P100", "5.2", "823 ROW", "823.914 ROW", "823.92 A"]
    # Cutters are decimals (`P100` = .100 < `P99` = .99); years and volumes are integers.
    assert _shelved(ddc[::-1], ClassScheme.DDC) == [
        "005.133 P100",
        "005.133 P99 2013",
        "5.2",
        "823 ROW",
        "823.914 ROW",
        "823.92 A",
    ]
    kdc = ["813.6-김54ㅎ", "813.6-김6", "813.6-김54", "813.7-가1"]
    assert _shelved(kdc, ClassScheme.KDC) == [
        "813.6-김54",
        "813.6-김54ㅎ",
        "813.6-김6",
        "813.7-가1",
    ]
    lcc = ["QA76.73.P98 L88 2013", "QA76.73.P98 2013", "QA76.9.T48", "QA100.A1", "QA76.73.P98"]
    assert _shelved(lcc, ClassScheme.LCC) == [
        "QA76.73.P98",
        "QA76.73.P98 2013",
        "QA76.73.P98 L88 2013",
        "QA76.9.T48",
        "QA100.A1",
    ]


def test_segmentation_marks_and_full_width_forms_are_ignored() -> None:
    assert sort_key("823/.914", ClassScheme.DDC) == sort_key("823.914", ClassScheme.DDC)
    assert sort_key("823'.7", ClassScheme.DDC) == sort_key("823.7", ClassScheme.DDC)
    assert sort_key("Ｉ２４７．５／１２３") == sort_key("I247.5/123")
    assert sort_key("i247.5/123") == sort_key("I247.5/123")


@pytest.mark.parametrize(
    ("number", "scheme"),
    [
        ("I247.5/123", ClassScheme.CLC),
        ("TP311.13/45:2", ClassScheme.CLC),
        ("K825.6=74", ClassScheme.CLC),
        ("D693.09(31)", ClassScheme.CLC),
        ("O4", ClassScheme.CLC),
        ("823.914 ROW", ClassScheme.DDC),
        ("005.133 P99 2013", ClassScheme.DDC),
        ("813.6-김54ㅎ", ClassScheme.KDC),
        ("QA76.73.P98 L88 2013", ClassScheme.LCC),
        ("PR4034", ClassScheme.LCC),
        ("DVD 1234", None),
        ("", None),
    ],
)
def test_scheme_guess(number: str, scheme: ClassScheme | None) -> None:
    assert scheme_guess(number) is scheme


@given(st.text())
def test_key_is_total_and_deterministic(text: str) -> None:
    key = sort_key(text)
    assert isinstance(key, str)
    assert key == sort_key(text)
    for scheme in ClassScheme:
        assert isinstance(sort_key(text, scheme), str)


@given(st.text(alphabet="I247.5/-=():ABCDEFG0123456789 ", max_size=20))
def test_key_without_scheme_uses_the_guess(text: str) -> None:
    assert sort_key(text) == sort_key(text, scheme_guess(text))


# --- generated well-formed call numbers: key order == semantic order ----------

DIGITS = st.text(alphabet="0123456789", min_size=1, max_size=6)
CLC_LETTERS = st.sampled_from(["A", "B", "D", "F", "I", "K", "O", "TP", "TQ", "Z"])


def _dotted(digits: str) -> str:
    # CLC prints a point after every third digit: 24757 → 247.57
    groups = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return ".".join(groups)


@st.composite
def clc_numbers(draw: Any) -> tuple[tuple[Any, ...], str]:
    letters = draw(CLC_LETTERS)
    digits = draw(DIGITS)
    marks = draw(st.lists(st.tuples(st.integers(0, 4), DIGITS), max_size=2))
    book = draw(st.lists(st.integers(0, 999), max_size=1))
    volume = draw(st.lists(st.integers(1, 30), max_size=1)) if book else []
    text = letters + _dotted(digits)
    for rank, value in marks:
        mark = CLC_MARKS[rank]
        text += {"(": f"({value})", '"': f'"{value}"', "<": f"<{value}>"}.get(mark, mark + value)
    if book:
        text += f"/{book[0]}" + (f":{volume[0]}" if volume else "")
    semantic = (letters, digits, tuple(marks), tuple(book), tuple(volume))
    return semantic, text


@st.composite
def ddc_numbers(draw: Any) -> tuple[tuple[Any, ...], str]:
    whole = draw(st.integers(0, 999))
    fraction = draw(st.text(alphabet="0123456789", max_size=5))
    cutter = draw(st.text(alphabet="ABCPRZ", min_size=1, max_size=3))
    cutter_digits = draw(st.text(alphabet="0123456789", min_size=1, max_size=3))
    year = draw(st.lists(st.integers(1000, 2100), max_size=1))
    text = f"{whole:03d}" + (f".{fraction}" if fraction else "") + f" {cutter}{cutter_digits}"
    text += f" {year[0]}" if year else ""
    return (whole, fraction, cutter, cutter_digits, tuple(year)), text


@st.composite
def lcc_numbers(draw: Any) -> tuple[tuple[Any, ...], str]:
    letters = draw(st.sampled_from(["B", "H", "PR", "QA", "QH", "KFN"]))
    whole = draw(st.integers(1, 9999))
    fraction = draw(st.text(alphabet="0123456789", max_size=3))
    cutters = draw(
        st.lists(
            st.tuples(
                st.sampled_from("ABLPT"), st.text(alphabet="0123456789", min_size=1, max_size=3)
            ),
            min_size=1,
            max_size=2,
        )
    )
    year = draw(st.lists(st.integers(1800, 2030), max_size=1))
    text = f"{letters}{whole}" + (f".{fraction}" if fraction else "")
    text += "." + " ".join(f"{letter}{digits}" for letter, digits in cutters)
    text += f" {year[0]}" if year else ""
    return (letters, whole, fraction, tuple(cutters), tuple(year)), text


@pytest.mark.parametrize(
    ("strategy", "scheme"),
    [
        (clc_numbers(), ClassScheme.CLC),
        (ddc_numbers(), ClassScheme.DDC),
        (lcc_numbers(), ClassScheme.LCC),
    ],
)
def test_key_order_matches_semantic_order(strategy: Any, scheme: ClassScheme) -> None:
    @given(st.lists(strategy, min_size=2, max_size=12))
    def check(items: list[tuple[tuple[Any, ...], str]]) -> None:
        by_meaning = [text for _, text in sorted(items, key=lambda item: item[0])]
        by_key = sorted((text for _, text in items), key=lambda t: sort_key(t, scheme))
        keys_by_meaning = [sort_key(t, scheme) for t in by_meaning]
        # Ties in meaning may come out in any order; compare the key sequences.
        assert keys_by_meaning == [sort_key(t, scheme) for t in by_key]
        assert sorted(keys_by_meaning) == keys_by_meaning

    check()
