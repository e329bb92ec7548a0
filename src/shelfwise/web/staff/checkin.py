"""Check-in with its routing slip (transit home or to a hold's pickup branch) and hold-trap
notice, printable; the hold shelf, the copies coming to it, and the pull list of the
working branch. The check-in form answers with the page and carries an idempotency key
(a reload replays the stored result)."""

# No `from __future__ import annotations`: FastAPI must evaluate the closures in Depends().
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from shelfwise.circulation.models import CheckinResult, HoldSlip
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, Web, form_text
from shelfwise.web.staff.workplace import at_desk, branch_names, desk_context, form_key, titles

# What a hold slip shows of its reader: the field names written to the audit log (P7).
SLIP_FIELDS = ("name", "card_number", "holds")


def router(web: Web) -> APIRouter:
    pages = APIRouter(
        route_class=web.route_class, default_response_class=HTMLResponse, include_in_schema=False
    )
    services = web.services
    PageDep = Annotated[Page, Depends(web.page)]

    # --- check-in ---------------------------------------------------------------------

    def checkin_page(
        page: Page,
        *,
        result: CheckinResult | None = None,
        error: str = "",
        status: int = 200,
    ) -> Response:
        who, branch = at_desk(services, page)
        context = desk_context(services, page, who, branch)
        slip: HoldSlip | None = None
        title = call_number = ""
        if result is not None:
            item = services.catalogue.get_item(result.barcode)
            title = titles(services, [item.record_id])[item.record_id]
            call_number = item.call_number
            if result.hold_id is not None:
                slip = services.circulation.hold_slip(result.hold_id, actor=who)
                if slip.card_number is not None:
                    services.access.audit(
                        who,
                        door="web",
                        action="read",
                        card_number=slip.card_number,
                        fields=SLIP_FIELDS,
                    )
        return web.render(
            page,
            "staff/checkin.html",
            status=status,
            result=result,
            slip=slip,
            title=title,
            call_number=call_number,
            names=branch_names(services, page),
            error=error,
            **context,
        )

    @pages.get("/staff/checkin")
    def checkin_form(page: PageDep) -> Response:
        return checkin_page(page)

    @pages.post("/staff/checkin")
    async def checkin(page: PageDep) -> Response:
        form = await page.request.form()
        barcode = form_text(form, "barcode")
        who, branch = at_desk(services, page)
        if not barcode:
            return checkin_page(page)
        try:
            result = services.circulation.checkin(
                barcode, branch, actor=who, idempotency_key=form_key(form_text(form, "key"), who)
            )
        except ShelfwiseError as exc:
            return checkin_page(page, error=f"{barcode}: {page.error(exc)}", status=exc.status)
        return checkin_page(page, result=result)

    # --- the hold shelf and the pull list ----------------------------------------------

    @pages.get("/staff/holds")
    def hold_shelf(page: PageDep) -> Response:
        who, branch = at_desk(services, page)
        shelf_rows = services.circulation.hold_shelf(branch, actor=who)
        pulls = services.circulation.pull_list(branch, actor=who)
        for number in sorted({s.card_number for s in shelf_rows if s.card_number}):
            services.access.audit(
                who, door="web", action="read", card_number=number, fields=SLIP_FIELDS
            )
        return web.render(
            page,
            "staff/holds.html",
            ready=[s for s in shelf_rows if s.status == "ready"],
            coming=[s for s in shelf_rows if s.status == "in_transit"],
            pulls=pulls,
            titles=titles(
                services, [s.record_id for s in shelf_rows] + [p.record_id for p in pulls]
            ),
            names=branch_names(services, page),
            today=services.clock.today(),
            **desk_context(services, page, who, branch),
        )

    return pages
