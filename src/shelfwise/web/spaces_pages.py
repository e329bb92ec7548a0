"""Seats for readers (issue 19), phone first: the rooms of each branch, a room's live
seat map (SVG drawn on the server; ``spaces.js`` refreshes it, the page works without),
booking a seat, my bookings with check-in, leave and release, the seat QR link, and
the door QR that counts an entry. Every action is the spaces service's."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from shelfwise.core.errors import ShelfwiseError
from shelfwise.spaces import seatmap
from shelfwise.spaces.models import SeatMap, SeatState
from shelfwise.web.opac import branch_names
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
Code = Annotated[str, Path(max_length=200)]
RoomId = Annotated[int, Path(ge=1, le=2**62)]
DONE = ("booked", "checked_in", "returned", "walk_in", "away", "released", "cancelled")


def _card(page: Page) -> str:
    return str(page.reader().card_number)


def _window(web: Web, day: str, start: str, slots: int) -> tuple[datetime, datetime]:
    """The time asked for in the library's zone (default: the current slot)."""
    minutes = web.services.spaces.policy.slot_minutes
    lo, _ = web.services.rooms.now_window()
    if day and start:
        try:
            local = datetime.combine(date.fromisoformat(day), time.fromisoformat(start))
            lo = local.replace(tzinfo=web.services.clock.zone)
        except ValueError:
            raise ShelfwiseError("request.invalid", detail="date and time") from None
    return lo, lo + timedelta(minutes=minutes * max(1, min(slots, 48)))


def _map_svg(page: Page, found: SeatMap) -> Markup:
    start = quote(found.starts_at.isoformat())
    end = quote(found.ends_at.isoformat())

    def link(seat: SeatState) -> str:
        return f"/spaces/book?unit={seat.unit.id}&starts_at={start}&ends_at={end}"

    label = page.t("spaces.map_label", room=found.room.name, free=found.free)
    return Markup(  # seatmap.render escapes every text
        seatmap.render(found, link, label, lambda seat: seat_words(page, seat))
    )


def seat_words(page: Page, seat: SeatState) -> str:
    """A seat as the map says it: code, state (not by colour alone) and features."""
    words = [seat.unit.code, page.t("spaces.legend." + seatmap.seat_class(seat))]
    words += [page.t("spaces.feature." + f) for f in seat.unit.features]
    return " · ".join(words)


@router.get("/spaces")
def rooms(page: PageDep, web: WebDep) -> Response:
    services = web.services
    lo, hi = services.rooms.now_window()
    listed = [
        (r, services.rooms.seat_map(r.id, lo, hi)) for r in services.rooms.rooms() if r.enabled
    ]
    return web.render(
        page, "spaces/rooms.html", rooms=listed, names=branch_names(web, page), starts=lo, ends=hi
    )


@router.get("/spaces/rooms/{room_id}")
def room(
    room_id: RoomId,
    page: PageDep,
    web: WebDep,
    day: Annotated[str, Query(max_length=10)] = "",
    start: Annotated[str, Query(max_length=5)] = "",
    slots: Annotated[int, Query(ge=1, le=48)] = 2,
) -> Response:
    """The live seat map for a time (default now), free seats linking to their booking."""
    lo, hi = _window(web, day, start, slots)
    card = (
        page.principal.card_number if page.principal and page.principal.kind == "reader" else None
    )
    found = web.services.rooms.seat_map(room_id, lo, hi, card)
    local = lo.astimezone(web.services.clock.zone)
    minutes = web.services.spaces.policy.slot_minutes
    return web.render(
        page,
        "spaces/room.html",
        seatmap=found,
        svg=_map_svg(page, found),
        names=branch_names(web, page),
        day=local.date().isoformat(),
        start=local.strftime("%H:%M"),
        slots=slots,
        times=[f"{m // 60:02d}:{m % 60:02d}" for m in range(0, 1440, minutes)],
        slot_minutes=minutes,
    )


