"""The wish wall and acquisitions over the API (issue 18): the wall, posting, supporting
and reporting (readers); moderation and answers (desk staff of the wish's branch);
funds, vendors, orders, receiving and invoices (cataloguing staff). Rules live in
``wishes`` and ``acquisitions``; these routes translate."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from shelfwise.access.models import Principal
from shelfwise.acquisitions.models import Brief, LineDraft, Order
from shelfwise.api.auth import signed_in, staff
from shelfwise.api.circulation_inputs import Code, Desk, IdPath
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.core.errors import ShelfwiseError
from shelfwise.wishes.models import WallFilter, WallOrder, Wish, WishDraft, WishKind, WishStatus

router = APIRouter(tags=["wishes and acquisitions"], responses=ERROR_RESPONSES)
Buyer = Annotated[Principal, Depends(staff("catalogue.write"))]
Admin = Annotated[Principal, Depends(staff("access.admin"))]


def _reader(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
    """A signed-in reader acting for themselves (staff post and support nothing here)."""
    if principal.kind != "reader":
        raise ShelfwiseError("access.not_yours")
    return principal


Reader = Annotated[Principal, Depends(_reader)]


class WishIn(BaseModel):
    kind: WishKind
    title: str = Field(max_length=2000)
    display_name: str = Field(max_length=400)
    author: str = Field(default="", max_length=2000)
    isbn: str = Field(default="", max_length=40)
    reason: str = Field(default="", max_length=10_000)
    branch: str | None = Field(default=None, max_length=64)
    pickup_branch: str | None = Field(default=None, max_length=64)
    notify: bool = True


class WishOut(BaseModel):
    id: int
    kind: str
    branch: str | None
    display_name: str
    title: str
    author: str
    isbn: str | None
    reason: str
    status: str
    moderation: str
    moderation_note: str | None
    answer: str | None
    record_id: int | None
    merged_into_id: int | None
    supporters: int
    created_at: datetime
    updated_at: datetime


class HistoryOut(BaseModel):
    kind: str
    from_status: str | None
    to_status: str | None
    note: str | None
    actor: str
    at: datetime


class SupportIn(BaseModel):
    notify: bool = False
    wants_hold: bool = False
    pickup_branch: str | None = Field(default=None, max_length=64)


class ReportIn(BaseModel):
    reason: str = Field(max_length=5000)


class MoveIn(BaseModel):
    status: WishStatus
    note: str = Field(default="", max_length=10_000)


class TextIn(BaseModel):
    text: str = Field(max_length=10_000)


class MergeIn(BaseModel):
    into: int = Field(ge=1, le=2**62)


class StatsOut(BaseModel):
    by_status: dict[str, int]
    by_kind: dict[str, int]
    supports: int


def _wish(w: Wish) -> WishOut:
    return WishOut(**{f: getattr(w, f) for f in WishOut.model_fields})


@router.get("/wishes", response_model=list[WishOut])
def wall(
    services: ServicesDep,
    branch: str | None = Query(None, max_length=64),
    kind: WishKind | None = None,
    status: WishStatus | None = None,
    order: WallOrder = WallOrder.NEWEST,
    limit: int = Query(50, ge=1, le=200),
    offset: int = Query(0, ge=0, le=100_000),
) -> list[WishOut]:
    """The public wall: shown wishes under their display names (never a reader)."""
    what = WallFilter(branch, kind, status, order, limit, offset)
    return [_wish(w) for w in services.wishes.wall(what)]


@router.post("/wishes", response_model=WishOut, status_code=201)
def post_wish(body: WishIn, who: Reader, services: ServicesDep) -> WishOut:
    """A reader's wish. A book the catalogue holds is refused with ``wishes.record_exists``
    and its ``record_id``: place a hold instead."""
    draft = WishDraft(**body.model_dump())
    return _wish(services.wishes.post(draft, actor=who))


@router.get("/wishes/stats", response_model=StatsOut)
def stats(services: ServicesDep) -> StatsOut:
    """Counts by status and kind, and supports in all: aggregates only."""
    return StatsOut(**asdict(services.wishes.stats()))


@router.get("/wishes/queue", response_model=list[WishOut])
def queue(who: Desk, services: ServicesDep, branch: str = Query(max_length=64)) -> list[WishOut]:
    """The moderation queue of a branch: pending wishes and often-reported ones."""
    return [_wish(w) for w in services.wishes.queue(actor=who, branch=branch)]


@router.get("/wishes/{wish_id}", response_model=WishOut)
def get_wish(wish_id: IdPath, services: ServicesDep) -> WishOut:
    return _wish(services.wishes.get(wish_id))


@router.get("/wishes/{wish_id}/history", response_model=list[HistoryOut])
def history(wish_id: IdPath, services: ServicesDep) -> list[HistoryOut]:
    """The public history: each change of status and each answer."""
    services.wishes.get(wish_id)  # a hidden or pending wish has no public history
    return [HistoryOut(**asdict(h)) for h in services.wishes.history(wish_id)]


@router.post("/wishes/{wish_id}/supports", response_model=WishOut, status_code=201)
def support(wish_id: IdPath, body: SupportIn, who: Reader, services: ServicesDep) -> WishOut:
    """ "Me too", once per reader."""
    return _wish(services.wishes.support(wish_id, actor=who, **body.model_dump()))


@router.post("/wishes/{wish_id}/reports", status_code=201)
def report(wish_id: IdPath, body: ReportIn, who: Reader, services: ServicesDep) -> dict[str, str]:
    services.wishes.report(wish_id, body.reason, actor=who)
    return {"reported": str(wish_id)}


@router.post("/wishes/{wish_id}/status", response_model=WishOut)
def move(wish_id: IdPath, body: MoveIn, who: Desk, services: ServicesDep) -> WishOut:
    """Staff of the wish's branch move it (a decline needs a reason); the note is public."""
    return _wish(services.wishes.move(wish_id, body.status, actor=who, note=body.note))


