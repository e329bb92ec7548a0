"""The circulation desk: a reader's summary (audited), checkout and renewal.

Whether the reader may borrow, and each loan's renewal, are the circulation
service's answers (``standing``, ``renewals_of``): the page shows them, it does not
decide them.

The checkout and renewal forms answer with the page itself (the result is
what the librarian reads before the next scan) and carry an idempotency key, so a
reload that posts again replays the stored result rather than acting twice.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.circulation.deposits import DEPOSIT_METHODS
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.web.i18n import format_date
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.readers import cents
from shelfwise.web.staff.workplace import at_desk, branch_names, desk_context, form_key, titles

Card = Annotated[str, Query(max_length=64)]
# What the desk summary shows of a reader: the field names written to the audit log (P7).
SUMMARY_FIELDS = (
    "name",
    "card_number",
    "category",
    "status",
    "expires_on",
    "manual_block",
    "loans",
    "holds",
    "fees",
    "deposit",
)


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def desk_page(
    web: Web, page: Page, card: str, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    """The desk, with the reader of ``card`` (a card or identity-card number) when given."""
    who, branch = at_desk(web.services, page)
    context = desk_context(web.services, page, who, branch) | {"notice": notice, "error": error}
    if not card:
        return web.render(page, "staff/desk.html", status=status, reader=None, **context)
    try:
        # A card number, or the identity card many readers borrow with.
        reader = web.services.readers.identify(card)
    except ShelfwiseError as exc:
        context["error"] = page.error(exc)
        return web.render(page, "staff/desk.html", status=exc.status, reader=None, **context)
    summary = _reader_summary(web, page, reader, branch)
    web.services.access.audit(
        who, door="web", action="read", card_number=reader.card_number, fields=SUMMARY_FIELDS
    )
    context |= {
        "cashier": who.can("circulation.fees"),
        "editor": who.can("readers.write"),
        "methods": DEPOSIT_METHODS,
    }
    return web.render(page, "staff/desk.html", status=status, **summary, **context)


def _reader_summary(web: Web, page: Page, reader: Reader, branch: str) -> dict[str, Any]:
    """What the desk shows of a reader (SUMMARY_FIELDS): loans with the service's renewal
    answer, active holds (those waiting at this desk apart), open fees, the deposit, what
    the reader owes, why they may not borrow and what to tell them though it stops
    nothing — the blocks and warnings are circulation's one ``standing`` answer."""
    services = web.services
    card = reader.card_number
    loans = services.circulation.renewals_of(card)
    holds = [h for h in services.circulation.holds_of(card) if h.status in _ACTIVE]
    fees = [f for f in services.fees.fees_of(card) if f.status == "open"]
    standing = services.circulation.standing(card)
    here = next(b.id for b in services.catalogue.list_branches() if b.code == branch)
    return {
        "warnings": [page.error(w) for w in standing.warnings],
        "overdue": standing.loans.overdue,
        "waiting_here": [h for h in holds if h.status == "ready" and h.pickup_branch_id == here],
        "deposit": services.deposits.standing(card),
        "held_deposits": [d for d in services.deposits.of(card) if d.status == "held"],
        "reader": reader,
        "loans": loans,
        "refusals": {x.loan.id: page.error(x.refusal) for x in loans if x.refusal is not None},
        "holds": holds,
        "fees": fees,
        "owed": standing.owed_cents,
        "blocks": [page.error(block) for block in standing.borrow_blocks],
        "titles": titles(services, [h.record_id for h in holds]),
        "names": branch_names(services, page),
        "today": services.clock.today(),
    }


@router.get("/staff/desk")
def desk(page: PageDep, web: WebDep, card: Card = "", done: str = "") -> Response:
    notice = page.t("staff.fees.settled") if done == "fee" else ""
    if done == "registered":
        notice = page.t("staff.readers.registered")
    return desk_page(web, page, card.strip(), notice=notice)


