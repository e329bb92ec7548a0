"""The one staff search box: readers, records and copies from whatever was typed.

Each domain answers for what it owns: readers by card, identity card (its keyed hash),
name in any script or pinyin, phone and e-mail (``ReaderService.find``); records by
title, author or ISBN (the search index); copies by barcode or call number
(``CatalogueService.find_items``) with where each is now and its latest loans without
their readers (P1, P8). Readers a page lists are an audited read (P7), one row each.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.access.models import Principal
from shelfwise.catalogue.models import Item
from shelfwise.circulation.models import ItemStatus, Loan
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.search.models import RecordHit, SearchRequest
from shelfwise.web.pages import PageDep, WebDep, WebRoute
from shelfwise.web.staff.login import signed_in_staff
from shelfwise.web.staff.workplace import branch_names, titles

if TYPE_CHECKING:
    from shelfwise.services import Services

# What the list shows of each reader: the field names written to the audit log (P7).
LISTED_FIELDS = ("name", "card_number", "category", "status", "expires_on")
LIMIT = 10

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


@dataclass(frozen=True, slots=True)
class FoundCopy:
    item: Item
    title: str
    status: ItemStatus
    history: list[Loan]


@dataclass(frozen=True, slots=True)
class Found:
    readers: list[Reader]
    records: list[RecordHit]
    copies: list[FoundCopy]
    records_unavailable: bool = False


def find(services: Services, who: Principal, typed: str) -> Found:
    """Everything the search box finds for ``who`` (readers only with ``readers.read``)."""
    typed = typed.strip()[:200]
    if not typed:
        return Found([], [], [])
    readers = services.readers.find(typed, limit=LIMIT) if who.can("readers.read") else []
    services.access.audit_list(
        who, door="web", reader_ids=[r.id for r in readers], fields=LISTED_FIELDS
    )
    items = services.catalogue.find_items(typed, limit=LIMIT)
    names = titles(services, [i.record_id for i in items])
    copies = [
        FoundCopy(
            i,
            names[i.record_id],
            services.circulation.item_status(i.barcode),
            services.circulation.item_history(i.barcode) if len(items) == 1 else [],
        )
        for i in items
    ]
    request = SearchRequest(q=typed, size=LIMIT, group=False, facets=False)
    try:
        hits = [w.records[0] for w in services.search.search(request).works if w.records]
    except ShelfwiseError as exc:
        if exc.status != 503:
            raise
        return Found(readers, [], copies, records_unavailable=True)
    return Found(readers, hits, copies)


@router.get("/staff/search")
def search(page: PageDep, web: WebDep, q: Annotated[str, Query(max_length=200)] = "") -> Response:
    who = signed_in_staff(page)
    found = find(web.services, who, q)
    return web.render(
        page,
        "staff/search.html",
        who=who,
        q=q,
        found=found,
        names=branch_names(web.services, page),
        today=web.services.clock.today(),
    )


@router.get("/staff/")
def home_with_slash(page: PageDep, web: WebDep) -> Response:
    """The address the README prints: the staff home."""
    signed_in_staff(page)
    return web.redirect("/staff")
