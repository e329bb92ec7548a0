"""The reader's side: login and logout, self-registration, PIN help, and the account pages
(loans with renew, holds with cancel and pickup change, history, fees, the digital card,
privacy consents, data export).

Every action here calls the same service operation as the REST API does.
"""

# No `from __future__ import annotations`: FastAPI must evaluate the closures in Depends().
import base64
import json
from datetime import UTC, datetime
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from shelfwise.access.lockout import login_sources
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers import cards
from shelfwise.readers.models import CONSENT_PURPOSES
from shelfwise.web.i18n import format_date
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page, Web, form_text, safe_next

Next = Annotated[str, Query(alias="next", max_length=2000)]
Barcode = Annotated[str, Query(max_length=64)]
SECTIONS = ("loans", "holds", "history", "fees", "card", "privacy")


def router(web: Web) -> APIRouter:  # noqa: C901, PLR0915 - one nested function per page
    pages = APIRouter(
        route_class=web.route_class, default_response_class=HTMLResponse, include_in_schema=False
    )
    services = web.services
    PageDep = Annotated[Page, Depends(web.page)]

    def card(page: Page) -> str:
        return str(page.reader().card_number)

    def titles(record_ids: list[int]) -> dict[int, str]:
        out = {}
        for record_id in set(record_ids):
            try:
                out[record_id] = services.catalogue.get_record(record_id).title
            except ShelfwiseError:
                out[record_id] = f"#{record_id}"
        return out

    def section(page: Page, name: str, status: int = 200, **context: Any) -> Response:
        reader = services.readers.get(card(page))
        return web.render(
            page,
            f"account/{name}.html",
            status=status,
            reader=reader,
            sections=SECTIONS,
            current=name,
            **context,
        )

    # --- login, logout ---------------------------------------------------------------

    @pages.get("/login")
    def login_form(page: PageDep, next_: Next = "/account") -> Response:
        return web.render(page, "account/login.html", next=safe_next(next_, "/account"), error=None)

    @pages.post("/login")
    async def login(page: PageDep) -> Response:
        form = await page.request.form()
        target = safe_next(form_text(form, "next"), "/account")
        try:
            client = page.request.client
            session = services.access.login_reader(
                form_text(form, "card"),
                form_text(form, "secret"),
                sources=login_sources(address=client.host if client else None),
            )
        except ShelfwiseError as exc:
            return web.render(
                page,
                "account/login.html",
                status=exc.status,
                next=target,
                error=page.error(exc),
                card=form_text(form, "card"),
            )
        return web.signed_in(page, session, target)

    @pages.post("/logout")
    def logout(page: PageDep) -> Response:
        return web.signed_out(page, "/")

    @pages.get("/pin-help")
    def pin_help(page: PageDep) -> Response:
        return web.render(page, "account/pin_help.html")

    # --- self-registration -----------------------------------------------------------

    def register_page(
        page: Page, *, values: dict[str, str], error: str | None = None, status: int = 200
    ) -> Response:
        return web.render(
            page,
            "account/register.html",
            status=status,
            error=error,
            values=values,
            branches=_pickups(web, page),
            categories=services.readers.policy.self_service_categories,
        )

    @pages.get("/register")
    def register_form(page: PageDep) -> Response:
        return register_page(page, values={})

    @pages.post("/register")
    async def register(page: PageDep) -> Response:
        """The same registration as POST /api/v1/registrations: ``ReaderService.self_register``
        decides the category, the limit per address and the rest."""
        form = await page.request.form()
        fields = ("name", "email", "phone", "home_branch", "category")
        values = {k: form_text(form, k) for k in fields}
        try:
            if form_text(form, "pin") != form_text(form, "pin2"):
                raise ShelfwiseError("web.pin_mismatch")
            client = page.request.client
            done = services.readers.self_register(
                source=client.host if client else "-",
                name=values["name"],
                email=values["email"],
                category=values["category"] or None,
                phone=values["phone"] or None,
                home_branch=values["home_branch"] or None,
                pin=form_text(form, "pin"),
            )
        except ShelfwiseError as exc:
            return register_page(page, values=values, error=page.error(exc), status=exc.status)
        return web.render(page, "account/registered.html", reader=done.reader)

    @pages.get("/register/confirm")
    def confirm_form(
        page: PageDep,
        card: Annotated[str, Query(max_length=64)] = "",
        token: Annotated[str, Query(max_length=200)] = "",
    ) -> Response:
        """The form; ``?card=&token=`` fills it for links mailed by earlier versions."""
        return _confirm_page(page, card, token)

    @pages.get("/register/confirm/{card}/{token}")
    def confirm_link(
        page: PageDep,
        card: Annotated[str, Path(max_length=64)],
        token: Annotated[str, Path(max_length=200)],
    ) -> Response:
        """The e-mailed link: the code is in the path (masked in the logs, P13), and the
        page confirms only when the reader presses the button (a POST), not when a mail
        scanner follows the link."""
        return _confirm_page(page, card, token)

    def _confirm_page(page: Page, card: str, token: str) -> Response:
        response = web.render(page, "account/confirm.html", card=card, token=token, done=False)
        response.headers["Cache-Control"] = "no-store"  # the code is not kept by caches
        return response

    @pages.post("/register/confirm")
    async def confirm(page: PageDep) -> Response:
        form = await page.request.form()
        services.readers.confirm_email(form_text(form, "card"), form_text(form, "token"))
        return web.render(page, "account/confirm.html", card="", token="", done=True)

    # --- the account -----------------------------------------------------------------

    @pages.get("/account")
    def overview(page: PageDep) -> Response:
        number = card(page)
        loans = services.circulation.loans_of(number)
        holds = services.circulation.holds_of(number)
        fees = services.accounts.fees_of(number)
        today = services.clock.today()
        return section(
            page,
            "overview",
            loans=len(loans),
            overdue=sum(1 for loan in loans if loan.due_on < today),
            holds=len([h for h in holds if h.status in ("waiting", "in_transit", "ready")]),
            ready=len([h for h in holds if h.status == "ready"]),
            owed=sum(f.balance_cents for f in fees if f.status == "open"),
        )

    @pages.get("/account/loans")
    def loans_page(page: PageDep, renewed: Barcode = "", renewed_all: int = -1) -> Response:
        return _loans(page, renewed=renewed, renewed_all=renewed_all)

    def _loans(
        page: Page,
        *,
        renewed: str = "",
        renewed_all: int = -1,
        error: str = "",
        status: int = 200,
    ) -> Response:
        """Each loan with its renew button, or the reason it cannot be renewed (the service's)."""
        loans = services.circulation.renewals_of(card(page))
        notice = ""
        done = next((x for x in loans if renewed and x.loan.barcode == renewed), None)
        if done is not None:  # after the redirect: the new due date, from the loan itself
            notice = page.t(
                "loans.renewed", title=done.title, date=format_date(done.loan.due_on, page.lang)
            )
        elif renewed_all >= 0:
            notice = page.t("loans.renewed_all", count=renewed_all)
        return section(
            page,
            "loans",
            status=status,
            loans=loans,
            reasons={x.loan.id: page.error(x.refusal) for x in loans if x.refusal is not None},
            today=services.clock.today(),
            notice=notice,
            error=error,
        )

    @pages.post("/account/loans/renew")
    async def renew(page: PageDep) -> Response:
        form = await page.request.form()
        barcode = form_text(form, "barcode")
        try:
            services.circulation.renew(card(page), barcode, actor=page.reader())
        except ShelfwiseError as exc:
            return _loans(page, error=page.error(exc), status=exc.status)
        return web.redirect(f"/account/loans?renewed={quote(barcode)}")

    @pages.post("/account/loans/renew-all")
    def renew_all(page: PageDep) -> Response:
        done = services.circulation.renew_all(card(page), actor=page.reader())
        return web.redirect(f"/account/loans?renewed_all={len(done.renewed)}")

    @pages.get("/account/holds")
    def holds_page(page: PageDep, placed: str = "", changed: str = "") -> Response:
        notice = (placed and page.t("holds.placed")) or (changed and page.t("holds.changed"))
        return _holds(page, notice=notice or "")

    def _holds(page: Page, *, notice: str = "", error: str = "", status: int = 200) -> Response:
        holds = services.circulation.holds_of(card(page))
        active = [h for h in holds if h.status in ("waiting", "in_transit", "ready")]
        branches = services.catalogue.list_branches()
        return section(
            page,
            "holds",
            status=status,
            holds=active,
            titles=titles([h.record_id for h in active]),
            branch_names={b.id: branch_name(b, page.lang) for b in branches},
            pickups=[(b.code, branch_name(b, page.lang), b.id) for b in branches],
            notice=notice,
            error=error,
        )

    @pages.post("/account/holds/{hold_id}/cancel")
    def cancel_hold(hold_id: int, page: PageDep) -> Response:
        try:
            services.circulation.cancel_hold(hold_id, actor=page.reader())
        except ShelfwiseError as exc:
            return _holds(page, error=page.error(exc), status=exc.status)
        return _holds(page, notice=page.t("holds.cancelled"))

    @pages.post("/account/holds/{hold_id}/pickup")
    async def change_pickup(hold_id: int, page: PageDep) -> Response:
        form = await page.request.form()
        try:
            services.circulation.change_pickup(
                hold_id, form_text(form, "pickup"), actor=page.reader()
            )
        except ShelfwiseError as exc:
            return _holds(page, error=page.error(exc), status=exc.status)
        return web.redirect("/account/holds?changed=1")

    @pages.get("/account/history")
    def history(page: PageDep) -> Response:
        reader = services.readers.get(card(page))
        past = []
        if reader.history_opt_in:
            past = [
                loan for loan in services.circulation.history_of(card(page)) if loan.returned_at
            ]
        return section(page, "history", past=past, titles=titles([x.record_id for x in past]))

    @pages.get("/account/fees")
    def fees(page: PageDep) -> Response:
        return section(page, "fees", fees=services.accounts.fees_of(card(page)))

    @pages.get("/account/card")
    def digital_card(page: PageDep) -> Response:
        number = card(page)
        label = escape(page.t("card.qr_title"))
        qr = cards.qr_svg(number, scale=6).replace(
            "<svg ", f'<svg role="img" aria-label="{label}" ', 1
        )
        # Code 128 as an image: its SVG carries style attributes, which the page's CSP
        # (style-src 'self') refuses inline; an image document is not subject to it.
        barcode = base64.b64encode(cards.code128_svg(number).encode()).decode()
        return section(
            page,
            "card",
            qr=Markup(qr),
            barcode=f"data:image/svg+xml;base64,{barcode}",
            number=number,
        )

    @pages.get("/account/privacy")
    def privacy(page: PageDep, saved: str = "") -> Response:
        return section(
            page,
            "privacy",
            purposes=CONSENT_PURPOSES,
            granted=_granted(services.readers.consents(card(page))),
            notice=saved and page.t("privacy.saved"),
        )

    @pages.post("/account/privacy")
    async def set_privacy(page: PageDep) -> Response:
        form = await page.request.form()
        number = card(page)
        granted = _granted(services.readers.consents(number))
        for purpose in CONSENT_PURPOSES:
            wanted = form_text(form, purpose) == "on"
            if wanted != granted.get(purpose, False):
                services.readers.set_consent(number, purpose, wanted)
        return web.redirect("/account/privacy?saved=1")

    @pages.get("/account/export")
    def export(page: PageDep) -> Response:
        data = services.accounts.export(card(page))
        body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
        stamp = datetime.now(UTC).strftime("%Y%m%d")
        return Response(
            body,
            media_type="application/json",
            headers={
                "Content-Disposition": f'attachment; filename="shelfwise-{stamp}.json"',
                "Cache-Control": "no-store",
            },
        )

    return pages


def _granted(consents: list[Any]) -> dict[str, bool]:
    """The latest decision per purpose (the log is in order)."""
    out: dict[str, bool] = {}
    for consent in consents:
        out[consent.purpose] = bool(consent.granted)
    return out


def _pickups(web: Web, page: Page) -> list[tuple[str, str]]:
    return [(b.code, branch_name(b, page.lang)) for b in web.services.catalogue.list_branches()]