@router.post("/staff/desk/checkout")
async def checkout(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    card, barcode = form_text(form, "card"), form_text(form, "barcode")
    who, branch = at_desk(web.services, page)
    if not barcode:
        return desk_page(web, page, card)
    try:
        loan = web.services.circulation.checkout(
            card,
            barcode,
            branch,
            actor=who,
            idempotency_key=form_key(form_text(form, "key"), who),
        )
    except ShelfwiseError as exc:
        return desk_page(web, page, card, error=f"{barcode}: {page.error(exc)}", status=exc.status)
    # A receipt by e-mail when the reader asked for one (the service decides; see notices.py).
    web.services.receipts().after_checkout(loan)
    title = titles(web.services, [loan.record_id])[loan.record_id]
    notice = page.t(
        "staff.desk.checked_out", title=title, barcode=barcode, due=_date(page, loan.due_on)
    )
    return desk_page(web, page, card, notice=notice)


@router.post("/staff/desk/renew")
async def renew(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    card, barcode = form_text(form, "card"), form_text(form, "barcode")
    who, branch = at_desk(web.services, page)
    try:
        loan = web.services.circulation.renew(
            card,
            barcode,
            actor=who,
            branch=branch,
            idempotency_key=form_key(form_text(form, "key"), who),
        )
    except ShelfwiseError as exc:
        return desk_page(web, page, card, error=page.error(exc), status=exc.status)
    title = titles(web.services, [loan.record_id])[loan.record_id]
    notice = page.t(
        "staff.desk.renewed", title=title, barcode=barcode, due=_date(page, loan.due_on)
    )
    return desk_page(web, page, card, notice=notice)


@router.post("/staff/desk/renew-all")
async def renew_all(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    card = form_text(form, "card")
    who, branch = at_desk(web.services, page)
    try:
        done = web.services.circulation.renew_all(
            card,
            actor=who,
            branch=branch,
            idempotency_key=form_key(form_text(form, "key"), who),
        )
    except ShelfwiseError as exc:
        return desk_page(web, page, card, error=page.error(exc), status=exc.status)
    notice = page.t("staff.desk.renewed_all", count=len(done.renewed))
    errors = " ".join(page.error(x.refusal) for x in done.refused if x.refusal is not None)
    return desk_page(web, page, card, notice=notice, error=errors)


@router.post("/staff/desk/deposit")
async def take_deposit(page: PageDep, web: WebDep) -> Response:
    """A deposit taken at the desk (yuan typed, fen stored), for the reader shown."""
    form = await page.request.form()
    card = form_text(form, "card")
    who = page.staff("circulation.fees")
    try:
        amount = cents(form_text(form, "amount"))
        web.services.deposits.take(card, amount, form_text(form, "method") or "cash")
    except ShelfwiseError as exc:
        return desk_page(web, page, card, error=page.error(exc), status=exc.status)
    web.services.access.audit(
        who, door="web", action="update", card_number=card, fields=("deposit",)
    )
    return desk_page(
        web, page, card, notice=page.t("staff.desk.deposit_taken", amount=form_text(form, "amount"))
    )


@router.post("/staff/desk/deposits/{deposit_id}/refund")
async def refund_deposit(deposit_id: int, page: PageDep, web: WebDep) -> Response:
    """A held deposit of the reader shown, given back (the service refuses it while the
    reader has loans or fees open)."""
    form = await page.request.form()
    card = form_text(form, "card")
    who = page.staff("circulation.fees")
    deposits = web.services.deposits
    held = next((d for d in deposits.of(card) if d.id == deposit_id), None)
    if held is None:
        raise ShelfwiseError("request.not_found")
    try:
        deposits.refund(deposit_id)
    except ShelfwiseError as exc:
        return desk_page(web, page, card, error=page.error(exc), status=exc.status)
    web.services.access.audit(
        who, door="web", action="update", card_number=card, fields=("deposit",)
    )
    amount = f"{held.amount_cents / 100:.2f}"
    return desk_page(web, page, card, notice=page.t("staff.desk.deposit_refunded", amount=amount))


@router.post("/staff/desk/hold")
async def place_hold(page: PageDep, web: WebDep) -> Response:
    """A hold the desk places for the reader shown, picked up at this desk's branch: the
    copy's barcode or the record's number names the title."""
    form = await page.request.form()
    card, wanted = form_text(form, "card"), form_text(form, "title")
    who, branch = at_desk(web.services, page)
    try:
        record_id = _record_of(web, wanted)
        web.services.circulation.place_hold(card, record_id, branch, actor=who)
    except ShelfwiseError as exc:
        return desk_page(web, page, card, error=page.error(exc), status=exc.status)
    title = titles(web.services, [record_id])[record_id]
    return desk_page(web, page, card, notice=page.t("staff.desk.hold_placed", title=title))


def _record_of(web: Web, wanted: str) -> int:
    """The record a desk means by a copy's barcode, or by the record's number."""
    try:
        return web.services.catalogue.get_item(wanted).record_id
    except ShelfwiseError:
        if not wanted.isdigit():
            raise
    return web.services.catalogue.get_record(int(wanted)).id


_ACTIVE = ("waiting", "in_transit", "ready")


def _date(page: Page, value: Any) -> str:
    return format_date(value, page.lang)
