"""The query parser: the syntax of docs/search.md, and totality (it never raises)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from shelfwise.search.query import Atom, parse


def atoms(q: str) -> list[tuple[tuple[Atom, ...], bool]]:
    return [(c.atoms, c.negated) for c in parse(q).clauses]


def test_words_are_anded() -> None:
    assert atoms("历史 研究") == [((Atom("历史"),), False), ((Atom("研究"),), False)]


def test_phrases_in_three_kinds_of_quotes() -> None:
    for q in ('"中国 历史"', "\u201c中国 历史\u201d", "\u300c中国 历史\u300d"):
        assert atoms(q) == [((Atom("中国 历史", phrase=True),), False)]


def test_unclosed_quote_runs_to_the_end() -> None:
    assert atoms('"war and') == [((Atom("war and", phrase=True),), False)]


def test_field_prefixes_and_aliases() -> None:
    parsed = parse('title:history author:"Thomas Muller" isbn:978-7-111 year:1990-1999 lang:ko')
    assert [a.field for c in parsed.clauses for a in c.atoms] == [
        "title",
        "author",
        "isbn",
        "year",
        "lang",
    ]
    assert parse("作者：鲁迅").clauses[0].atoms[0] == Atom("鲁迅", field="author")
    assert parse("subject: 역사").clauses[0].atoms[0] == Atom("역사", field="subject")


def test_unknown_field_is_plain_text() -> None:
    assert atoms("foo:bar") == [((Atom("foo:bar"),), False)]


def test_or_not_and_minus() -> None:
    parsed = parse("history OR 历史 NOT war -peace")
    assert parsed.clauses[0].atoms == (Atom("history"), Atom("历史"))
    assert [c.negated for c in parsed.clauses] == [False, True, True]


def test_prefix_star_and_tone_numbers() -> None:
    assert parse("pyth*").clauses[0].atoms[0] == Atom("pyth", prefix=True)
    parsed = parse("li4shi3")
    assert parsed.clauses[0].atoms[0].text == "lishi"
    assert parsed.notes


def test_isbn_typed_with_spaces_is_one_isbn() -> None:
    # 978-7-5322-3456-1 and its ISBN-10 form 7-5322-3456-8 (check digits computed by hand)
    assert atoms("978 7 5322 3456 1") == [((Atom("9787532234561", field="isbn"),), False)]
    assert atoms(" 7 5322 3456 8 ") == [((Atom("7532234568", field="isbn"),), False)]


def test_digits_with_a_wrong_check_digit_are_words_not_an_isbn() -> None:
    # One digit off: not an ISBN, so a reader looking for "978 7 5322 3456 8" gets the words.
    assert atoms("978 7 5322 3456 8") == [
        ((Atom("978"),), False),
        ((Atom("7"),), False),
        ((Atom("5322"),), False),
        ((Atom("3456"),), False),
        ((Atom("8"),), False),
    ]


def test_only_exclusions_is_empty() -> None:
    assert parse("-war").empty
    assert parse("").empty
    assert parse("   ").empty


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=80))
def test_parse_never_raises(q: str) -> None:
    parsed = parse(q)
    assert all(a.text for c in parsed.clauses for a in c.atoms)


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list('ab历史역사ㅇㅅ"「」“”:-*() ORNT title')), max_size=30)
)
def test_parse_never_raises_on_syntax_soup(q: str) -> None:
    parse(q)
