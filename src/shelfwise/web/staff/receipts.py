"""Receipts at the desk, as print views (issue 20): the checkout receipt (the reader's
loans, those lent today at this branch first, with their due dates) and the check-in
receipt (the copies returned in this desk's check-in session, with any fine).

What a receipt lists is read from circulation (``renewals_of``, the session a check-in
form carries); the page decides nothing. The checkout receipt is a staff read of a
reader's data, so it is audited (P7); it shows the card's last four digits only, as a
slip left on the desk should. The check-in receipt names no reader: a return's loan
forgets its reader (P1), and the session list never held one.
"""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.web.pages import PageDep, WebDep, WebRoute, form_text
from shelfwise.web.staff.checkin import read_session
from shelfwise.web.staff.workplace import at_desk, branch_names, desk_context

Card = Annotated[str, Query(max_length=64)]
RECEIPT_FIELDS = ("name", "card_number", "loans")  # written to the audit log (P7)
RETURNED = ("shelf", "transit", "hold", "hold_transit")  # session lines that were returns

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


@router.get("/staff/desk/receipt")
def checkout_receipt(page: PageDep, web: WebDep, card: Card) -> Response:
    services = web.services
    who, branch = at_desk(services, page)
    reader = services.readers.identify(card.strip())
    loans = services.circulation.renewals_of(reader.card_number)
    services.access.audit(
        who, door="web", action="read", card_number=reader.card_number, fields=RECEIPT_FIELDS
    )
    here = next(b.id for b in services.catalogue.list_branches() if b.code == branch)
    today, zone = services.clock.today(), services.clock.zone

    def lent_here_today(x: object) -> bool:
        loan = x.loan  # type: ignore[attr-defined]
        return bool(loan.branch_id == here and loan.loaned_at.astimezone(zone).date() == today)

    return web.render(
        page,
        "staff/receipt.html",
        kind="checkout",
        branch_label=branch_names(services, page).get(here, branch),
        printed_at=services.clock.now(),
        reader_name=reader.name,
        card_end=reader.card_number[-4:],
        today_loans=[x for x in loans if lent_here_today(x)],
        other_loans=[x for x in loans if not lent_here_today(x)],
        back=f"/staff/desk?card={reader.card_number}",
        **desk_context(services, page, who, branch),
    )


@router.post("/staff/checkin/receipt")
async def checkin_receipt(page: PageDep, web: WebDep) -> Response:
    services = web.services
    who, branch = at_desk(services, page)
    form = await page.request.form()
    returned = [c for c in read_session(form_text(form, "session")) if c.kind in RETURNED]
    here = next(b.id for b in services.catalogue.list_branches() if b.code == branch)
    return web.render(
        page,
        "staff/receipt.html",
        kind="checkin",
        branch_label=branch_names(services, page).get(here, branch),
        printed_at=services.clock.now(),
        returned=list(reversed(returned)),  # in the order they were checked in
        fines=sum(c.fine for c in returned),
        back="/staff/checkin",
        **desk_context(services, page, who, branch),
    )
