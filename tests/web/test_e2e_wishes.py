"""End to end in Chromium (issue 18), in Chinese, Korean and English: on a phone (360x780) a
reader whose search found nothing posts a book wish from the zero-results page (signing in
on the way, the title prefilled), a second reader supports it; at a desktop a librarian
accepts it on the moderation page, orders it in two clicks (the wish's order link, then
the form's button, vendor and fund preselected) and receives the copy by scanning its order
line; the outbox worker runs (here the test drains it) and the first reader's account shows
the hold ready with its pickup code. axe-core finds nothing serious or critical on any page,
and no phone page scrolls sideways.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shelfwise.circulation.scope import SYSTEM
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.testing.servers import live_server
from shelfwise.web import i18n
from shelfwise.wishes.models import WishStatus
from web.browser import Visit, first_in_default_tier

PHONE = {"width": 360, "height": 780}
DESKTOP = {"width": 1366, "height": 900}
NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"
LANGUAGES: tuple[i18n.PageLanguage, ...] = ("zh", "ko", "en")
# A title the demo catalogue does not have, one per language (each run wishes its own).
WISHED = {
    "zh": "量子花园里的猫",
    "ko": "달빛 도서관의 고양이",
    "en": "The cartographer of tides",
}
NAME = {"zh": "爱读书的鲸", "ko": "책 읽는 고래", "en": "Reading whale"}
STAFF_USER, STAFF_PASSWORD = "wishes-e2e", "wishes-e2e-password"


@pytest.fixture(scope="module")
def base_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    services, _cards = demo_library
    services.access.create_staff(STAFF_USER, "Wishes E2E", STAFF_PASSWORD, "admin")
    acq = services.acquisitions
    acq.save_vendor("XH", "新华书店", actor=SYSTEM)
    year = services.clock.today().year
    acq.save_fund("BOOKS", year, "CEN", "中文图书", 2_000_000, actor=SYSTEM)
    with live_server(services) as url:
        yield url


def text(key: str, language: i18n.PageLanguage, **params: object) -> str:
    return i18n.catalogue().format(key, language, params)


def context_for(browser: Any, base_url: str, language: str, *, phone: bool) -> Any:
    if phone:
        context = browser.new_context(
            viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
        )
    else:
        context = browser.new_context(viewport=DESKTOP, device_scale_factor=1)
    context.add_cookies([{"name": "sw_lang", "value": language, "url": base_url}])
    return context


def sign_in(visit: Visit, card: str, pin: str) -> None:
    """On the reader login page: card, PIN, and back where the page came from."""
    page = visit.page
    page.fill("#card", card)
    page.fill("#secret", pin)
    page.click("form.stack button[type=submit]")
    page.wait_for_load_state()


def no_sideways(visit: Visit) -> None:
    assert visit.page.evaluate(NO_SIDEWAYS), f"{visit.page.url} scrolls sideways at 360 px"


def deliver(services: Services) -> None:
    """What the outbox worker does in a running library."""
    relay = Runtime(services, follow_search=False).outbox_relay()
    relay.drain()
    relay.drain()  # the notices and the hold trap the first round wrote


@pytest.mark.parametrize("language", first_in_default_tier(*LANGUAGES))
def test_a_wish_from_an_empty_search_arrives_as_a_hold(
    browser: Any,
    base_url: str,
    screenshots: Path,
    demo_library: tuple[Services, list[str]],
    language: i18n.PageLanguage,
) -> None:
    services, _cards = demo_library
    wisher = services.readers.register(
        name=f"心愿 {language}", category="adult", pin="1470"
    ).reader.card_number
    fan = services.readers.register(
        name=f"支持 {language}", category="adult", pin="2580"
    ).reader.card_number
    title = WISHED[language]
    errors: list[str] = []

    # --- the wisher, on a phone ---------------------------------------------------------
    context = context_for(browser, base_url, language, phone=True)
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    try:
        visit.go(f"/search?q={title}")
        assert page.locator("html").get_attribute("lang") == i18n.HTML_LANG[language]
        no_sideways(visit)
        page.click("a[href^='/wishes/new?q=']")
        page.wait_for_url("**/wishes/new?q=*")
        visit.axe()
        no_sideways(visit)
        page.click("a[href^='/login?next=']")  # sign in first, then back to the form
        page.wait_for_url("**/login?*")
        sign_in(visit, wisher, "1470")
        page.wait_for_url("**/wishes/new?q=*")
        visit.axe()
        no_sideways(visit)
        assert page.locator("form.wishform input[name=title]").input_value() == title
        page.fill("form.wishform input[name=display_name]", NAME[language])
        page.select_option("form.wishform select[name=branch]", "CEN")
        page.click("form.wishform button[type=submit]")
        page.wait_for_url("**/wishes/*?done=posted")
        visit.axe()
        no_sideways(visit)
        assert page.locator("p.notice.ok").inner_text() == text("wishes.done.posted", language)
        wish_path = page.url.split("?")[0].removeprefix(base_url)
        wish_id = int(wish_path.rsplit("/", 1)[1])
        assert services.wishes.get(wish_id).title == title
    finally:
        errors += visit.errors
        context.close()

    # --- a second reader supports it, on a phone ---------------------------------------
    context = context_for(browser, base_url, language, phone=True)
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    try:
        visit.go(f"/login?next={wish_path}")
        sign_in(visit, fan, "2580")
        page.wait_for_url(f"**{wish_path}")
        visit.axe()
        page.click(f"form[action='{wish_path}/support'] button[type=submit]")
        page.wait_for_url(f"**{wish_path}?done=supported")
        visit.axe()
        no_sideways(visit)
        assert page.locator(".metoo").inner_text().strip() == text(
            "wishes.supporters", language, n=1
        )
        visit.go("/wishes?order=supported")
        no_sideways(visit)
        assert page.locator(f"a[href='{wish_path}']").count() >= 1
        if language in ("zh", "ko"):
            visit.shot(f"wishes-wall-phone-{language}")
    finally:
        errors += visit.errors
        context.close()
    assert services.wishes.get(wish_id).supporters == 1

    # --- a librarian accepts it, orders it in two clicks and receives it, at a desk -----
    context = context_for(browser, base_url, language, phone=False)
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    try:
        visit.go("/staff/login")
        page.fill("#username", STAFF_USER)
        visit.submit("#password", STAFF_PASSWORD)
        visit.go("/staff/wishes?branch=CEN")
        page.click(f"button[formaction='/staff/wishes/{wish_id}/accept']")
        page.wait_for_url("**/staff/wishes?branch=CEN&done=1")
        visit.axe()
        assert services.wishes.get(wish_id).status is WishStatus.ACCEPTED
        if language == "en":
            visit.shot("staff-wishes-desktop-en")
        page.click(f"a[href='/staff/acquisitions/order?wish={wish_id}']")  # click one
        page.wait_for_url(f"**/staff/acquisitions/order?wish={wish_id}")
        visit.axe()
        assert page.locator("#o-vendor").input_value() == "XH"
        assert page.locator("#o-fund").input_value() == "BOOKS"
        if language == "en":
            visit.shot("staff-wish-order-desktop-en")
        page.click("#order-form button[type=submit]")  # click two
        page.wait_for_url("**/staff/acquisitions?branch=CEN&ordered=*")
        visit.axe()
        deliver(services)
        assert services.wishes.get(wish_id).status is WishStatus.ORDERED
        line = next(
            ln
            for order in services.acquisitions.orders()
            for ln in order.lines
            if ln.wish_id == wish_id
        )
        visit.go("/staff/acquisitions/receive?branch=CEN")
        assert page.locator("#scanned").evaluate("e => e === document.activeElement")
        visit.submit("#scanned", f"L{line.id}")  # the order line's number, scanned
        page.wait_for_url("**/staff/acquisitions/receive?branch=CEN&got=*")
        visit.axe()
        shelved = text("staff.acq.lifecycle.in_service", language)
        assert page.locator(".result .lifecycle").inner_text() == shelved
    finally:
        errors += visit.errors
        context.close()
    deliver(services)

    # --- the wisher sees the hold ready ---------------------------------------------------
    record_id = services.wishes.get(wish_id).record_id
    (hold,) = [h for h in services.circulation.holds_of(wisher) if h.record_id == record_id]
    assert str(hold.status) == "ready"
    assert hold.pickup_code
    assert services.circulation.holds_of(fan) == []  # "me too" without "hold it for me"
    context = context_for(browser, base_url, language, phone=True)
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    try:
        visit.go("/login?next=/account/holds")
        sign_in(visit, wisher, "1470")
        page.wait_for_url("**/account/holds")
        visit.axe()
        no_sideways(visit)
        held = page.locator("main").inner_text()
        assert title in held
        assert hold.pickup_code in held
        visit.go(wish_path)
        assert page.locator(".state").inner_text() == text("wishes.state.fulfilled", language)
    finally:
        errors += visit.errors
        context.close()
    assert not [e for e in errors if not e.startswith("Failed to load resource")]
