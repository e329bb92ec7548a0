"""The reader's side: login and logout, self-registration, PIN help, and the account pages
(loans with renew, holds with cancel and pickup change, history, fees, the digital card,
privacy consents, data export, a new PIN or password).

Every action here calls the same service operation as the REST API does.
"""

import base64
import json
from datetime import UTC, datetime
from typing import Annotated, Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup, escape

from shelfwise.access.lockout import login_sources
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers import cards
from shelfwise.readers.models import CONSENT_PURPOSES
from shelfwise.web.i18n import format_date
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text, safe_next
from shelfwise.web.preferences import my_branch

Next = Annotated[str, Query(alias="next", max_length=2000)]
Barcode = Annotated[str, Query(max_length=64)]
HoldId = Annotated[int, Path(ge=1, le=2**62)]
SECTIONS = ("loans", "holds", "history", "suggestions", "fees", "card", "privacy")
# The secrets a reader may change on the overview page, and the notice after each.
SECRET_KINDS: tuple[Literal["pin", "password"], ...] = ("pin", "password")
ACTIVE_HOLDS = ("waiting", "in_transit", "ready")

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def card_of(page: Page) -> str:
    """The signed-in reader's card number (a redirect to the login otherwise)."""
    return str(page.reader().card_number)


def titles(web: Web, record_ids: list[int]) -> dict[int, str]:
    out = {}
    for record_id in set(record_ids):
        try:
            out[record_id] = web.services.catalogue.get_record(record_id).title
        except ShelfwiseError:
            out[record_id] = f"#{record_id}"
    return out


def section(
    web: Web, page: Page, name: str, status: int = 200, template: str = "", **context: Any
) -> Response:
    """One section of the account, with the reader and the section list."""
    reader = web.services.readers.get(card_of(page))
    return web.render(
        page,
        f"account/{template or name}.html",
        status=status,
        reader=reader,
        sections=SECTIONS,
        current=name,
        **context,
    )


# --- login, logout -----------------------------------------------------------------


@router.get("/login")
def login_form(page: PageDep, web: WebDep, next_: Next = "/account") -> Response:
    return web.render(page, "account/login.html", next=safe_next(next_, "/account"), error=None)


