"""Seats, rooms and events for staff (issue 19): a branch's rooms with today's bookings per
room, the seat-map grid editor with a printable sheet of seat QR codes, the booking rules
(network-wide), the branch's events with a printable attendance list. Every change is the
spaces, rooms or events service's, which checks the branch again."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

import segno
from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from shelfwise.core.errors import ShelfwiseError
from shelfwise.events.models import NewEvent
from shelfwise.spaces import seatmap
from shelfwise.spaces.models import BookingRule
from shelfwise.spaces.rooms import grid_text
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.spaces_pages import seat_words
from shelfwise.web.staff.workplace import allowed_branches

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
Id = Annotated[int, Path(ge=1, le=2**62)]
BranchQuery = Annotated[str, Query(max_length=64)]
DONE = ("room", "rule", "event", "cancelled", "saved")


def _branch(web: Web, page: Page, asked: str) -> str:
    """The branch shown: the one asked for, else the first this account works at."""
    who = page.staff("circulation.desk")
    choices = allowed_branches(web.services, who, page.lang)
    code = asked or (choices[0][0] if choices else "")
    page.staff("circulation.desk", code)
    return code


@router.get("/staff/spaces")
def overview(
    page: PageDep, web: WebDep, branch: BranchQuery = "", done: BranchQuery = ""
) -> Response:
    """Today's bookings per room of the branch (seat, time, state: never who), its events."""
    code = _branch(web, page, branch)
    services, who = web.services, page.staff("circulation.desk", code)
    now = services.clock.now()
    rooms = [
        (r, services.rooms.day_bookings(r.id, now, actor=who)) for r in services.rooms.rooms(code)
    ]
    return web.render(
        page,
        "staff/spaces.html",
        branch=code,
        branches=allowed_branches(services, who, page.lang),
        rooms=rooms,
        events=services.events.upcoming(code, days=60),
        rules=services.rooms.rules(),
        editor=who.can("circulation.rules", code),
        network=who.can("circulation.rules") and not who.branches,
        notice=page.t("staff.spaces.done." + done) if done in DONE else "",
        error="",
        default_grid="SSSS.SSSS\nSSSS.SSSS",
    )


