"""Events for readers (issue 19): the calendar of the coming weeks, an event's page with
its register or cancel button, waitlist place and share card (its link as a QR code), the
door code that marks a reader present, and the iCalendar feeds per event and per branch."""

from __future__ import annotations

from itertools import groupby
from typing import Annotated
from urllib.parse import quote

import segno
from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from shelfwise.core.errors import ShelfwiseError
from shelfwise.events import ical
from shelfwise.events.models import LibraryEvent
from shelfwise.web.opac import branch_names
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
EventId = Annotated[int, Path(ge=1, le=2**62)]
Branch = Annotated[str, Path(max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]
DONE = ("registered", "waitlisted", "cancelled", "attended")
ICS = "text/calendar; charset=utf-8"


def _base(web: Web, page: Page) -> str:
    configured = web.services.settings.web_public_url.rstrip("/")
    return configured or str(page.request.base_url).rstrip("/")


def _host(web: Web, page: Page) -> str:
    return _base(web, page).split("://", 1)[-1].split("/", 1)[0]


@router.get("/events")
def calendar(
    page: PageDep, web: WebDep, branch: Annotated[str, Query(max_length=64)] = ""
) -> Response:
    """The coming events, by local day; a branch's own list and feed."""
    events = web.services.events.upcoming(branch or None, days=60)
    zone = web.services.clock.zone
    days = [
        (day, list(group))
        for day, group in groupby(events, key=lambda e: e.starts_at.astimezone(zone).date())
    ]
    return web.render(
        page,
        "events/calendar.html",
        days=days,
        branch=branch,
        names=branch_names(web, page),
    )


def _feed(web: Web, page: Page, events: list[LibraryEvent], name: str) -> Response:
    base = _base(web, page)
    body = ical.feed(
        events, name=name, link=lambda e: f"{base}/events/{e.id}", host=_host(web, page)
    )
    return Response(body, media_type=ICS, headers={"Content-Disposition": "inline"})


@router.get("/events/{event_id}.ics", response_class=Response)
def event_ics(event_id: EventId, page: PageDep, web: WebDep) -> Response:
    found = web.services.events.event(event_id)
    return _feed(web, page, [found], found.title)


@router.get("/events/branch/{code}.ics", response_class=Response)
def branch_ics(code: Branch, page: PageDep, web: WebDep) -> Response:
    names = branch_names(web, page)
    if code not in names:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    events = web.services.events.upcoming(code, days=365)
    return _feed(web, page, events, f"{web.library_names[page.lang]} · {names[code]}")


@router.get("/events/{event_id}")
def event(
    event_id: EventId,
    page: PageDep,
    web: WebDep,
    done: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    found = web.services.events.event(event_id)
    mine = None
    if page.principal is not None and page.principal.kind == "reader":
        mine = web.services.events.registration_of(event_id, str(page.principal.card_number))
    link = f"{_base(web, page)}/events/{event_id}"
    share = segno.make(link, error="m").svg_inline(scale=3, title=found.title)
    return web.render(
        page,
        "events/event.html",
        event=found,
        mine=mine,
        link=link,
        share_qr=Markup(share),  # segno writes the SVG
        names=branch_names(web, page),
        open_now=found.registration_opens_at
        <= web.services.clock.now()
        < found.registration_closes_at,
        notice=page.t("events.done." + done) if done in DONE else "",
    )


@router.post("/events/{event_id}/{action}")
def act(
    event_id: EventId,
    action: Annotated[str, Path(pattern="^(register|cancel)$")],
    page: PageDep,
    web: WebDep,
) -> Response:
    who = page.reader()
    card = str(who.card_number)
    events = web.services.events
    if action == "register":
        state = events.register(event_id, card, actor=who).state
    else:
        state = events.cancel(event_id, card, actor=who).state
    return web.redirect(f"/events/{event_id}?done={state}")


@router.get("/events/{event_id}/door/{code}")
def door(
    event_id: EventId, code: Annotated[str, Path(max_length=200)], page: PageDep, web: WebDep
) -> Response:
    """The event's door code: a button (a POST) that marks the signed-in reader present."""
    if page.principal is None or page.principal.kind != "reader":
        target = quote(f"/events/{event_id}/door/{code}", safe="")
        return web.redirect(f"/login?next={target}")
    return web.render(
        page, "events/door.html", event=web.services.events.event(event_id), code=code
    )


@router.post("/events/{event_id}/door/{code}")
def attend(
    event_id: EventId, code: Annotated[str, Path(max_length=200)], page: PageDep, web: WebDep
) -> Response:
    who = page.reader()
    web.services.events.attend(code, str(who.card_number), actor=who, event_id=event_id)
    return web.redirect(f"/events/{event_id}?done=attended")
