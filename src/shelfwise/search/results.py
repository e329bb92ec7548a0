"""From Tantivy hits to the result a reader sees: re-ranking, work grouping, facets.

Ranking: BM25 with field and stream boosts (the query), an exact-title bonus
(the query), then here: popularity (loans, when a provider gives them) as a
gentle multiplier and availability now as the tie-breaker.  Grouping: one
document per record carries a work id (a fast field); the top ``grouped_over``
records are ranked and grouped from fast fields alone, and only the records of
the works on the requested page are read from the document store.  Facet counts
count records.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import tantivy

from shelfwise.search.models import FacetValue, RecordHit, WorkHit

POPULARITY_WEIGHT = 0.05
FACET_SIZES = {
    "lang": 10,
    "material": 10,
    "decade": 20,
    "year": 30,
    "branch": 40,
    "available": 2,
    "subject": 15,
}


@dataclass(frozen=True, slots=True)
class Ranked:
    """A hit known from fast fields only: enough to rank and group it, not to show it."""

    address: tantivy.DocAddress
    record_id: int
    score: float
    work_id: int
    available: bool


def _fast(searcher: tantivy.Searcher, name: str, addresses: list[tantivy.DocAddress]) -> list[int]:
    return [int(v or 0) for v in searcher.fast_field_values(name, addresses)]


def rank(
    searcher: tantivy.Searcher, hits: Sequence[tuple[Any, tantivy.DocAddress]], *, rerank: bool
) -> list[Ranked]:
    """Scores with popularity applied, from fast fields (no stored document is read).

    ``rerank``: relevance order; equal scores put a record with a copy on the
    shelf first, then the lower id.  Otherwise the index's (sort field) order stays.
    """
    addresses = [address for _, address in hits]
    if not addresses:
        return []
    ids = _fast(searcher, "record_id", addresses)
    works = _fast(searcher, "work_id", addresses)
    loans = _fast(searcher, "popularity", addresses)
    on_shelf = _fast(searcher, "avail_n", addresses)
    out: list[Ranked] = []
    for index, (score, address) in enumerate(hits):
        relevance = float(score) if isinstance(score, float) else 0.0
        relevance *= 1.0 + POPULARITY_WEIGHT * math.log2(1.0 + loans[index])
        out.append(Ranked(address, ids[index], relevance, works[index], on_shelf[index] > 0))
    if rerank:
        out.sort(key=lambda h: (-round(h.score, 4), not h.available, h.record_id))
    return out


def group(hits: Sequence[Ranked], *, enabled: bool) -> list[list[Ranked]]:
    """Works in rank order, each its records best first (one record per work if not ``enabled``)."""
    if not enabled:
        return [[h] for h in hits]
    works: dict[int, list[Ranked]] = {}
    for hit in hits:
        works.setdefault(hit.work_id, []).append(hit)
    return list(works.values())


def load_works(searcher: tantivy.Searcher, works: Sequence[Sequence[Ranked]]) -> list[WorkHit]:
    """Read the stored records of the works a page shows (and only those)."""
    out: list[WorkHit] = []
    for members in works:
        records = tuple(_record(searcher, h.address, h.score) for h in members)
        out.append(WorkHit(f"{members[0].work_id:016x}", members[0].score, records))
    return out


def _record(searcher: tantivy.Searcher, address: tantivy.DocAddress, score: float) -> RecordHit:
    doc = searcher.doc(address)
    record_id = int(doc.get_first("record_id") or 0)
    payload: dict[str, Any] = json.loads(bytes(doc.get_first("payload") or b"{}"))
    return RecordHit(
        record_id=record_id,
        score=score,
        title=str(payload.get("t") or ""),
        author=payload.get("a"),
        publisher=payload.get("p"),
        year=payload.get("y"),
        languages=tuple(payload.get("l") or ()),
        material_type=str(payload.get("m") or "book"),
        isbns=tuple(payload.get("i") or ()),
        branches=tuple(payload.get("b") or ()),
        available_at=tuple(payload.get("v") or ()),
        work_key=str(payload.get("w") or record_id),
    )


def load_hits(
    searcher: tantivy.Searcher, hits: Sequence[tuple[Any, tantivy.DocAddress]]
) -> list[RecordHit]:
    """Stored records of ``hits`` in the given order (autocomplete: a handful of hits)."""
    return [_record(searcher, h.address, h.score) for h in rank(searcher, hits, rerank=False)]


def facet_spec() -> dict[str, Any]:
    return {name: {"terms": {"field": name, "size": size}} for name, size in FACET_SIZES.items()}


def read_facets(raw: Mapping[str, Any]) -> dict[str, tuple[FacetValue, ...]]:
    out: dict[str, tuple[FacetValue, ...]] = {}
    for name in FACET_SIZES:
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