@router.get("/spaces/book")
def book_form(
    page: PageDep,
    web: WebDep,
    unit: Annotated[int, Query(ge=1, le=2**62)],
    starts_at: Annotated[datetime, Query()],
    ends_at: Annotated[datetime, Query()],
) -> Response:
    _card(page)
    room_id = web.services.spaces.place_of(unit)
    return web.render(
        page, "spaces/book.html", place=room_id, starts_at=starts_at, ends_at=ends_at, error=""
    )


@router.post("/spaces/book")
async def book(page: PageDep, web: WebDep) -> Response:
    card = _card(page)
    form = await page.request.form()
    try:
        unit = int(form_text(form, "unit"))
        starts_at = datetime.fromisoformat(form_text(form, "starts_at"))
        ends_at = datetime.fromisoformat(form_text(form, "ends_at"))
    except ValueError:
        raise ShelfwiseError("request.invalid", detail="unit, starts_at, ends_at") from None
    try:
        web.services.spaces.book(card, unit, starts_at, ends_at, actor=page.reader())
    except ShelfwiseError as exc:
        place = web.services.spaces.place_of(unit)
        return web.render(
            page,
            "spaces/book.html",
            status=exc.status,
            place=place,
            starts_at=starts_at,
            ends_at=ends_at,
            error=page.error(exc),
        )
    return web.redirect("/spaces/mine?done=booked")


@router.get("/spaces/mine")
def mine(page: PageDep, web: WebDep, done: Annotated[str, Query(max_length=20)] = "") -> Response:
    card = _card(page)
    spaces = web.services.spaces
    now = web.services.clock.now()
    held = spaces.bookings_of(card, actor=page.reader(), days=7)
    return web.render(
        page,
        "spaces/mine.html",
        live=[b for b in held if b.active],
        past=[b for b in reversed(held) if not b.active][:10],
        suspension=spaces.suspension(card),
        notice=page.t("spaces.done." + done) if done in DONE else "",
        now=now,
        grace=timedelta(minutes=spaces.policy.grace_minutes),
        tokens={b.unit_id: spaces.unit_token(b.unit_id) for b in held if b.active},
    )


@router.post("/spaces/bookings/{booking_id}/{action}")
def booking_action(
    booking_id: RoomId,
    action: Annotated[str, Path(pattern="^(leave|release)$")],
    page: PageDep,
    web: WebDep,
) -> Response:
    who = page.reader()
    if action == "leave":
        web.services.spaces.step_away(booking_id, actor=who)
        return web.redirect("/spaces/mine?done=away")
    state = web.services.spaces.release(booking_id, actor=who).state
    return web.redirect(f"/spaces/mine?done={state}")


@router.get("/spaces/s/{code}")
def seat_link(code: Code, page: PageDep, web: WebDep) -> Response:
    """Where a seat's QR code leads: the seat and one button (a POST, so that a link
    preview never checks anyone in). Signed out: to the login and back."""
    if page.principal is None or page.principal.kind != "reader":
        return web.redirect(f"/login?next={quote('/spaces/s/' + code, safe='')}")
    unit_id, _ = web.services.spaces.signer.read("unit", code)
    place = web.services.spaces.place_of(unit_id)
    return web.render(page, "spaces/scan.html", place=place, code=code)


@router.post("/spaces/s/{code}")
def scan(code: Code, page: PageDep, web: WebDep) -> Response:
    done = web.services.spaces.scan(code, _card(page), actor=page.reader())
    return web.redirect(f"/spaces/mine?done={done.outcome}")


@router.get("/spaces/door/{code}")
def door(code: Code, page: PageDep, web: WebDep) -> Response:
    """A room's door code: one entry in the hour's count (nobody named), and a welcome."""
    room_id = web.services.spaces.count_entry(code)
    found = web.services.spaces.room(room_id)
    return web.render(page, "spaces/door.html", room=found)