@router.post("/login")
async def login(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    target = safe_next(form_text(form, "next"), "/account")
    try:
        session = web.services.access.login_reader(
            form_text(form, "card"), form_text(form, "secret"), sources=_sources(page)
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


@router.post("/logout")
def logout(page: PageDep, web: WebDep) -> Response:
    return web.signed_out(page, "/")


@router.get("/pin-help")
def pin_help(page: PageDep, web: WebDep) -> Response:
    return web.render(page, "account/pin_help.html")


def _sources(page: Page) -> list[str]:
    """Where a login comes from, for the lockout's per-address count."""
    client = page.request.client
    return login_sources(address=client.host if client else None)


# --- self-registration ---------------------------------------------------------------


def register_page(
    web: Web, page: Page, *, values: dict[str, str], error: str | None = None, status: int = 200
) -> Response:
    return web.render(
        page,
        "account/register.html",
        status=status,
        error=error,
        values=values,
        branches=_pickups(web, page),
        categories=web.services.readers.policy.self_service_categories,
    )


@router.get("/register")
def register_form(page: PageDep, web: WebDep) -> Response:
    return register_page(web, page, values={})


@router.post("/register")
async def register(page: PageDep, web: WebDep) -> Response:
    """The same registration as POST /api/v1/registrations: ``ReaderService.self_register``
    decides the category, the limit per address and the rest."""
    form = await page.request.form()
    fields = ("name", "email", "phone", "home_branch", "category")
    values = {k: form_text(form, k) for k in fields}
    try:
        if form_text(form, "pin") != form_text(form, "pin2"):
            raise ShelfwiseError("web.pin_mismatch")
        client = page.request.client
        done = web.services.readers.self_register(
            source=client.host if client else "-",
            name=values["name"],
            email=values["email"],
            category=values["category"] or None,
            phone=values["phone"] or None,
            home_branch=values["home_branch"] or None,
            pin=form_text(form, "pin"),
        )
    except ShelfwiseError as exc:
        return register_page(web, page, values=values, error=page.error(exc), status=exc.status)
    return web.render(page, "account/registered.html", reader=done.reader)


@router.get("/register/confirm")
def confirm_form(
    page: PageDep,
    web: WebDep,
    card: Annotated[str, Query(max_length=64)] = "",
    token: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The form; ``?card=&token=`` fills it for links mailed by earlier versions."""
    return _confirm_page(web, page, card, token)


@router.get("/register/confirm/{card}/{token}")
def confirm_link(
    page: PageDep,
    web: WebDep,
    card: Annotated[str, Path(max_length=64)],
    token: Annotated[str, Path(max_length=200)],
) -> Response:
    """The e-mailed link: the code is in the path (masked in the logs, P13), and the
    page confirms only when the reader presses the button (a POST), not when a mail
    scanner follows the link."""
    return _confirm_page(web, page, card, token)


def _confirm_page(web: Web, page: Page, card: str, token: str) -> Response:
    response = web.render(page, "account/confirm.html", card=card, token=token, done=False)
    response.headers["Cache-Control"] = "no-store"  # the code is not kept by caches
    return response


@router.post("/register/confirm")
async def confirm(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    web.services.readers.confirm_email(form_text(form, "card"), form_text(form, "token"))
    return web.render(page, "account/confirm.html", card="", token="", done=True)


# --- the account: overview and a new PIN or password -----------------------------------


@router.get("/account")
def overview(page: PageDep, web: WebDep, changed: str = "") -> Response:
    notice = page.t(f"account.secret.changed.{changed}") if changed in SECRET_KINDS else ""
    return _overview(web, page, notice=notice)


def _overview(
    web: Web, page: Page, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    """Counts of loans, holds and fees, the card's expiry, and the form for a new secret."""
    services = web.services
    number = card_of(page)
    loans = services.circulation.loans_of(number)
    holds = services.circulation.holds_of(number)
    fees = services.fees.fees_of(number)
    today = services.clock.today()
    return section(
        web,
        page,
        "overview",
        status=status,
        loans=len(loans),
        overdue=sum(1 for loan in loans if loan.due_on < today),
        holds=len([h for h in holds if h.status in ACTIVE_HOLDS]),
        ready=len([h for h in holds if h.status == "ready"]),
        owed=sum(f.balance_cents for f in fees if f.status == "open"),
        secret_kinds=SECRET_KINDS,
        my_library=_my_library_name(web, page),
        notice=notice,
        error=error,
    )


@router.post("/account/secret")
async def change_secret(page: PageDep, web: WebDep) -> Response:
    """A new PIN or password, given the current one. ``AccessService.change_reader_secret``
    checks the current one (a wrong one counts as a failed login), applies the reader
    rules to the new one and ends the reader's other sessions; this browser carries on
    with the new session it returns."""
    number = card_of(page)
    form = await page.request.form()
    kind = next((k for k in SECRET_KINDS if k == form_text(form, "kind")), None)
    try:
        if kind is None:
            raise ShelfwiseError("request.invalid", detail="kind")
        if form_text(form, "new") != form_text(form, "new2"):
            return _overview(web, page, error=page.t("account.secret.mismatch"), status=422)
        session = web.services.access.change_reader_secret(
            number,
            form_text(form, "current"),
            form_text(form, "new"),
            kind=kind,
            sources=_sources(page),
        )
    except ShelfwiseError as exc:
        return _overview(web, page, error=page.error(exc), status=exc.status)
    return web.signed_in(page, session, f"/account?changed={kind}")


# --- loans and holds ---------------------------------------------------------------


@router.get("/account/loans")
def loans_page(
    page: PageDep, web: WebDep, renewed: Barcode = "", renewed_all: int = -1
) -> Response:
    return _loans(web, page, renewed=renewed, renewed_all=renewed_all)


def _loans(
    web: Web,
    page: Page,
    *,
    renewed: str = "",
    renewed_all: int = -1,
    error: str = "",
    status: int = 200,
) -> Response:
    """Each loan with its renew button, or the reason it cannot be renewed (the service's)."""
    loans = web.services.circulation.renewals_of(card_of(page))
    notice = ""
    done = next((x for x in loans if renewed and x.loan.barcode == renewed), None)
    if done is not None:  # after the redirect: the new due date, from the loan itself
        notice = page.t(
            "loans.renewed", title=done.title, date=format_date(done.loan.due_on, page.lang)
        )
    elif renewed_all >= 0:
        notice = page.t("loans.renewed_all", count=renewed_all)
    return section(
        web,
        page,
        "loans",
        status=status,
        loans=loans,
        reasons={x.loan.id: page.error(x.refusal) for x in loans if x.refusal is not None},
        today=web.services.clock.today(),
        notice=notice,
        error=error,
    )


@router.post("/account/loans/renew")
async def renew(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    barcode = form_text(form, "barcode")
    try:
        web.services.circulation.renew(card_of(page), barcode, actor=page.reader())
    except ShelfwiseError as exc:
        return _loans(web, page, error=page.error(exc), status=exc.status)
    return web.redirect(f"/account/loans?renewed={quote(barcode)}")


@router.post("/account/loans/renew-all")
def renew_all(page: PageDep, web: WebDep) -> Response:
    done = web.services.circulation.renew_all(card_of(page), actor=page.reader())
    return web.redirect(f"/account/loans?renewed_all={len(done.renewed)}")


@router.get("/account/holds")
def holds_page(
    page: PageDep, web: WebDep, placed: str = "", changed: str = "", cancelled: str = ""
) -> Response:
    notice = (
        (placed and page.t("holds.placed"))
        or (changed and page.t("holds.changed"))
        or (cancelled and page.t("holds.cancelled"))
    )
    return _holds(web, page, notice=notice or "")


def _holds(
    web: Web, page: Page, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    card = card_of(page)
    holds = web.services.circulation.holds_of(card)
    active = [h for h in holds if h.status in ACTIVE_HOLDS]
    branches = web.services.catalogue.list_branches()
    today = web.services.clock.today()
    # The estimated wait in days, not only the place in the queue: None when no copy can
    # come back; a day already reached reads "within a few days".
    waits = {
        hold_id: ("unknown", None)
        if day is None
        else ("soon", day)
        if day <= today
        else ("on", day)
        for hold_id, day in web.services.hold_waits.ready_by(card).items()
    }
    return section(
        web,
        page,
        "holds",
        status=status,
        holds=active,
        titles=titles(web, [h.record_id for h in active]),
        branch_names={b.id: branch_name(b, page.lang) for b in branches},
        pickups=[(b.code, branch_name(b, page.lang), b.id) for b in branches],
        waits=waits,
        notice=notice,
        error=error,
    )


@router.get("/account/holds/{hold_id}/cancel")
def confirm_cancel(hold_id: HoldId, page: PageDep, web: WebDep) -> Response:
    """Cancelling asks first (a page, so it works without JavaScript): a hold lost by a
    slip of the thumb is a place in the queue lost."""
    hold = web.services.circulation.get_hold(hold_id, actor=page.reader())
    if hold.status not in ACTIVE_HOLDS:
        return web.redirect("/account/holds")
    title = titles(web, [hold.record_id])[hold.record_id]
    return section(web, page, "holds", template="cancel_hold", hold=hold, title=title)


@router.post("/account/holds/{hold_id}/cancel")
def cancel_hold(hold_id: HoldId, page: PageDep, web: WebDep) -> Response:
    try:
        web.services.circulation.cancel_hold(hold_id, actor=page.reader())
    except ShelfwiseError as exc:
        return _holds(web, page, error=page.error(exc), status=exc.status)
    return web.redirect("/account/holds?cancelled=1")


@router.post("/account/holds/{hold_id}/pickup")
async def change_pickup(hold_id: HoldId, page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    try:
        web.services.circulation.change_pickup(
            hold_id, form_text(form, "pickup"), actor=page.reader()
        )
    except ShelfwiseError as exc:
        return _holds(web, page, error=page.error(exc), status=exc.status)
    return web.redirect("/account/holds?changed=1")


# --- history, fees, the card, privacy, export ----------------------------------------


@router.get("/account/history")
def history(page: PageDep, web: WebDep) -> Response:
    reader = web.services.readers.get(card_of(page))
    past = []
    if reader.history_opt_in:
        past = [
            loan for loan in web.services.circulation.history_of(card_of(page)) if loan.returned_at
        ]
    return section(web, page, "history", past=past, titles=titles(web, [x.record_id for x in past]))


@router.get("/account/fees")
def fees(page: PageDep, web: WebDep) -> Response:
    return section(web, page, "fees", fees=web.services.fees.fees_of(card_of(page)))


@router.get("/account/card")
def digital_card(page: PageDep, web: WebDep) -> Response:
    number = card_of(page)
    label = escape(page.t("card.qr_title"))
    qr = cards.qr_svg(number, scale=6).replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    # Code 128 as an image: its SVG carries style attributes, which the page's CSP
    # (style-src 'self') refuses inline; an image document is not subject to it.
    barcode = base64.b64encode(cards.code128_svg(number).encode()).decode()
    return section(
        web,
        page,
        "card",
        qr=Markup(qr),
        barcode=f"data:image/svg+xml;base64,{barcode}",
        number=number,
    )


@router.get("/account/privacy")
def privacy(page: PageDep, web: WebDep, saved: str = "") -> Response:
    return section(
        web,
        page,
        "privacy",
        purposes=CONSENT_PURPOSES,
        granted=_granted(web.services.readers.consents(card_of(page))),
        notice=saved and page.t("privacy.saved"),
    )


@router.post("/account/privacy")
async def set_privacy(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    number = card_of(page)
    granted = _granted(web.services.readers.consents(number))
    for purpose in CONSENT_PURPOSES:
        wanted = form_text(form, purpose) == "on"
        if wanted != granted.get(purpose, False):
            web.services.readers.set_consent(number, purpose, wanted)
    return web.redirect("/account/privacy?saved=1")


@router.get("/account/export")
def export(page: PageDep, web: WebDep) -> Response:
    data = web.services.reader_rights.export(card_of(page))
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


def _granted(consents: list[Any]) -> dict[str, bool]:
    """The latest decision per purpose (the log is in order)."""
    out: dict[str, bool] = {}
    for consent in consents:
        out[consent.purpose] = bool(consent.granted)
    return out


def _my_library_name(web: Web, page: Page) -> str:
    code = my_branch(web, page)
    return "" if code is None else dict(_pickups(web, page)).get(code, code)


def _pickups(web: Web, page: Page) -> list[tuple[str, str]]:
    return [(b.code, branch_name(b, page.lang)) for b in web.services.catalogue.list_branches()]
