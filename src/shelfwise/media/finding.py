"""What a reader's search finds a digital object by: the keys of its name, captions and alt
texts, made with the catalogue's analysis (pinyin, initials, Korean spellings, stems), and
the keys a query looks up among them. Used by the service on every write of an object's
texts and by migration 0027 for the objects already stored.

A key is ``<stream>:<token>`` cut to :data:`KEY_LENGTH`. A query's key in a term stream must
equal a stored key, one in a prefix stream must begin one: the same rule as
:func:`shelfwise.text.query.first_match`, so an index lookup finds what reading every text
and matching it in Python found. (Cutting both sides to the same length can only add a
match between two tokens of more than 90 characters that share their first 90.)
"""

from __future__ import annotations

from collections.abc import Iterable

from shelfwise.text.analysis import analyze_field
from shelfwise.text.query import analyze_query
from shelfwise.text.streams import CASCADE, STREAM_SPECS, FieldKind, MatchMode

KEY_LENGTH = 96
VALUE_LENGTH = 2000  # of one caption or alt text analysed (a caption is not a transcript)


def search_keys(values: Iterable[str]) -> set[str]:
    """Every key of an object whose name, captions and alt texts are ``values``."""
    keys: set[str] = set()
    for value in values:
        if not value.strip():
            continue
        field = analyze_field(value[:VALUE_LENGTH], kind=FieldKind.TITLE, language=None)
        for stream in CASCADE:
            keys.update(_key(stream.value, token) for token in field.tokens(stream))
    return keys


def query_keys(q: str) -> tuple[list[str], list[str]]:
    """(keys to find equal, keys to find as prefixes) for a reader's query; both empty
    when the query has nothing to look up."""
    query = analyze_query(q)
    exact: list[str] = []
    prefixes: list[str] = []
    for stream in CASCADE:
        wanted = exact if STREAM_SPECS[stream].mode is MatchMode.TERM else prefixes
        wanted.extend(_key(stream.value, k) for k in query.keys(stream))
    return list(dict.fromkeys(exact)), list(dict.fromkeys(prefixes))


def _key(stream: str, token: str) -> str:
    return f"{stream}:{token}"[:KEY_LENGTH]
