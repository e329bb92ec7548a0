"""End to end in Chromium at 1366×900, in Chinese and English (issue 20 done-when 1, the
parts built): a librarian finds a reader by a pinyin name and by phone from the one search
box, opens the desk and checks out to a reader with an overdue loan while the warning is
shown (this library warns rather than blocks). axe-core finds no serious or critical
violation on any page visited."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.testing.servers import live_server
from web.browser import Visit, first_in_default_tier, launch_chromium
from web.test_e2e_staff import DESKTOP, _free_copies

USERNAME, PASSWORD = "find-e2e", "find-e2e-password"


@pytest.fixture(scope="module")
def staff_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    services, _cards = demo_library
    services.access.create_staff(USERNAME, "Find E2E", PASSWORD, "desk", ("CEN",))
    # This library lends to a reader with an overdue loan and warns instead.
    lenient = dataclasses.replace(services.circulation.policy, overdue_blocks=False)
    services.circulation.policy = lenient
    with live_server(services) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as instance:
        yield instance


@pytest.mark.parametrize(
    ("locale", "lang"), first_in_default_tier(("zh-CN", "zh"), ("en-GB", "en"))
)
def test_find_a_reader_and_lend_with_the_warning_shown(
    chromium: Any,
    staff_url: str,
    demo_library: tuple[Services, list[str]],
    screenshots: Path,
    locale: str,
    lang: str,
) -> None:
    services, _cards = demo_library
    assert isinstance(services.clock, FrozenClock)
    phone = "1370000" + ("1111" if lang == "zh" else "2222")
    name = "欧阳明月" if lang == "zh" else "欧阳晓"
    card = services.readers.register(name=name, category="adult", phone=phone).reader.card_number
    first, second = _free_copies(services, "CEN", 2)
    services.circulation.checkout(card, first, "CEN", actor=SYSTEM)
    services.clock.advance(timedelta(days=60))  # the first loan is overdue now

    context = chromium.new_context(viewport=DESKTOP, locale=locale)
    visit = Visit(context.new_page(), staff_url, screenshots)
    page = visit.page
    visit.go("/staff/")
    page.fill("#username", USERNAME)
    visit.submit("#password", PASSWORD)
    assert page.url.endswith("/staff")
    pinyin = "ouyangmingyue" if lang == "zh" else "ouyangxiao"
    visit.submit("#staff-q", pinyin)
    assert name in page.locator("#readers-h + ul").inner_text()
    visit.submit("#staff-q", phone[:9])
    found = page.locator("#readers-h + ul")
    assert name in found.inner_text()
    visit.shot(f"staff-find-{lang}")
    found.locator("a").first.click()
    page.wait_for_load_state()
    visit.axe()
    assert card in page.locator("section.reader h2").inner_text()
    warning = page.locator("div.warn[role=alert]")
    assert warning.is_visible()
    assert "1" in warning.inner_text()
    visit.submit("#barcode", second)
    assert second in page.locator("p.notice").inner_text()
    assert page.locator("div.warn[role=alert]").is_visible()  # still said, after the loan
    visit.shot(f"staff-desk-warnings-{lang}")
    assert not visit.errors, visit.errors
    context.close()


@pytest.mark.parametrize(
    ("locale", "lang"), first_in_default_tier(("zh-CN", "zh"), ("en-GB", "en"))
)
def test_a_run_of_checkins_with_a_transit_and_a_hold_trap_in_the_session_list(
    chromium: Any,
    staff_url: str,
    demo_library: tuple[Services, list[str]],
    screenshots: Path,
    locale: str,
    lang: str,
) -> None:
    services, _cards = demo_library
    circ = services.circulation
    lender = services.readers.register(name=f"还书{lang}", category="adult").reader.card_number
    waiting = services.readers.register(name=f"等书{lang}", category="adult").reader.card_number
    away = _free_copies(services, "NGQ", 1)[0]
    plain, trapped = _free_copies(services, "CEN", 2)
    circ.checkout(lender, away, "NGQ", actor=SYSTEM)
    circ.checkout(lender, plain, "CEN", actor=SYSTEM)
    circ.checkout(lender, trapped, "CEN", actor=SYSTEM)
    circ.place_hold(waiting, services.catalogue.get_item(trapped).record_id, "CEN", actor=SYSTEM)

    context = chromium.new_context(viewport=DESKTOP, locale=locale)
    visit = Visit(context.new_page(), staff_url, screenshots)
    page = visit.page
    visit.go("/staff/checkin")
    page.fill("#username", USERNAME)
    visit.submit("#password", PASSWORD)
    for barcode in (plain, away, trapped):
        visit.submit("#barcode", barcode)
        assert visit.focused() == "barcode"
    rows = page.locator("section.session tbody tr")
    assert rows.count() == 3
    assert [rows.nth(k).locator("td").first.inner_text() for k in range(3)] == [
        trapped,
        away,
        plain,
    ]
    assert page.locator("section.session tr.alerted").count() == 2  # the trap, the transit
    assert page.locator("section.result[data-alert]").count() == 1
    page.evaluate("document.getElementById('session-h').scrollIntoView()")
    visit.shot(f"staff-checkin-session-{lang}")
    assert not visit.errors, visit.errors
    context.close()
