"""From Tantivy hits to the result a reader sees: re-ranking, work grouping, facets.

Ranking: BM25 with field and stream boosts (the query), an exact-title bonus
(the query), then here: popularity (loans, when a provider gives them) as a
gentle multiplier and availability now as the tie-breaker.  Grouping: one
document per record carries a work key; the top ``grouped_over`` records are
grouped into works, best record first.  Facet counts count records.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
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


def load_hits(
    searcher: tantivy.Searcher, hits: Sequence[tuple[Any, tantivy.DocAddress]]
) -> list[RecordHit]:
    addresses = [address for _, address in hits]
    popularity = searcher.fast_field_values("popularity", addresses) if addresses else []
    out: list[RecordHit] = []
    for (score, address), loans in zip(hits, popularity, strict=True):
        doc = searcher.doc(address)
        record_id = int(doc.get_first("record_id") or 0)
        payload: dict[str, Any] = json.loads(bytes(doc.get_first("payload") or b"{}"))
        relevance = float(score) if isinstance(score, float) else 0.0
        relevance *= 1.0 + POPULARITY_WEIGHT * math.log2(1.0 + float(loans or 0))
        out.append(
            RecordHit(
                record_id=record_id,
                score=relevance,
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
        )
    return out


def rerank(hits: list[RecordHit]) -> list[RecordHit]:
    """Relevance order; equal scores: a record with a copy on the shelf first, then by id."""
    return sorted(hits, key=lambda h: (-round(h.score, 4), not h.available_at, h.record_id))


def group(hits: Sequence[RecordHit], *, enabled: bool) -> list[WorkHit]:
    if not enabled:
        return [WorkHit(h.work_key, h.score, (h,)) for h in hits]
    works: dict[str, list[RecordHit]] = {}
    for hit in hits:
        works.setdefault(hit.work_key, []).append(hit)
    return [WorkHit(key, found[0].score, tuple(found)) for key, found in works.items()]


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
