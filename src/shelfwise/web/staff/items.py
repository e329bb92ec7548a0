"""Copies in the staff client (``catalogue.write``, issue 20): edit one (call number, type,
branch and location, status), bulk edit a selection (ticked on a record's page, or a
cart scanned into the bulk page) and print spine labels for them. The rules are the
catalogue's (catalogue/holdings.py); this door translates forms and answers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from shelfwise.catalogue.holdings import BULK_MAX
from shelfwise.catalogue.models import (
    ITEM_TYPES,
    LIFECYCLE_TRANSITIONS,
    Item,
    ItemChange,
    Lifecycle,
)
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
Barcode = Annotated[str, Path(min_length=1, max_length=64)]
_SCANNED = re.compile(r"[\s,;]+")
_LABEL_BREAK = re.compile(r"(?<=[/ ])")  # a call number breaks after its slash or spaces


@dataclass(frozen=True, slots=True)
class Place:
    """A branch, or a location at one, as the pages offer them (value ``BR/LOC``)."""

    value: str
    branch: str
    label: str


def places(web: Web, page: Page) -> list[tuple[str, list[Place]]]:
    """Each branch's name with the places a copy can be put there (the branch itself, no
    location, first)."""
    catalogue = web.services.catalogue
    locations = catalogue.list_locations()
    out = []
    for b in catalogue.list_branches():
        name = branch_name(b, page.lang)
        here = [Place(f"{b.code}/", b.code, page.t("staff.items.no_location", branch=name))]
        here += [
            Place(f"{b.code}/{loc.code}", b.code, loc.name)
            for loc in locations
            if loc.branch_id == b.id
        ]
        out.append((name, here))
    return out


def _where(form: FormData, name: str) -> tuple[str | None, str | None]:
    value = form_text(form, name)
    if not value:
        return None, None
    branch, _, location = value.partition("/")
    return branch, location


def _scanned(form: FormData) -> list[str]:
    ticked = [b for b in form.getlist("barcode") if isinstance(b, str)]
    return ticked + [b for b in _SCANNED.split(form_text(form, "barcodes")) if b]


def item_page(
    web: Web, page: Page, item: Item, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    page.staff("catalogue.write")
    catalogue = web.services.catalogue
    location = next((loc for loc in catalogue.list_locations() if loc.id == item.location_id), None)
    branch = next(b for b in catalogue.list_branches() if b.id == item.home_branch_id)
    return web.render(
        page,
        "staff/item.html",
        status=status,
        item=item,
        record=catalogue.get_record(item.record_id),
        where=f"{branch.code}/{location.code if location else ''}",
        places=places(web, page),
        statuses=[item.lifecycle, *sorted(LIFECYCLE_TRANSITIONS[item.lifecycle])],
        item_types=_types(item.item_type),
        notice=notice,
        error=error,
    )


def _types(current: str = "") -> list[str]:
    return [*ITEM_TYPES, *([current] if current and current not in ITEM_TYPES else [])]


@router.post("/staff/catalogue/items/bulk")
async def bulk_edit(page: PageDep, web: WebDep) -> Response:
    page.staff("catalogue.write")
    form = await page.request.form()
    branch, location = _where(form, "where")
    status = form_text(form, "lifecycle")
    change = ItemChange(
        branch_code=branch,
        location_code=location,
        lifecycle=Lifecycle(status) if status in set(Lifecycle) else None,
        item_type=form_text(form, "item_type") or None,
    )
    back = form_text(form, "back")
    back = back if re.fullmatch(r"/staff/catalogue/records/\d{1,19}", back) else ""
    try:
        outcome = web.services.catalogue.bulk_update(_scanned(form), change)
    except ShelfwiseError as exc:
        return web.render(
            page,
            "staff/items_bulk.html",
            status=exc.status,
            places=places(web, page),
            statuses=list(Lifecycle),
            item_types=_types(),
            outcome=None,
            back=back,
            error=page.error(exc),
        )
    refused = [
        (b, page.error(ShelfwiseError(code, **params))) for b, code, params in outcome.refused
    ]
    return web.render(
        page,
        "staff/items_bulk.html",
        status=200 if outcome.changed else 422,
        places=places(web, page),
        statuses=list(Lifecycle),
        item_types=_types(),
        outcome=outcome,
        refused=refused,
        back=back,
    )


@router.get("/staff/catalogue/items/{barcode}")
def item(barcode: Barcode, page: PageDep, web: WebDep, done: str = "") -> Response:
    page.staff("catalogue.write")
    notice = page.t("staff.items.saved") if done == "saved" else ""
    return item_page(web, page, web.services.catalogue.get_item(barcode), notice=notice)


@router.post("/staff/catalogue/items/{barcode}")
async def edit_item(barcode: Barcode, page: PageDep, web: WebDep) -> Response:
    page.staff("catalogue.write")
    catalogue = web.services.catalogue
    form = await page.request.form()
    current = catalogue.get_item(barcode)
    branch, location = _where(form, "where")
    status = form_text(form, "lifecycle")
    version = form_text(form, "version")
    try:
        catalogue.update_item(
            barcode,
            call_number=form_text(form, "call_number"),
            item_type=form_text(form, "item_type") or current.item_type,
            branch_code=branch or "",
            location_code=location or "",
            lifecycle=Lifecycle(status) if status in set(Lifecycle) else current.lifecycle,
            expected_version=int(version) if version.isdigit() else 0,
        )
    except ShelfwiseError as exc:
        return item_page(web, page, current, error=page.error(exc), status=exc.status)
    return web.redirect(f"/staff/catalogue/items/{barcode}?done=saved")


@router.get("/staff/catalogue/items")
def bulk_page(page: PageDep, web: WebDep) -> Response:
    page.staff("catalogue.write")
    return web.render(
        page,
        "staff/items_bulk.html",
        places=places(web, page),
        statuses=list(Lifecycle),
        item_types=_types(),
        outcome=None,
        back="",
    )


@router.get("/staff/catalogue/labels")
def labels(
    page: PageDep,
    web: WebDep,
    barcode: Annotated[list[str] | None, Query()] = None,
    barcodes: str = "",
) -> Response:
    """Spine labels to print: each copy's call number broken where it breaks on a spine."""
    page.staff("catalogue.write")
    catalogue = web.services.catalogue
    wanted = list(dict.fromkeys([*(barcode or []), *_SCANNED.split(barcodes)]))[:BULK_MAX]
    found: list[tuple[Item, list[str], str]] = []
    missing: list[str] = []
    names = {b.id: branch_name(b, page.lang) for b in catalogue.list_branches()}
    for code in (w.strip() for w in wanted if w.strip()):
        try:
            copy = catalogue.get_item(code)
        except ShelfwiseError:
            missing.append(code)
            continue
        lines = [p.strip() for p in _LABEL_BREAK.split(copy.call_number) if p.strip()]
        found.append((copy, lines, names.get(copy.home_branch_id, "")))
    return web.render(page, "staff/labels.html", labels=found, missing=missing)
