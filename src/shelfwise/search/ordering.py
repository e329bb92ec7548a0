"""The order of hits: total, and the same for every page of a query.

Every order ends in the record id, so no two records ever tie and page 2 of a
query continues page 1 exactly, whatever the page size:

* a field sort (newest, title, author) and the order of a query of codes only
  (``lang:``, ``year:``, ``isbn:``, ``class:``, whose hits all score alike) are
  one fast field each whose value *is* the whole key (:func:`newest_key`,
  :func:`text_key`, :func:`tie_key`): Tantivy's top-k by that field is a prefix of
  the total order at any depth;
* relevance is (score, a copy on the shelf first, record id).  Popularity is a
  score weight Tantivy applies itself (``weight_by_field``), so Tantivy's top-k
  holds every record scoring above its last hit.  Records that *tie* with the
  last hit may lie beyond it, with lower ids; so only the hits that score above
  the cut are certain, and :func:`collect` reads deeper until the certain hits
  cover the page (at most ``FETCH_CEILING`` hits: beyond that, a tie group
  straddling the page boundary keeps Tantivy's own order among its members).

With grouping, a work's place is its best record's; the other records of the
works a page shows are fetched by work id (:func:`with_members`) when the ranked
hits did not hold every match, so a record is never lost to a page boundary.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import tantivy
from tantivy import Occur, Query

from shelfwise.search.models import Sort

RANK_DEPTH = 2000  # positions (records, or works when grouped) a query can be paged to
READ_WHOLE = 200  # a query matching no more records than this is read whole (works counted)
# Ties at the cut left the page uncertain: a query of at most this many matches is then read
# whole at once.  Each search scores every match anyway (the count), so one more round of
# deepening costs about what ranking a few thousand hits in Python does.
SETTLE_WHOLE = 4000
FETCH_CEILING = 10_000  # hits read at most to settle the order at a page boundary
POPULARITY_WEIGHT = 0.05  # score × (1 + 0.05 · log2(1 + loans))
ID_BITS = 40
SORT_KEY_LENGTH = 128  # characters of a title/author key: enough to tell headings apart
NO_HEADING = "\uffff"  # the key of a record without a main author: after every other key
_MAX_ID = (1 << ID_BITS) - 1


# --- the keys stored in the index (schema.document) -------------------------------------


def newest_key(year: int | None, record_id: int) -> int:
    """Descending: newest year first, then the lower record id; no year sorts last."""
    kept = min(max(year or 0, 0), 9999)
    return (kept << ID_BITS) | (_MAX_ID - (record_id & _MAX_ID))


def tie_key(available: bool, record_id: int) -> int:
    """Ascending: a record with a copy on the shelf first, then the lower record id."""
    return ((0 if available else 1) << ID_BITS) | (record_id & _MAX_ID)


def text_key(key: str, record_id: int) -> str:
    """Ascending title/author key, then the record id (``\\x01`` sorts below any key char)."""
    return f"{key}\x01{record_id:013d}"


def popularity_weight(loans: int) -> float:
    """Tantivy multiplies a score by ``log2(2 + w)``: this ``w`` makes that
    ``1 + POPULARITY_WEIGHT · log2(1 + loans)`` (0 loans: exactly 1)."""
    return float(2.0 * (1.0 + max(0, loans)) ** POPULARITY_WEIGHT - 2.0)


# --- orders ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Order:
    field: str | None  # None: by score, weighted by popularity
    descending: bool


BY_SCORE = Order(None, True)
CODES_ONLY = Order("tie", False)
BY_SORT = {
    Sort.NEWEST: Order("newest", True),
    Sort.TITLE: Order("sort_title", False),
    Sort.AUTHOR: Order("sort_author", False),
}


def reversed_order(order: Order) -> Order:
    """The same field the other way round (still total: the record id flips with it)."""
    return Order(order.field, not order.descending)


@dataclass(slots=True)  # not frozen: made per hit read, and a frozen init costs 4x
class Ranked:
    """A hit known from fast fields only: enough to order and group it, not to show it."""

    address: tantivy.DocAddress
    record_id: int
    score: float
    work_id: int
    available: bool
    key: tuple[Any, ...]  # ascending key of the total order


@dataclass(frozen=True, slots=True)
class Ranking:
    hits: list[Ranked]  # the first hits of the total order
    total: int  # records matching
    complete: bool  # ``hits`` holds every matching record


def _fast(searcher: tantivy.Searcher, name: str, addresses: list[tantivy.DocAddress]) -> list[int]:
    return [int(v or 0) for v in searcher.fast_field_values(name, addresses)]


def _ranked(
    searcher: tantivy.Searcher, hits: Sequence[tuple[Any, tantivy.DocAddress]], order: Order
) -> list[Ranked]:
    addresses = [address for _, address in hits]
    if not addresses:
        return []
    ids = _fast(searcher, "record_id", addresses)
    works = _fast(searcher, "work_id", addresses)
    ties = _fast(searcher, "tie", addresses)
    out: list[Ranked] = []
    for index, (value, address) in enumerate(hits):
        available = ties[index] >> ID_BITS == 0
        if order.field is None:
            score = float(value)
            key: tuple[Any, ...] = (-round(score, 4), ties[index])
        else:  # the field's value: ascending, or descending as ``order`` says
            score = 0.0
            key = (value,)
        out.append(Ranked(address, ids[index], score, works[index], available, key))
    if order.field is None:
        out.sort(key=lambda h: h.key)
    return out


def _search(
    searcher: tantivy.Searcher, query: Query, order: Order, limit: int
) -> tantivy.SearchResult:
    if order.field is None:
        return searcher.search(query, limit=limit, count=True, weight_by_field="boost")
    direction = tantivy.Order.Desc if order.descending else tantivy.Order.Asc
    return searcher.search(
        query, limit=limit, count=True, order_by_field=order.field, order=direction
    )


def count(searcher: tantivy.Searcher, query: Query) -> int:
    return _count(searcher.search(query, limit=1, count=True))


def _count(found: tantivy.SearchResult) -> int:
    # ``count`` exists at run time (search(count=True)); the stubs lack it.
    return int(getattr(found, "count", 0) or 0)


def collect(
    searcher: tantivy.Searcher,
    query: Query,
    order: Order,
    enough: Callable[[Sequence[Ranked]], bool],
    *,
    first: int,
) -> Ranking:
    """The first hits of ``query``'s total order, read deep enough that ``enough`` holds
    for the ones whose place is certain (or every hit, or ``FETCH_CEILING`` of them).

    ``first``: hits to read at first, sized by the caller to the page (and to the
    editions grouping folds into works).  Reading deeper is paid per hit, in Python
    (ranking) and in Tantivy (a text sort turns each hit into its string), so a
    query with many matches reads about its page, and more only while the hits tied
    at the cut leave the page uncertain (a query of at most ``SETTLE_WHOLE`` matches
    is then read whole at once).  A query matching at most ``READ_WHOLE`` records is
    read whole, so that its works are counted (the pages a reader is offered end
    where the works do).
    """
    limit = min(max(first, 1), FETCH_CEILING)
    while True:
        found = _search(searcher, query, order, limit)
        hits, total = found.hits, _count(found)
        complete = len(hits) < limit or len(hits) >= total
        if not complete and total <= READ_WHOLE:
            limit = total
            continue
        ranked = _ranked(searcher, hits, order)
        certain = ranked if complete or order.field is not None else _above_cut(ranked, hits)
        if complete or enough(certain):
            return Ranking(certain, total, complete)
        if limit >= FETCH_CEILING:
            return Ranking(ranked, total, False)
        if order.field is None and total <= SETTLE_WHOLE:
            limit = total
        else:
            limit = min(limit * (2 if order.field else 4), FETCH_CEILING)


def _above_cut(
    ranked: list[Ranked], hits: Sequence[tuple[Any, tantivy.DocAddress]]
) -> list[Ranked]:
    """The ranked hits scoring above the last one Tantivy returned: an unread record
    scores at most that, so none of them can come before these."""
    cut = round(float(hits[-1][0]), 4)
    certain = 0
    while certain < len(ranked) and -ranked[certain].key[0] > cut:
        certain += 1
    return ranked[:certain]


def distinct_works(hits: Sequence[Ranked]) -> int:
    return len({h.work_id for h in hits})


def with_members(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    query: Query,
    order: Order,
    works: Sequence[Sequence[Ranked]],
) -> list[list[Ranked]]:
    """``works`` with every record of theirs that matches ``query``, in the total order."""
    if not works:
        return []
    ids = [w[0].work_id for w in works]
    same_work = Query.const_score_query(Query.term_set_query(schema, "work_id", ids), 0.0)
    members = Query.boolean_query([(Occur.Must, query), (Occur.Must, same_work)])
    found = _search(searcher, members, order, FETCH_CEILING)
    by_work: dict[int, list[Ranked]] = {}
    backwards = order.field is not None and order.descending
    for hit in sorted(_ranked(searcher, found.hits, order), key=lambda h: h.key, reverse=backwards):
        by_work.setdefault(hit.work_id, []).append(hit)
    return [by_work.get(w[0].work_id) or list(w) for w in works]
