"""End to end in Chromium (issue 19): on a phone (360x780) in Chinese, Korean and English a
reader books a seat on the live map, checks in by opening the seat's QR link and releases
the seat; registers for a full event, is waitlisted and is promoted when the reader holding
the place cancels. A librarian at a desktop sees today's bookings per room. axe-core finds
nothing serious or critical on any page, and no phone page scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from shelfwise.circulation.scope import SYSTEM
from shelfwise.events.models import NewEvent
from shelfwise.services import Services
from shelfwise.spaces.models import Room
from shelfwise.testing.servers import live_server
from shelfwise.web import i18n
from web.browser import Visit, first_in_default_tier

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}
NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
LANGUAGES: tuple[i18n.PageLanguage, ...] = ("zh", "ko", "en")
# Each language books its own seat of the demo reading room, so a failed run of one
# leaves the others' seats free.
SEAT = {"zh": "A2", "ko": "B3", "en": "C4"}
TITLE = {"zh": "古籍修复体验课", "ko": "그림책 함께 읽기", "en": "Evening talk: maps of the city"}
STAFF_USER, STAFF_PASSWORD = "spaces-e2e", "spaces-e2e-password"


@pytest.fixture(scope="module")
def base_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    services, _cards = demo_library
    services.access.create_staff(STAFF_USER, "Spaces E2E", STAFF_PASSWORD, "desk", ("CEN",))
    with live_server(services) as url:
        yield url


def reading_room(services: Services) -> Room:
    return next(r for r in services.rooms.rooms("CEN") if r.code == "R1")


def text(key: str, language: i18n.PageLanguage, **params: object) -> str:
    return i18n.catalogue().format(key, language, params)


def phone(browser: Any, base_url: str, screenshots: Path, language: str) -> tuple[Any, Visit]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    context.add_cookies([{"name": "sw_lang", "value": language, "url": base_url}])
    return context, Visit(context.new_page(), base_url, screenshots)


def sign_in(visit: Visit, card: str, pin: str, next_path: str) -> None:
    page = visit.page
    visit.go(f"/login?next={next_path}")
    page.fill("#card", card)
    page.fill("#secret", pin)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(f"**{next_path}")


def no_sideways(visit: Visit) -> None:
    assert visit.page.evaluate(NO_SIDEWAYS), f"{visit.page.url} scrolls sideways at 360 px"


@pytest.mark.parametrize("language", first_in_default_tier(*LANGUAGES))
def test_book_check_in_by_the_qr_link_and_release_on_a_phone(
    browser: Any,
    base_url: str,
    screenshots: Path,
    demo_library: tuple[Services, list[str]],
    language: i18n.PageLanguage,
) -> None:
    services, _cards = demo_library
    card = services.readers.register(
        name=f"座位 {language}", category="adult", pin="2468"
    ).reader.card_number
    room = reading_room(services)
    seat = next(u for u in services.rooms.room(room.id)[1] if u.code == SEAT[language])
    context, visit = phone(browser, base_url, screenshots, language)
    page = visit.page
    try:
        sign_in(visit, card, "2468", "/spaces")
        assert page.locator("html").get_attribute("lang") == i18n.HTML_LANG[language]
        no_sideways(visit)
        page.click(f"a[href='/spaces/rooms/{room.id}']")
        page.wait_for_url(f"**/spaces/rooms/{room.id}")
        visit.axe()
        no_sideways(visit)
        free = page.locator(f"svg.seatmap a.seat.free[href*='unit={seat.id}&']")
        assert free.count() == 1, f"{seat.code} is not free on the map"
        if language in ("zh", "ko"):
            visit.shot(f"spaces-seatmap-phone-{language}")
        free.click()
        page.wait_for_url("**/spaces/book?*")
        visit.axe()
        no_sideways(visit)
        assert seat.code in page.locator("h1").inner_text()
        page.click("form[action='/spaces/book'] button[type=submit]")
        page.wait_for_url("**/spaces/mine?done=booked")
        visit.axe()
        no_sideways(visit)
        assert page.locator("p.notice.ok").inner_text() == text("spaces.done.booked", language)
        (booking,) = [b for b in services.spaces.bookings_of(card, actor=SYSTEM) if b.active]
        assert (booking.unit_id, booking.state) == (seat.id, "booked")
        # The map shows the seat as mine now.
        visit.go(f"/spaces/rooms/{room.id}")
        assert page.locator("svg.seatmap g.seat.mine").count() == 1

        # Scanning the seat's QR code opens its link: one press checks in.
        visit.go(f"/spaces/s/{services.spaces.unit_token(seat.id)}")
        no_sideways(visit)
        page.click("form[action^='/spaces/s/'] button[type=submit]")
        page.wait_for_url("**/spaces/mine?done=checked_in")
        visit.axe()
        assert page.locator("p.notice.ok").inner_text() == text("spaces.done.checked_in", language)
        assert services.spaces.bookings_of(card, actor=SYSTEM)[0].state == "checked_in"

        page.click(f"form[action='/spaces/bookings/{booking.id}/release'] button")
        page.wait_for_url("**/spaces/mine?done=released")
        visit.axe()
        no_sideways(visit)
        assert page.locator("p.notice.ok").inner_text() == text("spaces.done.released", language)
        assert services.spaces.bookings_of(card, actor=SYSTEM)[0].state == "released"
        lo, hi = services.rooms.now_window()
        state = next(
            s for s in services.rooms.seat_map(room.id, lo, hi).seats if s.unit.id == seat.id
        )
        assert not state.taken, "the released seat is free for others at once"
    finally:
        context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")]


@pytest.mark.parametrize("language", first_in_default_tier(*LANGUAGES))
def test_register_waitlisted_and_promoted_on_a_phone(
    browser: Any,
    base_url: str,
    screenshots: Path,
    demo_library: tuple[Services, list[str]],
    language: i18n.PageLanguage,
) -> None:
    services, _cards = demo_library
    now = services.clock.now()
    starts = now + timedelta(days=2)
    event = services.events.create(
        NewEvent(
            branch="CEN",
            kind="lecture",
            title=TITLE[language],
            description="",
            starts_at=starts,
            ends_at=starts + timedelta(hours=1),
            capacity=1,
            registration_opens_at=now - timedelta(hours=1),
            registration_closes_at=starts,
            audience=("adults",),
            languages=(language,),
        ),
        actor=SYSTEM,
    )
    first = services.readers.register(name="先到", category="adult").reader.card_number
    assert services.events.register(event.id, first, actor=SYSTEM).state == "registered"
    card = services.readers.register(
        name=f"活动 {language}", category="adult", pin="1357"
    ).reader.card_number
    context, visit = phone(browser, base_url, screenshots, language)
    page = visit.page
    try:
        visit.go("/events")
        no_sideways(visit)
        assert page.locator(f"a[href='/events/{event.id}']").count() == 1
        sign_in(visit, card, "1357", f"/events/{event.id}")
        visit.axe()
        no_sideways(visit)
        register = page.locator(f"form[action='/events/{event.id}/register'] button")
        assert register.inner_text() == text("events.join_waitlist", language)
        register.click()
        page.wait_for_url(f"**/events/{event.id}?done=waitlisted")
        visit.axe()
        no_sideways(visit)
        assert page.locator("p.notice.ok").inner_text() == text("events.done.waitlisted", language)
        waiting = text("events.you_waiting", language, n=1)
        assert page.locator(".register .chip").inner_text() == waiting
        mine = services.events.registration_of(event.id, card)
        assert mine is not None
        assert (mine.state, mine.waitlist_position) == ("waitlisted", 1)

        # The reader holding the place cancels: the first waiting reader is promoted.
        services.events.cancel(event.id, first, actor=SYSTEM)
        visit.go(f"/events/{event.id}")
        no_sideways(visit)
        assert page.locator(".register .chip").inner_text() == text(
            "events.you_registered", language
        )
        mine = services.events.registration_of(event.id, card)
        assert mine is not None
        assert mine.state == "registered"
        if language == "en":
            visit.shot("event-phone-en")
    finally:
        context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")]


def test_todays_bookings_per_room_for_staff_at_a_desktop(
    browser: Any,
    base_url: str,
    screenshots: Path,
    demo_library: tuple[Services, list[str]],
) -> None:
    services, _cards = demo_library
    room = reading_room(services)
    units = {u.code: u.id for u in services.rooms.room(room.id)[1]}
    lo, _ = services.rooms.now_window()
    slot = timedelta(minutes=services.spaces.policy.slot_minutes)
    booked = []
    for code, offset, length in (("A5", 0, 2), ("B1", 1, 3), ("C6", 2, 4)):
        reader = services.readers.register(name=f"隐名 {code}", category="adult")
        card = reader.reader.card_number
        starts = lo + slot * offset
        services.spaces.book(card, units[code], starts, starts + slot * length, actor=SYSTEM)
        booked.append((code, card))
    checked_in = services.spaces.scan(
        services.spaces.unit_token(units["A5"]), booked[0][1], actor=SYSTEM
    )
    assert checked_in.outcome == "checked_in"

    context = browser.new_context(viewport=DESKTOP, locale="zh-CN")
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    try:
        visit.go("/staff/")
        page.fill("#username", STAFF_USER)
        visit.submit("#password", STAFF_PASSWORD)
        visit.go("/staff/spaces?branch=CEN")
        table = page.locator(f"[role=region][aria-label='{room.name}'] tbody")
        rows = table.locator("tr").all_inner_texts()
        for code, _card in booked:
            assert any(r.startswith(code) for r in rows), (code, rows)
        a5 = next(r for r in rows if r.startswith("A5"))
        assert text("spaces.state.checked_in", "zh") in a5
        # Today's list says seat, time and state, never who.
        body = page.locator("main").inner_text()
        assert not any(card in body for _code, card in booked)
        assert "隐名" not in body
        visit.shot("staff-spaces-today-desktop")
    finally:
        context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")]
