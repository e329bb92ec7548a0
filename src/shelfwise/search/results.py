"""From ordered hits to the result a reader sees: work grouping, the shown records, facets.

The order itself (relevance with popularity as a score weight and availability,
then record id, as the tie-breaker; or a sort) is :mod:`ordering`'s.  Grouping:
one document per record carries a work id (a fast field); the first records of
the order are grouped from fast fields alone, and only the records of the works
on the requested page are read from the document store.  Facet counts count
records.

Both the shown records and the facet counts are kept per index generation
(:mod:`caches`): a record's displayed fields and a query's facet counts change
only with a commit, while the same page, the next page of a query, or a query
refined by a filter is asked again and again.  A facet is a pass over every
match, so only the facets asked for are counted.
"""

from __future__ import annotations

import json
from collections.abc import Hashable, Mapping, Sequence
from typing import Any

import tantivy

from shelfwise.search.caches import FACET_ENTRIES, RECORD_ENTRIES, GenerationCache
from shelfwise.search.models import FacetValue, RecordHit, WorkHit
from shelfwise.search.ordering import Ranked

FACET_SIZES = {
    "lang": 10,
    "material": 10,
    "decade": 20,
    "year": 30,
    "branch": 40,
    "available": 2,
    "subject": 15,
}


def group(hits: Sequence[Ranked], *, enabled: bool) -> list[list[Ranked]]:
    """Works in rank order, each its records best first (one record per work if not ``enabled``)."""
    if not enabled:
        return [[h] for h in hits]
    works: dict[int, list[Ranked]] = {}
    for hit in hits:
        works.setdefault(hit.work_id, []).append(hit)
    return list(works.values())


# A record as shown, without its record id and score (those come with each hit)
_Shown = tuple[
    str, str | None, str | None, int | None, tuple[str, ...], str, tuple[str, ...],
    tuple[str, ...], tuple[str, ...], str, str | None,
]  # fmt: skip


class RecordReader:
    """The stored records of the works a page shows (and only those), kept per generation."""

    def __init__(self, capacity: int = RECORD_ENTRIES) -> None:
        self.cache: GenerationCache[int, _Shown] = GenerationCache(capacity)

    def works(
        self, searcher: tantivy.Searcher, generation: int, works: Sequence[Sequence[Ranked]]
    ) -> list[WorkHit]:
        out: list[WorkHit] = []
        for members in works:
            records = tuple(self._record(searcher, generation, h) for h in members)
            out.append(WorkHit(f"{members[0].work_id:016x}", members[0].score, records))
        return out

    def _record(self, searcher: tantivy.Searcher, generation: int, hit: Ranked) -> RecordHit:
        shown = self.cache.get(generation, hit.record_id)
        if shown is None:
            shown = _shown(searcher.doc(hit.address), hit.record_id)
            self.cache.put(generation, hit.record_id, shown)
        return RecordHit(hit.record_id, hit.score, *shown)


def _shown(doc: tantivy.Document, record_id: int) -> _Shown:
    payload: dict[str, Any] = json.loads(bytes(doc.get_first("payload") or b"{}"))
    return (
        str(payload.get("t") or ""),
        payload.get("a"),
        payload.get("p"),
        payload.get("y"),
        tuple(payload.get("l") or ()),
        str(payload.get("m") or "book"),
        tuple(payload.get("i") or ()),
        tuple(payload.get("b") or ()),
        tuple(payload.get("v") or ()),
        str(payload.get("w") or record_id),
        payload.get("c"),
    )


def _record(searcher: tantivy.Searcher, address: tantivy.DocAddress, score: float) -> RecordHit:
    doc = searcher.doc(address)
    record_id = int(doc.get_first("record_id") or 0)
    return RecordHit(record_id, score, *_shown(doc, record_id))


def load_hits(
    searcher: tantivy.Searcher, hits: Sequence[tuple[Any, tantivy.DocAddress]]
) -> list[RecordHit]:
    """Stored records of ``hits`` in the given order (autocomplete: a handful of hits)."""
    return [_record(searcher, address, float(score)) for score, address in hits]


Facets = dict[str, tuple[FacetValue, ...]]


class FacetCounter:
    """Facet counts of a query, counted once per generation for each facet asked."""

    def __init__(self, capacity: int = FACET_ENTRIES) -> None:
        self.cache: GenerationCache[tuple[Hashable, str], tuple[FacetValue, ...]] = GenerationCache(
            capacity
        )

    def counts(
        self,
        searcher: tantivy.Searcher,
        generation: int,
        key: Hashable,
        query: tantivy.Query,
        names: Sequence[str],
    ) -> Facets:
        """The ``names`` facets of ``query``; ``key`` says which query it is (the
        same key, the same query, as long as the generation lasts)."""
        out: Facets = {}
        missing = []
        for name in names:
            values = self.cache.get(generation, (key, name))
            if values is None:
                missing.append(name)
            else:
                out[name] = values
        if missing:
            counted = read_facets(searcher.aggregate(query, facet_spec(missing)), missing)
            for name, values in counted.items():
                self.cache.put(generation, (key, name), values)
            out |= counted
        return {name: out[name] for name in names}


def facet_spec(names: Sequence[str]) -> dict[str, Any]:
    return {name: {"terms": {"field": name, "size": FACET_SIZES[name]}} for name in names}


def read_facets(raw: Mapping[str, Any], names: Sequence[str]) -> Facets:
    out: Facets = {}
    for name in names:
        buckets = (raw.get(name) or {}).get("buckets") or []
        values = [
            FacetValue(_key(b.get("key")), int(b.get("doc_count", 0)))
            for b in buckets
            if b.get("doc_count")
        ]
        if name in ("decade", "year"):
            values.sort(key=lambda v: v.value, reverse=True)
        out[name] = tuple(values)
    return out


def _key(key: Any) -> str:
    if isinstance(key, float) and key.is_integer():
        return str(int(key))
    return str(key)
