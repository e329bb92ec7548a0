"""Browsing title and author headings in reading order (SRU scan).

A heading is a title (or main author) as the sort key folds it: case, width and
accents folded, Chinese by pinyin, Korean in Hangul (가나다) order, Latin
alphabetically — the order of the title/author sort, so "History" and "history"
are one heading and 中国通史 files under *zhongguotongshi*.  The index keeps the key
of every record in a fast text field (``sort_title``, ``sort_author``: key,
``\\x01``, record id); browsing from a start term is a regular expression that
matches the keys at or after it (or before it), read in the field's order window by
window — the nearest keys first, in small windows — so a scan reads about as many
records as it shows, not the whole rest of the catalogue.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass

import tantivy
from tantivy import Query

from shelfwise.search.ordering import NO_HEADING, SORT_KEY_LENGTH
from shelfwise.search.textkeys import sort_key

FIELDS = {"title": ("sort_title", "t"), "author": ("sort_author", "a")}
_ANY = "(?s:.*)"
_TOP = 0x10FFFF
_PAGE_MIN = 64


@dataclass(frozen=True, slots=True)
class Heading:
    key: str  # the folded key headings are ordered and grouped by
    text: str  # as the first record of the heading writes it


def _char(code: int) -> str:
    return f"\\x{{{code:x}}}"


def _range(low: int, high: int) -> str:
    """A character class of the scalar values low..high (surrogates left out)."""
    spans = [(low, min(high, 0xD7FF)), (max(low, 0xE000), high)]
    inner = "".join(f"{_char(a)}-{_char(b)}" for a, b in spans if a <= b)
    return f"[{inner}]" if inner else ""


def _literal(text: str) -> str:
    return "".join(_char(ord(ch)) for ch in text)


def _chunks(low: int, high: int, *, descending: bool) -> Iterator[tuple[int, int]]:
    """low..high in spans that grow fourfold away from the start, so that the nearest
    keys are read from small windows and a far one costs only a few more queries."""
    size = 1
    if descending:
        while high >= low:
            yield max(low, high - size + 1), high
            high -= size
            size *= 4
    else:
        while low <= high:
            yield low, min(high, low + size - 1)
            low += size
            size *= 4


def windows_after(key: str) -> Iterator[str]:
    """Regular expressions for the index terms (``key\\x01id``) ≥ ``key``: disjoint, in
    ascending order, nearest first."""
    yield _literal(key) + _ANY
    for index in reversed(range(len(key))):
        for low, high in _chunks(ord(key[index]) + 1, _TOP, descending=False):
            window = _range(low, high)
            if window:
                yield _literal(key[:index]) + window + _ANY


def windows_before(key: str) -> Iterator[str]:
    """Regular expressions for the index terms < ``key``: disjoint, descending, nearest first."""
    for index in reversed(range(len(key))):
        for low, high in _chunks(1, ord(key[index]) - 1, descending=True):
            window = _range(low, high)
            if window:
                yield _literal(key[:index]) + window + _ANY


def _walk(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    kind: str,
    windows: Iterator[str],
    want: int,
    *,
    backwards: bool,
) -> list[Heading]:
    """The first ``want`` headings of the windows, in their order."""
    name, payload_key = FIELDS[kind]
    direction = tantivy.Order.Desc if backwards else tantivy.Order.Asc
    page = max(_PAGE_MIN, 4 * want)
    found: dict[str, tantivy.DocAddress] = {}
    for expression in windows:
        if len(found) >= want:
            break
        query = Query.regex_query(schema, name, expression)
        offset = 0
        while len(found) < want:
            hits = searcher.search(
                query, limit=page, offset=offset, count=False, order_by_field=name, order=direction
            ).hits
            for value, address in hits:
                key = str(value).rpartition("\x01")[0]
                if key != NO_HEADING and key not in found and len(found) < want:
                    found[key] = address
            if len(hits) < page:
                break
            offset += page
    out = []
    for key, address in found.items():
        payload = json.loads(bytes(searcher.doc(address).get_first("payload") or b"{}"))
        out.append(Heading(key, str(payload.get(payload_key) or key)))
    return out


def browse(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    kind: str,
    start: str,
    *,
    preceding: int,
    count: int,
) -> list[Heading]:
    """``preceding`` headings before ``start`` and ``count`` from it, in reading order."""
    key = sort_key(start, length=SORT_KEY_LENGTH)
    earlier = _walk(searcher, schema, kind, windows_before(key), preceding, backwards=True)
    later = _walk(searcher, schema, kind, windows_after(key), count, backwards=False)
    return [*reversed(earlier), *later]