@router.post("/wishes/{wish_id}/answer", response_model=WishOut)
def answer(wish_id: IdPath, body: TextIn, who: Desk, services: ServicesDep) -> WishOut:
    return _wish(services.wishes.answer(wish_id, body.text, actor=who))


@router.post("/wishes/{wish_id}/approve", response_model=WishOut)
def approve(wish_id: IdPath, who: Desk, services: ServicesDep) -> WishOut:
    return _wish(services.wishes.approve(wish_id, actor=who))


@router.post("/wishes/{wish_id}/hide", response_model=WishOut)
def hide(wish_id: IdPath, body: TextIn, who: Desk, services: ServicesDep) -> WishOut:
    """Off the wall, with a reason the wisher sees and is told."""
    return _wish(services.wishes.hide(wish_id, body.text, actor=who))


@router.post("/wishes/{wish_id}/merge", response_model=WishOut)
def merge(wish_id: IdPath, body: MergeIn, who: Desk, services: ServicesDep) -> WishOut:
    """This wish joins ``into``: its wisher and supporters carried over, once each."""
    return _wish(services.wishes.merge(wish_id, body.into, actor=who))


# --- acquisitions -------------------------------------------------------------------------


class FundIn(BaseModel):
    year: int = Field(ge=2000, le=2200)
    branch: str = Code
    name: str = Field(min_length=1, max_length=200)
    allocated_cents: int = Field(ge=0, le=10**13)


class FundOut(BaseModel):
    code: str
    year: int
    branch: str
    name: str
    allocated_cents: int
    committed_cents: int
    spent_cents: int
    available_cents: int


class VendorIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    email: str | None = Field(default=None, max_length=254)


class LineIn(BaseModel):
    fund: str = Code
    branch: str = Code
    price_cents: int = Field(ge=0, le=10**10)
    quantity: int = Field(default=1, ge=1, le=500)
    record_id: int | None = Field(default=None, ge=1, le=2**62)
    title: str = Field(default="", max_length=200)
    author: str = Field(default="", max_length=200)
    isbn: str | None = Field(default=None, max_length=20)
    wish_id: int | None = Field(default=None, ge=1, le=2**62)


class OrderIn(BaseModel):
    vendor: str = Code
    lines: list[LineIn] = Field(min_length=1, max_length=200)


class LineOut(BaseModel):
    id: int
    record_id: int
    wish_id: int | None
    fund: str
    branch: str
    quantity: int
    price_cents: int
    received: int
    status: str
    barcodes: list[str]


