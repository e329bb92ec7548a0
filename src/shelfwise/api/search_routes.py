"""Search endpoints: ``GET /search`` (results, facets, did-you-mean) and ``GET /suggest``.

Any query string gives a 200 with results or a ``message``; only malformed
parameters (a page that is not a number, a branch that does not exist, ``mine``
asked by nobody signed in) get the common error envelope.
"""

from __future__ import annotations

from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from shelfwise.api.auth import MaybeSignedIn
from shelfwise.api.deps import ServicesDep
from shelfwise.api.inputs import YearsQuery
from shelfwise.search.models import (
    FACETS,
    SHOWN_FACETS,
    Filters,
    SearchRequest,
    SearchResult,
    Sort,
)

router = APIRouter(tags=["search"])


class RecordHitOut(BaseModel):
    record_id: int
    title: str
    author: str | None
    publisher: str | None
    year: int | None
    languages: list[str]
    material_type: str
    isbns: list[str]
    branches: list[str]
    available_at: list[str]
    score: float


class WorkOut(BaseModel):
    work_key: str
    score: float
    records: list[RecordHitOut]


class FacetValueOut(BaseModel):
    value: str
    count: int


class SearchOut(BaseModel):
    q: str
    total_records: int
    page: int
    size: int
    sort: Sort
    works: list[WorkOut]
    facets: dict[str, list[FacetValueOut]]
    did_you_mean: str | None
    message: str | None


class SuggestionOut(BaseModel):
    text: str
    kind: str
    record_id: int


def _body(result: SearchResult) -> dict[str, Any]:
    """The answer as ``SearchOut`` documents it, built once from the service's values
    (no model in between: the answer is neither built nor validated twice)."""
    return {
        "q": result.q,
        "total_records": result.total_records,
        "page": result.page,
        "size": result.size,
        "sort": result.sort.value,
        "works": [
            {
                "work_key": w.work_key,
                "score": round(w.score, 4),
                "records": [
                    {
                        "record_id": r.record_id,
                        "title": r.title,
                        "author": r.author,
                        "publisher": r.publisher,
                        "year": r.year,
                        "languages": r.languages,
                        "material_type": r.material_type,
                        "isbns": r.isbns,
                        "branches": r.branches,
                        "available_at": r.available_at,
                        "score": round(r.score, 4),
                    }
                    for r in w.records
                ],
            }
            for w in result.works
        ],
        "facets": {
            name: [{"value": v.value, "count": v.count} for v in values]
            for name, values in result.facets.items()
        },
        "did_you_mean": result.did_you_mean,
        "message": result.message,
    }


class JSONBytes(JSONResponse):
    """A JSON answer serialised once, by orjson, from plain values (tuples are arrays)."""

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


_TRUE, _FALSE = frozenset({"true", "1", "yes", "on"}), frozenset({"false", "0", "no", "off", ""})


def facet_choice(values: list[str] | None) -> bool | tuple[str, ...]:
    """``facets=``: absent or true, the facets the results pages show; false (or empty),
    none; else the facets named, repeated or comma-separated (``facets=lang,year``)."""
    if not values:
        return True
    names = [name.strip() for value in values for name in value.split(",")]
    if len(names) == 1 and names[0].lower() in _TRUE:
        return True
    if all(name.lower() in _FALSE for name in names):
        return False
    return tuple(name for name in names if name)


FacetsQuery = Annotated[
    list[str] | None,
    Query(
        description="Facets to count: their names ("
        + ", ".join(FACETS)
        + "), repeated or comma-separated; `true` or absent: "
        + ", ".join(SHOWN_FACETS)
        + " (what the results pages show); `false`: none. Each facet is a pass over every match.",
    ),
]


@router.get(
    "/search",
    response_class=JSONBytes,
    response_model=None,
    responses={200: {"model": SearchOut, "description": "Results, facets and did-you-mean"}},
)
def search(
    services: ServicesDep,
    who: MaybeSignedIn,
    q: Annotated[str, Query(max_length=1000, description="Query (see docs/search.md)")] = "",
    lang: Annotated[list[str] | None, Query(description="Language facet: zh, ko, en")] = None,
    material: Annotated[list[str] | None, Query()] = None,
    decade: YearsQuery = None,
    year: YearsQuery = None,
    branch: Annotated[list[str] | None, Query(description="Branch code")] = None,
    subject: Annotated[list[str] | None, Query()] = None,
    available: Annotated[bool | None, Query(description="A copy on the shelf now")] = None,
    available_at: Annotated[
        list[str] | None,
        Query(
            max_length=16,
            description="A copy on the shelf now at this branch code; `mine`: the "
            "signed-in reader's home branch (or a staff account's one branch)",
        ),
    ] = None,
    sort: Sort = Sort.RELEVANCE,
    page: Annotated[int, Query(ge=1, le=100)] = 1,
    size: Annotated[int, Query(ge=1, le=100)] = 20,
    group: Annotated[bool, Query(description="Group editions into works")] = True,
    facets: FacetsQuery = None,
) -> JSONBytes:
    """Keyword search with facets; facet counts count records, hits are grouped into works."""
    filters = Filters(
        lang=tuple(lang or ()),
        material=tuple(material or ()),
        decade=tuple(decade or ()),
        year=tuple(year or ()),
        branch=tuple(branch or ()),
        subject=tuple(subject or ()),
        available=available,
        available_at=tuple(
            services.circulation.shelf_branch(code, actor=who) for code in available_at or ()
        ),
    )
    request = SearchRequest(
        q=q,
        filters=filters,
        sort=sort,
        page=page,
        size=size,
        group=group,
        facets=facet_choice(facets),
    )
    return JSONBytes(_body(services.search.search(request)))


@router.get("/suggest", response_model=list[SuggestionOut])
def suggest(
    services: ServicesDep,
    q: Annotated[str, Query(max_length=200)] = "",
    limit: Annotated[int, Query(ge=1, le=20)] = 8,
) -> list[SuggestionOut]:
    """Autocomplete on titles and authors (pinyin, initials, jamo and 초성 too)."""
    return [
        SuggestionOut(text=s.text, kind=s.kind, record_id=s.record_id)
        for s in services.search.suggest(q, limit=limit)
    ]
