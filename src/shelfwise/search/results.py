"""From ordered hits to the result a reader sees: work grouping, the shown records, facets.

The order itself (relevance with popularity as a score weight and availability,
then record id, as the tie-breaker; or a sort) is :mod:`ordering`'s.  Grouping:
one document per record carries a work id (a fast field); the first records of
the order are grouped from fast fields alone, and only the records of the works
on the requested page are read from the document store.  Facet counts count
records.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from typing import Any

import tantivy

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
    return [_record(searcher, address, float(score)) for score, address in hits]


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
