"""ISBN codec: check digits, 10↔13 conversion and extraction from catalogued strings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shelfwise.core import isbn

BODY9 = st.text(alphabet="0123456789", min_size=9, max_size=9)
BODY12 = st.sampled_from(["978", "979"]).flatmap(
    lambda prefix: st.text(alphabet="0123456789", min_size=9, max_size=9).map(
        lambda rest: prefix + rest
    )
)


def _isbn10(body: str) -> str:
    return body + isbn.isbn10_check_digit(body)


def _hyphenate(code: str, cuts: list[int]) -> str:
    parts, last = [], 0
    for cut in sorted(set(c for c in cuts if 0 < c < len(code))):
        parts.append(code[last:cut])
        last = cut
    parts.append(code[last:])
    return "-".join(parts)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Real ISBNs from the dp2 BNU records and the marc4j Taiwanese records.
        ("7-5037-1744-0", "9787503717444"),
        ("7-5037-2790-X", "9787503727900"),
        ("978-7-04-024765-7", "9787040247657"),
        ("9576831695", "9789576831690"),
    ],
)
def test_known_isbns_convert_to_isbn13(text: str, expected: str) -> None:
    assert isbn.is_valid(text)
    assert isbn.to_isbn13(text) == expected


def test_check_digit_x() -> None:
    assert isbn.isbn10_check_digit("750372790") == "X"
    assert isbn.to_isbn10("9787503727900") == "750372790X"


@given(BODY9)
def test_isbn10_round_trip(body: str) -> None:
    code10 = _isbn10(body)
    code13 = isbn.to_isbn13(code10)
    assert code13 is not None
    assert code13.startswith("978")
    assert isbn.is_valid(code13)
    assert isbn.to_isbn10(code13) == code10


@given(BODY12)
def test_isbn13_round_trip(body: str) -> None:
    code13 = body + isbn.isbn13_check_digit(body)
    assert isbn.to_isbn13(code13) == code13
    code10 = isbn.to_isbn10(code13)
    if body.startswith("979"):
        assert code10 is None  # 979 ISBNs have no ISBN-10 form
    else:
        assert code10 is not None
        assert isbn.to_isbn13(code10) == code13


@given(BODY9, st.integers(min_value=1, max_value=10))
def test_wrong_check_digit_is_invalid(body: str, delta: int) -> None:
    digits = "0123456789X"
    good = isbn.isbn10_check_digit(body)
    bad = digits[(digits.index(good) + delta) % 11]
    assert not isbn.is_valid(body + bad)
    assert isbn.to_isbn13(body + bad) is None


@given(BODY12, st.integers(min_value=1, max_value=9))
def test_wrong_isbn13_check_digit_is_invalid(body: str, delta: int) -> None:
    bad = str((int(isbn.isbn13_check_digit(body)) + delta) % 10)
    assert not isbn.is_valid(body + bad)


def test_ean_outside_bookland_is_not_an_isbn() -> None:
    ean = "690123456789"
    assert not isbn.is_valid(ean + isbn.isbn13_check_digit(ean))


@given(BODY9, st.lists(st.integers(min_value=1, max_value=9), max_size=3))
def test_hyphenated_and_unhyphenated_agree(body: str, cuts: list[int]) -> None:
    code10 = _isbn10(body)
    hyphenated = _hyphenate(code10, cuts)
    assert isbn.to_isbn13(hyphenated) == isbn.to_isbn13(code10)
    assert isbn.looks_like_isbn(hyphenated)


@given(
    BODY9,
    st.sampled_from(["", "ISBN ", "ISBN:", "isbn "]),
    st.sampled_from(["", " (pbk.)", " (pbk.) : CNY48.00", " 48.00", " : 新臺幣120元"]),
)
def test_extract_from_catalogued_strings(body: str, before: str, after: str) -> None:
    code10 = _isbn10(body)
    printed = f"{code10[0]}-{code10[1:5]}-{code10[5:9]}-{code10[9]}"
    assert isbn.extract(before + printed + after) == isbn.to_isbn13(code10)


@pytest.mark.parametrize(
    "text",
    [
        "7-5322-3456-X (pbk.) : CNY48.00",  # wrong check digit (it should be 8)
        "CNY48.00",
        "",
        "pbk.",
    ],
)
def test_extract_finds_nothing(text: str) -> None:
    assert isbn.extract(text) is None


def test_extract_after_a_longer_number() -> None:
    # A neighbouring number must neither hide the ISBN nor lend it digits.
    assert isbn.extract("12345678901 7503717440") == "9787503717444"
    assert isbn.extract("9787503717444 48.00") == "9787503717444"


@given(st.text())
def test_extract_is_total(text: str) -> None:
    found = isbn.extract(text)
    assert found is None or (len(found) == 13 and isbn.is_valid(found))
