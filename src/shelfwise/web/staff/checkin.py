"""Check-in with its routing slip (transit home or to a hold's pickup branch) and hold-trap
notice, printable; the hold shelf, the copies coming to it, and the pull list of the
working branch. The check-in form answers with the page and carries an idempotency key
(a reload replays the stored result).

The session list (what this desk checked in since the page was opened, with each alert,
transit and hold trap) travels with the form as a hidden field, so it needs no server
state and survives without JavaScript; it holds barcodes, titles and where each copy
goes, never a reader."""

import json
from dataclasses import dataclass

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.access.models import Principal
from shelfwise.circulation.models import CheckinResult, HoldSlip
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.workplace import at_desk, branch_names, desk_context, form_key, titles

# The session list keeps the latest check-ins, newest first.
SESSION_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Checked:
    """One line of the session list: the copy, and what the desk must do with it."""

    barcode: str
    title: str
    kind: str  # shelf, transit, hold, hold_transit, not_on_loan, refused
    to: int | None = None  # the branch a transit goes to
    fine: int = 0  # fen charged at check-in
    note: str = ""  # a refusal's sentence

    @property
    def alert(self) -> bool:
        return self.kind != "shelf" or self.fine > 0


def read_session(text: str) -> list[Checked]:
    """The session list a form carried back (anything malformed is dropped, not trusted)."""
    try:
        rows = json.loads(text) if text else []
    except ValueError:
        return []
    out = []
    for row in rows if isinstance(rows, list) else []:
        try:
            out.append(Checked(**row))
        except TypeError:
            continue
        if len(out) >= SESSION_LENGTH:
            break
    return out


def write_session(lines: list[Checked]) -> str:
    return json.dumps(
        [{k: getattr(c, k) for k in Checked.__slots__} for c in lines[:SESSION_LENGTH]],
        ensure_ascii=False,
        separators=(",", ":"),
    )


def _line(result: CheckinResult, title: str) -> Checked:
    if result.hold_id is not None:
        kind = "hold_transit" if result.transit_to_branch_id else "hold"
    elif result.transit_to_branch_id:
        kind = "transit"
    else:
        kind = "shelf" if result.loan_id else "not_on_loan"
    return Checked(result.barcode, title, kind, result.transit_to_branch_id, result.fine_cents)


# What a hold slip shows of its reader: the field names written to the audit log (P7).
SLIP_FIELDS = ("name", "card_number", "holds")


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)

# --- check-in -----------------------------------------------------------------------


def checkin_page(
    web: Web,
    page: Page,
    *,
    result: CheckinResult | None = None,
    error: str = "",
    status: int = 200,
    session: list[Checked] | None = None,
    refused: str = "",
) -> Response:
    """The check-in form, with the last check-in's routing slip and hold slip when given,
    and the session list with this check-in (or refusal) at its head."""
    services = web.services
    who, branch = at_desk(services, page)
    context = desk_context(services, page, who, branch)
    lines = list(session or [])
    slip: HoldSlip | None = None
    title = call_number = ""
    if result is not None:
        item = services.catalogue.get_item(result.barcode)
        title = titles(services, [item.record_id])[item.record_id]
        call_number = item.call_number
        if result.hold_id is not None:
            slip = _hold_slip(web, who, result.hold_id)
        lines.insert(0, _line(result, title))
    elif refused:
        lines.insert(0, Checked(refused, "", "refused", note=error))
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
        session=lines,
        session_field=write_session(lines),
        alerts=sum(1 for c in lines if c.alert),
        **context,
    )


def _hold_slip(web: Web, who: Principal, hold_id: int) -> HoldSlip:
    """The slip of the hold the copy was trapped for; its reader's name is an audited read."""
    slip = web.services.circulation.hold_slip(hold_id, actor=who)
    if slip.card_number is not None:
        web.services.access.audit(
            who, door="web", action="read", card_number=slip.card_number, fields=SLIP_FIELDS
        )
    return slip


@router.get("/staff/checkin")
def checkin_form(page: PageDep, web: WebDep) -> Response:
    return checkin_page(web, page)


@router.post("/staff/checkin")
async def checkin(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    barcode = form_text(form, "barcode")
    session = read_session(form_text(form, "session"))
    who, branch = at_desk(web.services, page)
    if not barcode:
        return checkin_page(web, page, session=session)
    try:
        result = web.services.circulation.checkin(
            barcode, branch, actor=who, idempotency_key=form_key(form_text(form, "key"), who)
        )
    except ShelfwiseError as exc:
        return checkin_page(
            web,
            page,
            error=f"{barcode}: {page.error(exc)}",
            status=exc.status,
            session=session,
            refused=barcode,
        )
    return checkin_page(web, page, result=result, session=session)


# --- the hold shelf and the pull list ------------------------------------------------


@router.get("/staff/holds")
def hold_shelf(page: PageDep, web: WebDep) -> Response:
    services = web.services
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
        titles=titles(services, [s.record_id for s in shelf_rows] + [p.record_id for p in pulls]),
        names=branch_names(services, page),
        today=services.clock.today(),
        **desk_context(services, page, who, branch),
    )
