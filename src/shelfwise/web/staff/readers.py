"""Readers at the desk: registering, the reader's record (block, unblock, renew the card,
set a PIN, reset the password), and fees (take a payment, waive). Reads and changes are audited (P7)."""

import re
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.workplace import allowed_branches, branch_names

if TYPE_CHECKING:
    from shelfwise.services import Services

RECORD_FIELDS = (
    "name",
    "card_number",
    "category",
    "status",
    "email",
    "phone",
    "birth_year",
    "home_branch",
    "expires_on",
    "manual_block",
)
REGISTER_FIELDS = ("name", "category", "email", "phone", "birth_year", "home_branch")
ACTIONS = ("details", "block", "unblock", "renew_card", "pin", "password")
_YEAR = re.compile(r"^(19|20)\d\d$")


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def register_page(
    web: Web, page: Page, *, values: dict[str, str], error: str = "", status: int = 200
) -> Response:
    """The desk's registration form, again with its error when one is given."""
    who = page.staff("readers.write")
    return web.render(
        page,
        "staff/register.html",
        status=status,
        who=who,
        values=values,
        error=error,
        categories=web.services.readers.policy.categories,
        branches=allowed_branches(web.services, who, page.lang),
    )


@router.get("/staff/readers/new")
def register_form(page: PageDep, web: WebDep) -> Response:
    return register_page(web, page, values={})


@router.post("/staff/readers/new")
async def register(page: PageDep, web: WebDep) -> Response:
    who = page.staff("readers.write")
    form = await page.request.form()
    values = {k: form_text(form, k) for k in REGISTER_FIELDS}
    try:
        year = values["birth_year"]
        if year and not _YEAR.match(year):
            raise ShelfwiseError("request.invalid", detail="birth_year")
        done = web.services.readers.register(
            name=values["name"],
            category=values["category"],
            email=values["email"] or None,
            phone=values["phone"] or None,
            birth_year=int(year) if year else None,
            home_branch=values["home_branch"] or None,
            pin=form_text(form, "pin") or None,
        )
    except ShelfwiseError as exc:
        return register_page(web, page, values=values, error=page.error(exc), status=exc.status)
    card = done.reader.card_number
    given = [k for k, v in values.items() if v]
    web.services.access.audit(who, door="web", action="create", card_number=card, fields=given)
    return web.redirect(f"/staff/desk?card={quote(card)}&done=registered")


# --- the reader's record --------------------------------------------------------------


def record_page(web: Web, page: Page, card: str, *, notice: str = "", error: str = "") -> Response:
    """The reader's record (an audited read of RECORD_FIELDS) with the desk's changes."""
    services = web.services
    who = page.staff("readers.read")
    reader = services.readers.get(card)
    services.access.audit(who, door="web", action="read", card_number=card, fields=RECORD_FIELDS)
    return web.render(
        page,
        "staff/reader.html",
        who=who,
        reader=reader,
        names=branch_names(services, page),
        categories=services.readers.policy.categories,
        branches=[
            (b.id, b.code, n)
            for b in services.catalogue.list_branches()
            for n in [branch_name(b, page.lang)]
        ],
        editor=who.can("readers.write"),
        notice=notice,
        error=error,
        status=200 if not error else 422,
    )


@router.get("/staff/readers/{card}")
def reader_record(card: str, page: PageDep, web: WebDep, done: str = "") -> Response:
    notice = page.t("staff.reader.done." + done) if done in ACTIONS else ""
    return record_page(web, page, card, notice=notice)


@router.post("/staff/readers/{card}/{action}")
async def change_reader(card: str, action: str, page: PageDep, web: WebDep) -> Response:
    who = page.staff("readers.write")
    if action not in ACTIONS:
        raise ShelfwiseError("request.not_found")
    form = await page.request.form()
    try:
        changed = _change(web.services, card, action, form)
    except ShelfwiseError as exc:
        return record_page(web, page, card, error=page.error(exc))
    web.services.access.audit(who, door="web", action="update", card_number=card, fields=changed)
    return web.redirect(f"/staff/readers/{quote(card)}?done={action}")


# --- fees ---------------------------------------------------------------------------


@router.post("/staff/fees/{fee_id}/{action}")
async def settle(fee_id: int, action: str, page: PageDep, web: WebDep) -> Response:
    who = page.staff("circulation.fees")
    form = await page.request.form()
    card = form_text(form, "card")
    _settle(web.services, fee_id, card, action, form)
    web.services.access.audit(who, door="web", action="update", card_number=card, fields=("fees",))
    return web.redirect(f"/staff/desk?card={quote(card)}&done=fee")


def _settle(services: "Services", fee_id: int, card: str, action: str, form: FormData) -> None:
    """Take a payment or waive, for a fee of the reader the desk shows."""
    if action not in ("pay", "waive") or fee_id not in {f.id for f in services.fees.fees_of(card)}:
        raise ShelfwiseError("request.not_found")
    if action == "pay":
        services.fees.pay(fee_id, cents(form_text(form, "amount")))
    else:
        services.fees.waive(fee_id, form_text(form, "note"))


def _change(services: "Services", card: str, action: str, form: FormData) -> tuple[str, ...]:
    """Apply one change to the reader; the field names it touched."""
    if action == "details":
        year = form_text(form, "birth_year")
        if year and not _YEAR.match(year):
            raise ShelfwiseError("request.invalid", detail="birth_year")
        services.readers.update_details(
            card,
            name=form_text(form, "name"),
            category=form_text(form, "category"),
            email=form_text(form, "email") or None,
            phone=form_text(form, "phone") or None,
            birth_year=int(year) if year else None,
            home_branch=form_text(form, "home_branch") or None,
        )
        return REGISTER_FIELDS
    if action == "block":
        services.readers.block(card, form_text(form, "reason"))
        return ("manual_block",)
    if action == "unblock":
        services.readers.unblock(card)
        return ("manual_block",)
    if action == "renew_card":
        services.readers.renew_card(card)
        return ("expires_on",)
    if action == "password":  # a reset: the reader's sessions and API tokens end
        services.readers.set_password(card, form_text(form, "password"))
        return ("password",)
    services.readers.set_pin(card, form_text(form, "pin"))
    return ("pin",)


def cents(text: str) -> int:
    """An amount typed in yuan ("12", "12.5", "12.50") as fen; refused when it is not one."""
    try:
        amount = Decimal(text.replace(",", "").replace("¥", "").strip())
    except InvalidOperation:
        raise ShelfwiseError("circ.fee_amount", amount=text) from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise ShelfwiseError("circ.fee_amount", amount=text)
    return int(amount * 100)