class OrderOut(BaseModel):
    id: int
    vendor: str
    status: str
    created_at: datetime
    total_cents: int
    lines: list[LineOut]


class ReceiptIn(BaseModel):
    scanned: str = Field(min_length=1, max_length=64, description="a copy's barcode or an ISBN")
    branch: str = Code


class ReceivedOut(BaseModel):
    line_id: int
    record_id: int
    barcode: str
    wish_id: int | None


class InvoiceIn(BaseModel):
    number: str = Field(min_length=1, max_length=64)
    total_cents: int = Field(ge=0, le=10**13)


def _order(o: Order) -> OrderOut:
    lines = [
        LineOut(
            **{
                **{f: getattr(ln, f) for f in LineOut.model_fields if f != "barcodes"},
                "barcodes": list(ln.barcodes),
            }
        )
        for ln in o.lines
    ]
    return OrderOut(
        id=o.id,
        vendor=o.vendor,
        status=o.status,
        created_at=o.created_at,
        total_cents=o.total_cents,
        lines=lines,
    )


@router.get("/acquisitions/funds", response_model=list[FundOut])
def funds(
    who: Buyer, services: ServicesDep, year: int | None = Query(None, ge=2000, le=2200)
) -> list[FundOut]:
    """The funds overview: every branch's budgets of the year (counts of money only)."""
    return [
        FundOut(**{**asdict(f), "available_cents": f.available_cents})
        for f in services.acquisitions.funds(year)
    ]


@router.put("/acquisitions/funds/{code}", response_model=FundOut)
def save_fund(code: str, body: FundIn, who: Buyer, services: ServicesDep) -> FundOut:
    f = services.acquisitions.save_fund(
        code, body.year, body.branch, body.name, body.allocated_cents, actor=who
    )
    return FundOut(**{**asdict(f), "available_cents": f.available_cents})


@router.put("/acquisitions/vendors/{code}", status_code=200)
def save_vendor(code: str, body: VendorIn, who: Buyer, services: ServicesDep) -> dict[str, str]:
    vendor = services.acquisitions.save_vendor(code, body.name, body.email, actor=who)
    return {"code": vendor.code, "name": vendor.name}


@router.post("/acquisitions/orders", response_model=OrderOut, status_code=201)
def place_order(body: OrderIn, who: Buyer, services: ServicesDep) -> OrderOut:
    """An order; each line's cost is committed from its fund, or nothing is ordered."""
    drafts = [
        LineDraft(
            ln.fund,
            ln.branch,
            ln.price_cents,
            ln.quantity,
            ln.record_id,
            Brief(ln.title, ln.author, ln.isbn) if ln.record_id is None else None,
            ln.wish_id,
        )
        for ln in body.lines
    ]
    return _order(services.acquisitions.order(body.vendor, drafts, actor=who, by=who.name))


@router.get("/acquisitions/orders/{order_id}", response_model=OrderOut)
def get_order(order_id: IdPath, who: Buyer, services: ServicesDep) -> OrderOut:
    return _order(services.acquisitions.get_order(order_id))


@router.post("/acquisitions/orders/{order_id}/invoice", response_model=OrderOut)
def invoice(order_id: IdPath, body: InvoiceIn, who: Buyer, services: ServicesDep) -> OrderOut:
    """The invoice closes the order; copies never delivered are cancelled."""
    done = services.acquisitions.invoice(order_id, body.number, body.total_cents, actor=who)
    return _order(done)


@router.post("/acquisitions/receipts", response_model=ReceivedOut, status_code=201)
def receive(body: ReceiptIn, who: Buyer, services: ServicesDep) -> ReceivedOut:
    """One copy received by scanning its barcode or the book's ISBN."""
    got = services.acquisitions.receive(body.scanned, body.branch, actor=who)
    return ReceivedOut(**asdict(got))


@router.post("/acquisitions/items/{barcode}/in-service", status_code=200)
def in_service(barcode: str, who: Buyer, services: ServicesDep) -> dict[str, str]:
    """A received copy on the shelf; a wish's holds follow through the outbox."""
    services.acquisitions.put_in_service(barcode, actor=who)
    return {"barcode": barcode, "lifecycle": "in_service"}
