"""Acquisitions for staff (issue 18): a branch's funds at a glance (allocated, committed,
spent, available), ordering a wished-for book in two clicks (the wish's "order" link, then
"order" on a form whose vendor, fund and price start from acquisitions' proposal), and
receiving by scanning a copy's barcode, an order line's number or the book's ISBN —
shelved at once when processing is done, so the wisher's hold is placed and the copy
trapped for it (through the outbox). Every page names its branch; the services check the
branch again and decide everything."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.access.models import Principal
from shelfwise.acquisitions.models import Brief, LineDraft, yuan
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.workplace import allowed_branches, titles
from shelfwise.wishes.models import WallFilter, WishKind, WishStatus

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
PERMISSION = "catalogue.write"
Text = Annotated[str, Query(max_length=64)]
WishQuery = Annotated[int, Query(ge=1, le=2**62)]


def _branch(web: Web, page: Page, asked: str) -> tuple[Principal, str]:
    """The staff member, allowed acquisitions at the branch asked for (else their first)."""
    who = page.staff(PERMISSION)
    choices = allowed_branches(web.services, who, page.lang)
    code = asked or (choices[0][0] if choices else "")
    return page.staff(PERMISSION, code), code


def fen(text: str) -> int:
    """A price typed in yuan ("38", "38.5", "¥38.50") as fen; refused when it is not one."""
    try:
        amount = Decimal(text.replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise ShelfwiseError("acq.amount_invalid", value=text[:40]) from None
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ShelfwiseError("acq.amount_invalid", value=text[:40])
    return int(amount * 100)


@router.get("/staff/acquisitions")
def overview(
    page: PageDep, web: WebDep, branch: Text = "", ordered: Text = "", year: Text = ""
) -> Response:
    """The branch's funds of the year, and its accepted book wishes waiting for an order."""
    who, code = _branch(web, page, branch)
    acq = web.services.acquisitions
    chosen = int(year) if year.isdigit() and 2000 <= int(year) <= 2200 else None
    to_order = web.services.wishes.wall(
        WallFilter(branch=code, kind=WishKind.BOOK, status=WishStatus.ACCEPTED, limit=100)
    )
    return web.render(
        page,
        "staff/acquisitions.html",
        branch=code,
        branches=allowed_branches(web.services, who, page.lang),
        funds=acq.funds(chosen, branch=code),
        year=chosen or web.services.clock.today().year,
        to_order=to_order,
        ordered=ordered if ordered.isdigit() else "",
        waiting=len(acq.waiting_lines(code, actor=who)),
    )


def _order_form(
    web: Web, page: Page, who: Principal, wish_id: int, values: dict[str, str], **more: Any
) -> Response:
    wish = web.services.wishes.to_order(wish_id, actor=who)
    acq = web.services.acquisitions
    code = values["branch"]
    return web.render(
        page,
        "staff/acquisitions_order.html",
        status=more.pop("status", 200),
        wish=wish,
        values=values,
        vendors=acq.vendors(),
        funds=acq.funds(branch=code),
        branch_name=dict(allowed_branches(web.services, who, page.lang)).get(code, code),
        yuan=yuan,
        **more,
    )


@router.get("/staff/acquisitions/order")
def order_form(page: PageDep, web: WebDep, wish: WishQuery) -> Response:
    """The first click: the wish's order form, its vendor, fund and price proposed."""
    who = page.staff(PERMISSION)
    found = web.services.wishes.to_order(wish, actor=who)
    proposal = web.services.acquisitions.proposal(found.branch)
    who = page.staff(PERMISSION, proposal.branch)
    values = {
        "branch": proposal.branch,
        "vendor": proposal.vendor or "",
        "fund": proposal.fund or "",
        "price": yuan(proposal.price_cents).replace(",", ""),
        "quantity": "1",
    }
    return _order_form(web, page, who, wish, values, error="")


