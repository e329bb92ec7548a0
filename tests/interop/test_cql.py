"""CQL: a table of queries, from the simple to the pathological, with the expected tree
(canonical text) or SRU diagnostic; the parser is total; the mapping onto the search."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shelfwise.interop.cql import CqlQuery, Diagnostic, parse, to_text
from shelfwise.interop.cql_search import Plan, plan
from shelfwise.search.models import Sort

# (query, canonical tree text) or (query, diagnostic number)
CASES: list[tuple[str, str | int]] = [
    # bare terms
    ("cat", '"cat"'),
    ('"cat"', '"cat"'),
    ('"the cat"', '"the cat"'),
    ("历史", '"历史"'),
    ("역사", '"역사"'),
    ("cat*", '"cat*"'),
    ('"a \\"quoted\\" word"', '"a \\"quoted\\" word"'),
    ('""', '""'),
    ("and", '"and"'),
    ("sortby", '"sortby"'),
    ("9787101670509", '"9787101670509"'),
    ("dc.title", '"dc.title"'),
    # index relation term
    ("dc.title = cat", '(dc.title = "cat")'),
    ("dc.title=cat", '(dc.title = "cat")'),
    ('dc.title = "the cat"', '(dc.title = "the cat")'),
    ("dc.title == cat", '(dc.title == "cat")'),
    ("dc.title <> cat", '(dc.title <> "cat")'),
    ("dc.date < 2000", '(dc.date < "2000")'),
    ("dc.date > 2000", '(dc.date > "2000")'),
    ("dc.date <= 2000", '(dc.date <= "2000")'),
    ("dc.date >= 2000", '(dc.date >= "2000")'),
    ("dc.date<=2000", '(dc.date <= "2000")'),
    ('dc.title all "a b"', '(dc.title all "a b")'),
    ('dc.title any "a b"', '(dc.title any "a b")'),
    ('dc.title adj "a b"', '(dc.title adj "a b")'),
    ('dc.date within "1990 1999"', '(dc.date within "1990 1999")'),
    ("dc.title ALL cat", '(dc.title all "cat")'),
    ("title = cat", '(title = "cat")'),
    ("ti=历史", '(ti = "历史")'),
    ("dc.title encloses x", '(dc.title encloses "x")'),
    ("rec.id = 12", '(rec.id = "12")'),
    ("bath.isbn = 9787101670509", '(bath.isbn = "9787101670509")'),
    # relation modifiers
    ("dc.title =/relevant cat", '(dc.title =/relevant "cat")'),
    ("dc.title any/relevant/stem cat", '(dc.title any/relevant/stem "cat")'),
    ("dc.title =/locale=zh cat", '(dc.title =/locale="zh" "cat")'),
    ("dc.title =/ Relevant cat", '(dc.title =/relevant "cat")'),
    ("dc.title =/distance<3 cat", '(dc.title =/distance<"3" "cat")'),
    # booleans: left-associative, equal precedence
    ("a and b", '("a" and "b")'),
    ("a AND b", '("a" and "b")'),
    ("a or b", '("a" or "b")'),
    ("a not b", '("a" not "b")'),
    ("a prox b", '("a" prox "b")'),
    ("a and b or c", '(("a" and "b") or "c")'),
    ("a or b and c", '(("a" or "b") and "c")'),
    ("a and (b or c)", '("a" and ("b" or "c"))'),
    ("(a and b) or (c and d)", '(("a" and "b") or ("c" and "d"))'),
    ("((a))", '"a"'),
    ("(((dc.title = a)))", '(dc.title = "a")'),
    ("a and/rel.combine=sum b", '("a" and/rel.combine="sum" "b")'),
    ("a prox/unit=word/distance>1 b", '("a" prox/unit="word"/distance>"1" "b")'),
    ('dc.title = a and dc.creator = "b c"', '((dc.title = "a") and (dc.creator = "b c"))'),
    ('"and" and "or"', '("and" and "or")'),
    ("a and and", '("a" and "and")'),
    ("a or sortby", '("a" or "sortby")'),
    # prefix assignments
    (
        '> dc = "info:srw/cql-context-set/1/dc-v1.1" dc.title = a',
        '>dc="info:srw/cql-context-set/1/dc-v1.1" (dc.title = "a")',
    ),
    (
        '> x = "info:srw/cql-context-set/1/dc-v1.1" x.title = a',
        '>x="info:srw/cql-context-set/1/dc-v1.1" (x.title = "a")',
    ),
    (
        '> "info:srw/cql-context-set/1/dc-v1.1" title = a',
        '>"info:srw/cql-context-set/1/dc-v1.1" (title = "a")',
    ),
    ('a and (> d = "u" d.x = b)', '("a" and >d="u" (d.x = "b"))'),
    ('> a = "u1" > b = "u2" a.x = 1', '>a="u1" >b="u2" (a.x = "1")'),
    # sortBy
    ("a sortBy dc.title", '"a" sortBy dc.title'),
    ("a sortby dc.date/sort.descending", '"a" sortBy dc.date/sort.descending'),
    ("a sortBy dc.title dc.date/sort.descending", '"a" sortBy dc.title dc.date/sort.descending'),
    (
        "a and b sortby dc.creator/sort.ascending/sort.ignoreCase",
        '("a" and "b") sortBy dc.creator/sort.ascending/sort.ignorecase',
    ),
    ("dc.title = a SORTBY dc.title", '(dc.title = "a") sortBy dc.title'),
    # syntax errors (10), parentheses (13), quotes (14), too many (38)
    ("", 10),
    ("   ", 10),
    ("a b", 10),
    ("a and", 10),
    ("and and", 10),
    ("dc.title =", 10),
    ("dc.title = = a", 10),
    ("= a", 10),
    ("a sortBy", 10),
    ("a / b", 10),
    ("/", 10),
    ("a =/ b", 10),
    ("a sortby dc.title = x", 10),
    ("> = a", 10),
    ("(a", 13),
    ("a)", 13),
    ("()", 13),
    ("(a and (b)", 13),
    ("a and ()", 13),
    ("(" * 200 + "a" + ")" * 200, 13),
    ('"a', 14),
    ('dc.title = "unterminated', 14),
    (" or ".join(["a"] * 300), 38),
    ("a" * 5000, 10),
]


@pytest.mark.parametrize(("query", "expected"), CASES, ids=[f"q{i}" for i in range(len(CASES))])
def test_cql_table(query: str, expected: str | int) -> None:
    result = parse(query)
    if isinstance(expected, int):
        assert isinstance(result, Diagnostic), (
            to_text(result) if isinstance(result, CqlQuery) else ""
        )
        assert result.code == expected
        assert result.uri == f"info:srw/diagnostic/1/{expected}"
    else:
        assert isinstance(result, CqlQuery), result
        assert to_text(result) == expected
        again = parse(to_text(result))  # the canonical text parses to the same tree
        assert isinstance(again, CqlQuery)
        assert to_text(again) == expected


def test_the_table_is_large() -> None:
    assert len(CASES) >= 80


_PIECES = st.sampled_from(
    ["a", "dc.title", "=", "==", "<", ">=", "any", "and", "or", "not", "prox", "(", ")",
     '"', "/", "sortBy", ">", "x=", '"q r"', "\\", "*", "历史", " ", "rec.id", "within"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), st.lists(_PIECES, max_size=25).map(" ".join)))
def test_parse_never_raises(text: str) -> None:
    result = parse(text)
    assert isinstance(result, CqlQuery | Diagnostic)
    if isinstance(result, CqlQuery):
        assert plan(result) is not None  # the mapping is total too


# --- CQL onto our search -----------------------------------------------------------------------

MAPPED: list[tuple[str, str | int]] = [
    ("history", "history"),
    ("cql.serverChoice = history", "history"),
    ("dc.title = history", "title:history"),
    ('dc.title = "local history"', 'title:"local history"'),  # CQL 1.2: = on words is adj
    ('dc.title all "local history"', "title:local title:history"),
    ('dc.title any "local history"', "title:local OR title:history"),
    ('dc.title adj "local history"', 'title:"local history"'),
    ('dc.title == "local history"', 'title:"local history"'),
    ("dc.creator = 鲁迅", "author:鲁迅"),
    ("dc.subject = 历史", "subject:历史"),
    ("dc.publisher = 中华书局", "publisher:中华书局"),
    ("bath.isbn = 978-7-101-67050-9", "isbn:978-7-101-67050-9"),
    ("dc.language = chi", "lang:chi"),
    ("dc.date = 2001", "year:2001"),
    ('dc.date within "1990 1999"', "year:1990-1999"),
    ("dc.date < 2000", "year:0-1999"),
    ("dc.date >= 2000", "year:2000-9999"),
    ("hist*", "hist*"),
    # masking: leading and inner * mask, escaped \* is a literal character (dropped)
    ("*story", "*story"),
    ("hi*ory", "hi*ory"),
    ("hi*or*", "hi*or*"),
    ("dc.title = *story", "title:*story"),
    ("hist\\*", "hist"),
    ('"hist\\*"', "hist"),
    ("wo\\*men", '"wo men"'),  # a literal * parts the words: = on them is their phrase
    ('dc.title any "a* b"', "title:a* OR title:b"),
    # phrases: = on several words, adj, ==, and negated
    ('history not "world war"', 'history -"world war"'),
    ('dc.title adj "world war"', 'title:"world war"'),
    ('cql.serverChoice = "world war" and peace', '"world war" peace'),
    ("a and b", "a b"),
    ("a or b", "a OR b"),
    ("a not b", "a -b"),
    ("a or (b and c)", "a OR b a OR c"),
    ("dc.title <> x and y", "-title:x y"),
    ('"or" and "not"', "or not"),
    ('> t = "info:srw/cql-context-set/1/dc-v1.1" t.title = x', "title:x"),
    ('> "info:srw/cql-context-set/1/dc-v1.1" title = x', "title:x"),
    ("cql.allRecords = 1", "*"),
    ("cql.allRecords = 1 and dc.title = x", "title:x"),
    ("cql.allRecords = 1 not dc.title = x", "* -title:x"),
    ("cql.allRecords = 1 or dc.title = x", "*"),
    ("foo.title = x", 15),
    ("dc.nonsense = x", 16),
    ("dc.title < x", 19),
    ("dc.date any 2000", 19),
    ("dc.title =/locale=zh x", 20),
    ('dc.title = ""', 27),
    ("hi?tory", 28),
    ("中*史", 28),
    ("dc.identifier = 978*", 28),
    ("*a", 29),
    ("^history", 31),
    ("history^", 31),
    ('dc.title any "^local history"', 31),
    ("his^tory", 32),
    ('dc.title = "local hist*"', 33),
    ('dc.title adj "lo*al history"', 33),
    ("dc.date = last", 36),
    ("a prox b", 37),
    ("a and/rel.combine=sum b", 46),
    ("a or not b", 10),
    ("a or (b not c)", 48),
    ("dc.title <> x", 48),
    ("rec.id = 1 and x", 48),
    ("a sortBy dc.title dc.date", 84),
    ("a sortBy dc.publisher", 88),
    ("a sortBy dc.title/sort.ascending/sort.descending", 90),
    ("a sortBy dc.title/sort.respectCase", 91),
    ("a sortBy dc.date/sort.missingHigh", 92),
    ("a sortBy dc.title/sort.locale=ko", 92),
    ("a sortBy dc.title/sort.frobnicate", 82),
]


@pytest.mark.parametrize(("query", "expected"), MAPPED, ids=[f"m{i}" for i in range(len(MAPPED))])
def test_cql_onto_search(query: str, expected: str | int) -> None:
    parsed = parse(query)
    result = plan(parsed) if isinstance(parsed, CqlQuery) else parsed
    if isinstance(expected, int):
        assert isinstance(result, Diagnostic), result
        assert result.code == expected
    else:
        assert isinstance(result, Plan), result
        assert result.q == expected


def test_sort_and_record_ids() -> None:
    for query, sort, reverse in (
        ("a sortBy dc.date/sort.descending", Sort.NEWEST, False),
        ("a sortBy dc.date", Sort.NEWEST, True),  # ascending: oldest first
        ("a sortBy dc.date/sort.ascending", Sort.NEWEST, True),
        ("a sortBy dc.title", Sort.TITLE, False),
        ("a sortBy dc.title/sort.descending/sort.ignoreCase", Sort.TITLE, True),
        ("a sortBy dc.creator/sort.missingLow", Sort.AUTHOR, False),
    ):
        parsed = parse(query)
        assert isinstance(parsed, CqlQuery)
        assert plan(parsed) == Plan("a", sort, None, reverse), query
    parsed = parse('rec.id = 3 or rec.id any "4 5"')
    assert isinstance(parsed, CqlQuery)
    assert plan(parsed) == Plan("", Sort.RELEVANCE, (3, 4, 5))


def test_cql_1_1_reads_equals_on_words_as_all_of_them() -> None:
    parsed = parse('dc.title = "local history"')
    assert isinstance(parsed, CqlQuery)
    assert plan(parsed, cql_version="1.1") == Plan("title:local title:history")
    assert plan(parsed, cql_version="1.2") == Plan('title:"local history"')
