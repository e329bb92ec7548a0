"""The circulation desk: a reader's summary (audited), checkout and renewal.

Whether the reader may borrow, and each loan's renewal, are the circulation
service's answers (``standing``, ``renewals_of``): the page shows them, it does not
decide them.

The checkout and renewal forms answer with the page itself (the result is
what the librarian reads before the next scan) and carry an idempotency key, so a
reload that posts again replays the stored result rather than acting twice.
"""

# No `from __future__ import annotations`: FastAPI must evaluate the closures in Depends().
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.access.models import Principal
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.i18n import format_date
from shelfwise.web.pages import Page, Web, form_text
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
)


def router(web: Web) -> APIRouter:  # noqa: C901, PLR0915 - one nested function per page
    pages = APIRouter(
        route_class=web.route_class, default_response_class=HTMLResponse, include_in_schema=False
    )
    services = web.services
    PageDep = Annotated[Page, Depends(web.page)]

    def desk_staff(page: Page) -> tuple[Principal, str]:
        return at_desk(services, page)

    def common(page: Page, who: Principal, branch: str) -> dict[str, Any]:
        return desk_context(services, page, who, branch)

    def desk_page(
        page: Page,
        card: str,
        *,
        notice: str = "",
        error: str = "",
        status: int = 200,
    ) -> Response:
        who, branch = desk_staff(page)
        context = common(page, who, branch) | {"notice": notice, "error": error}
        if not card:
            return web.render(page, "staff/desk.html", status=status, reader=None, **context)
        try:
            # A card number, or the identity card many readers borrow with.
            reader = services.readers.identify(card)
        except ShelfwiseError as exc:
            context["error"] = page.error(exc)
            return web.render(page, "staff/desk.html", status=exc.status, reader=None, **context)
        card = reader.card_number
        loans = services.circulation.renewals_of(card)
        holds = [h for h in services.circulation.holds_of(card) if h.status in _ACTIVE]
        fees = [f for f in services.accounts.fees_of(card) if f.status == "open"]
        standing = services.circulation.standing(card)
        services.access.audit(
            who, door="web", action="read", card_number=card, fields=SUMMARY_FIELDS
        )
        today = services.clock.today()
        return web.render(
            page,
            "staff/desk.html",
            status=status,
            reader=reader,
            loans=loans,
            refusals={x.loan.id: page.error(x.refusal) for x in loans if x.refusal is not None},
            holds=holds,
            fees=fees,
            owed=standing.owed_cents,
            blocks=[page.error(block) for block in standing.borrow_blocks],
            titles=titles(services, [h.record_id for h in holds]),
            names=branch_names(services, page),
            today=today,
            cashier=who.can("circulation.fees"),
            editor=who.can("readers.write"),
            **context,
        )

    @pages.get("/staff/desk")
    def desk(page: PageDep, card: Card = "", done: str = "") -> Response:
        notice = page.t("staff.fees.settled") if done == "fee" else ""
        if done == "registered":
            notice = page.t("staff.readers.registered")
        return desk_page(page, card.strip(), notice=notice)

    @pages.post("/staff/desk/checkout")
    async def checkout(page: PageDep) -> Response:
        form = await page.request.form()
        card, barcode = form_text(form, "card"), form_text(form, "barcode")
        who, branch = desk_staff(page)
        if not barcode:
            return desk_page(page, card)
        try:
            loan = services.circulation.checkout(
                card,
                barcode,
                branch,
                actor=who,
                idempotency_key=form_key(form_text(form, "key"), who),
            )
        except ShelfwiseError as exc:
            return desk_page(page, card, error=f"{barcode}: {page.error(exc)}", status=exc.status)
        title = titles(services, [loan.record_id])[loan.record_id]
        notice = page.t(
            "staff.desk.checked_out", title=title, barcode=barcode, due=_date(page, loan.due_on)
        )
        return desk_page(page, card, notice=notice)

    @pages.post("/staff/desk/renew")
    async def renew(page: PageDep) -> Response:
        form = await page.request.form()
        card, barcode = form_text(form, "card"), form_text(form, "barcode")
        who, branch = desk_staff(page)
        try:
            loan = services.circulation.renew(
                card,
                barcode,
                actor=who,
                branch=branch,
                idempotency_key=form_key(form_text(form, "key"), who),
            )
        except ShelfwiseError as exc:
            return desk_page(page, card, error=page.error(exc), status=exc.status)
        title = titles(services, [loan.record_id])[loan.record_id]
        notice = page.t(
            "staff.desk.renewed", title=title, barcode=barcode, due=_date(page, loan.due_on)
        )
        return desk_page(page, card, notice=notice)

    @pages.post("/staff/desk/renew-all")
    async def renew_all(page: PageDep) -> Response:
        form = await page.request.form()
        card = form_text(form, "card")
        who, branch = desk_staff(page)
        try:
            done = services.circulation.renew_all(
                card,
                actor=who,
                branch=branch,
                idempotency_key=form_key(form_text(form, "key"), who),
            )
        except ShelfwiseError as exc:
            return desk_page(page, card, error=page.error(exc), status=exc.status)
        notice = page.t("staff.desk.renewed_all", count=len(done.renewed))
        errors = " ".join(page.error(x.refusal) for x in done.refused if x.refusal is not None)
        return desk_page(page, card, notice=notice, error=errors)

    return pages


_ACTIVE = ("waiting", "in_transit", "ready")


def _date(page: Page, value: Any) -> str:
    return format_date(value, page.lang)