@router.post("/staff/acquisitions/order")
async def place_order(page: PageDep, web: WebDep) -> Response:
    """The second click: one line for the wish; its fund commits the price, or nothing is
    ordered and the form says why."""
    form = await page.request.form()
    values = {k: form_text(form, k) for k in ("branch", "vendor", "fund", "price", "quantity")}
    wish_text = form_text(form, "wish")
    who = page.staff(PERMISSION, values["branch"] or None)
    if not values["branch"] or not wish_text.isdigit():
        raise ShelfwiseError("acq.record_required")
    wish_id = int(wish_text)
    wishes = web.services.wishes
    try:
        wish = wishes.to_order(wish_id, actor=who)
        quantity = int(values["quantity"]) if values["quantity"].isdigit() else 0
        draft = LineDraft(
            fund=values["fund"],
            branch=values["branch"],
            price_cents=fen(values["price"]),
            quantity=quantity,
            record_id=wish.record_id,
            brief=Brief(wish.title, wish.author, wish.isbn),
            wish_id=wish.id,
        )
        order = web.services.acquisitions.order(values["vendor"], [draft], actor=who, by=who.name)
    except ShelfwiseError as exc:
        if exc.status in (403, 404):  # not this staff member's, or no such wish: the error page
            raise
        return _order_form(
            web, page, who, wish_id, values, error=page.error(exc), status=exc.status
        )
    return web.redirect(f"/staff/acquisitions?branch={values['branch']}&ordered={order.id}")


@router.get("/staff/acquisitions/receive")
def receiving(page: PageDep, web: WebDep, branch: Text = "", got: Text = "") -> Response:
    """The scanning page: what the branch waits for, and what it received but not shelved."""
    who, code = _branch(web, page, branch)
    return _receiving(web, page, who, code, got=got, error="", scanned="")


def _receiving(
    web: Web, page: Page, who: Principal, code: str, *, status: int = 200, **more: Any
) -> Response:
    acq = web.services.acquisitions
    waiting = acq.waiting_lines(code, actor=who)
    processing = acq.in_processing(code, actor=who)
    got = more.pop("got", "")
    item = None
    if got:
        try:
            item = web.services.catalogue.get_item(got)
        except ShelfwiseError:
            item = None
    named = titles(
        web.services,
        [w.record_id for w in waiting]
        + [p.record_id for p in processing]
        + ([item.record_id] if item else []),
    )
    return web.render(
        page,
        "staff/acquisitions_receive.html",
        status=status,
        branch=code,
        branches=allowed_branches(web.services, who, page.lang),
        waiting=waiting,
        processing=processing,
        item=item,
        titles=named,
        **more,
    )


@router.post("/staff/acquisitions/receive")
async def receive(page: PageDep, web: WebDep) -> Response:
    """One copy received (and shelved when "processing done" is ticked); a reload of the
    answer shows it again and receives nothing more (post, then redirect)."""
    form = await page.request.form()
    code, scanned = form_text(form, "branch"), form_text(form, "scanned")
    who = page.staff(PERMISSION, code or None)
    acq = web.services.acquisitions
    try:
        got = acq.receive(scanned, code, actor=who)
        if form_text(form, "shelve") == "1":
            acq.put_in_service(got.barcode, actor=who)
    except ShelfwiseError as exc:
        return _receiving(
            web, page, who, code, status=exc.status, got="", error=page.error(exc), scanned=scanned
        )
    return web.redirect(f"/staff/acquisitions/receive?branch={code}&got={got.barcode}")


@router.post("/staff/acquisitions/shelve")
async def shelve(page: PageDep, web: WebDep) -> Response:
    """A copy received earlier, processed now, goes on the shelf."""
    form = await page.request.form()
    code, barcode = form_text(form, "branch"), form_text(form, "barcode")
    who = page.staff(PERMISSION, code or None)
    try:
        web.services.acquisitions.put_in_service(barcode, actor=who)
    except ShelfwiseError as exc:
        return _receiving(
            web, page, who, code, status=exc.status, got="", error=page.error(exc), scanned=""
        )
    return web.redirect(f"/staff/acquisitions/receive?branch={code}&got={barcode}")