@router.post("/staff/spaces/rooms")
async def create_room(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    code = form_text(form, "branch")
    who = page.staff("circulation.rules", code)
    room = web.services.rooms.create_room(
        code,
        code=form_text(form, "code"),
        name=form_text(form, "name"),
        kind=form_text(form, "kind"),
        grid=str(form.get("grid") or ""),
        actor=who,
    )
    return web.redirect(f"/staff/spaces/rooms/{room.id}?done=room")


@router.get("/staff/spaces/rooms/{room_id}")
def room(room_id: Id, page: PageDep, web: WebDep, done: BranchQuery = "") -> Response:
    """The grid editor, the map as readers see it now, and the seats' QR codes to print."""
    services = web.services
    found, units = services.rooms.room(room_id)
    page.staff("circulation.rules", found.branch)
    lo, hi = services.rooms.now_window()
    live = services.rooms.seat_map(room_id, lo, hi)
    base = services.settings.web_public_url.rstrip("/") or str(page.request.base_url).rstrip("/")
    codes = [
        (
            u,
            Markup(  # segno writes the SVG
                segno.make(
                    f"{base}/spaces/s/{services.spaces.unit_token(u.id)}", error="m"
                ).svg_inline(scale=3, title=u.code)
            ),
        )
        for u in units
        if u.enabled
    ]
    door = f"{base}/spaces/door/{services.spaces.door_token(room_id)}"
    return web.render(
        page,
        "staff/space_room.html",
        room=found,
        grid=grid_text(found, units),
        svg=Markup(  # escaped by render
            seatmap.render(live, lambda s: "#", found.name, lambda s: seat_words(page, s))
        ),
        codes=codes,
        door_qr=Markup(segno.make(door, error="m").svg_inline(scale=3, title=found.name)),
        visits=services.spaces.visits(room_id, services.clock.now()),
        notice=page.t("staff.spaces.done." + done) if done in DONE else "",
    )


@router.post("/staff/spaces/rooms/{room_id}")
async def save_room(room_id: Id, page: PageDep, web: WebDep) -> Response:
    found, _ = web.services.rooms.room(room_id)
    who = page.staff("circulation.rules", found.branch)
    form = await page.request.form()
    web.services.rooms.update_room(
        room_id,
        name=form_text(form, "name") or found.name,
        kind=form_text(form, "kind") or found.kind,
        enabled=form_text(form, "enabled") != "no",
        grid=str(form.get("grid") or ""),
        actor=who,
    )
    return web.redirect(f"/staff/spaces/rooms/{room_id}?done=saved")


@router.post("/staff/spaces/rules")
async def set_rule(page: PageDep, web: WebDep) -> Response:
    """A booking rule of a reader category for every branch (an account bound to none)."""
    who = page.staff("circulation.rules")
    form = await page.request.form()
    try:
        rule = BookingRule(
            form_text(form, "category") or "*",
            int(form_text(form, "minutes_per_day") or "0"),
            int(form_text(form, "days_ahead") or "-1"),
            int(form_text(form, "at_once") or "0"),
        )
    except ValueError:
        raise ShelfwiseError("spaces.rule_invalid", detail="whole numbers") from None
    web.services.rooms.set_rule(rule, actor=who)
    return web.redirect("/staff/spaces?done=rule")


@router.post("/staff/events")
async def create_event(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    code = form_text(form, "branch")
    who = page.staff("circulation.rules", code)
    zone = web.services.clock.zone
    try:
        starts = datetime.fromisoformat(form_text(form, "starts_at")).replace(tzinfo=zone)
        minutes = int(form_text(form, "minutes") or "60")
        capacity = int(form_text(form, "capacity") or "0")
        room_id = int(form_text(form, "room_id")) if form_text(form, "room_id") else None
    except ValueError:
        raise ShelfwiseError("events.invalid", detail="a start, a length and a capacity") from None
    now = web.services.clock.now()
    new = NewEvent(
        branch=code,
        kind=form_text(form, "kind"),
        title=form_text(form, "title"),
        description=form_text(form, "description"),
        starts_at=starts,
        ends_at=starts + timedelta(minutes=minutes),
        capacity=capacity,
        registration_opens_at=min(now, starts - timedelta(minutes=1)),
        registration_closes_at=starts,
        room_id=room_id,
        audience=tuple(str(a) for a in form.getlist("audience")),
        languages=tuple(str(a) for a in form.getlist("languages")),
        story_ref=form_text(form, "story_ref") or None,
    )
    made = web.services.events.create(new, actor=who)
    return web.redirect(f"/staff/events/{made.id}?done=event")


@router.get("/staff/events/{event_id}")
def attendance(event_id: Id, page: PageDep, web: WebDep, done: BranchQuery = "") -> Response:
    """The printable attendance list: cards and names (audited, P7), then the waitlist."""
    services = web.services
    event = services.events.event(event_id)
    who = page.staff("circulation.desk", event.branch)
    listed = services.events.attendance(event_id, actor=who)
    for line in listed:
        services.access.audit(
            who,
            door="web",
            action="read",
            card_number=line.card_number,
            fields=("card_number", "name"),
        )
    return web.render(
        page,
        "staff/event_attendance.html",
        event=event,
        attendees=listed,
        editor=who.can("circulation.rules", event.branch),
        notice=page.t("staff.spaces.done." + done) if done in DONE else "",
    )


@router.post("/staff/events/{event_id}/cancel")
def cancel_event(event_id: Id, page: PageDep, web: WebDep) -> Response:
    event = web.services.events.event(event_id)
    who = page.staff("circulation.rules", event.branch)
    web.services.events.cancel_event(event_id, actor=who)
    return web.redirect(f"/staff/events/{event_id}?done=cancelled")
