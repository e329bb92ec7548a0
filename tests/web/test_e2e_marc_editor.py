"""End to end in Chromium at 1366×900, in Chinese and English (issue 20 done-when 1, the
cataloguing and administration parts): a cataloguer edits a record's title proper (245)
and adds an 856 link in the MARC editor, saves, and the reader's record page shows both
(the title, and the link under "Online" with rel=noopener);
an administrator adds a location to a branch and a closed day with the date picker.
axe-core finds no serious or critical violation on any page visited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from shelfwise.marc.description import Dialect
from shelfwise.services import Services
from shelfwise.testing.servers import live_server
from web.browser import Visit, first_in_default_tier, launch_chromium
from web.test_e2e_staff import DESKTOP

CATALOGUER, ADMIN, PASSWORD = "marc-e2e", "admin-e2e", "marc-e2e-password"


@pytest.fixture(scope="module")
def staff_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    services, _cards = demo_library
    services.access.create_staff(CATALOGUER, "编目员小王", PASSWORD, "cataloguer")
    services.access.create_staff(ADMIN, "Admin E2E", PASSWORD, "admin")
    with live_server(services) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as instance:
        yield instance


def _marc21_record(services: Services, skip: int) -> int:
    found = [
        m.id
        for m in services.catalogue.iter_masters(dialect=str(Dialect.MARC21))
        if services.catalogue.get_record(m.id).state == "active"
        and services.catalogue.get_marc(m.id).get("856") is None
    ]
    return found[skip]


def _sign_in(visit: Visit, path: str, username: str) -> None:
    visit.go(path)
    visit.page.fill("#username", username)
    visit.submit("#password", PASSWORD)


@pytest.mark.parametrize(
    ("locale", "lang"), first_in_default_tier(("zh-CN", "zh"), ("en-GB", "en"))
)
def test_edit_245_and_an_856_and_see_them_in_the_opac(
    chromium: Any,
    staff_url: str,
    demo_library: tuple[Services, list[str]],
    screenshots: Path,
    locale: str,
    lang: str,
) -> None:
    services, _cards = demo_library
    record_id = _marc21_record(services, 0 if lang == "zh" else 1)
    context = chromium.new_context(viewport=DESKTOP, locale=locale)
    visit = Visit(context.new_page(), staff_url, screenshots)
    page = visit.page
    _sign_in(visit, f"/staff/catalogue/records/{record_id}", CATALOGUER)
    assert page.url.endswith(f"/staff/catalogue/records/{record_id}")
    page.click(f"a[href='/staff/catalogue/records/{record_id}/marc']")
    page.wait_for_load_state()
    visit.axe()

    title = "新编北京史话" if lang == "zh" else "A new history of Beijing"
    row = page.locator("li.mf", has=page.locator("input[value='245']"))
    row.locator("input.val").first.fill(title)
    # A new field: its tag, then the Add button; the page comes back with it in place.
    page.fill("#new_tag", "856")
    page.click("button[value=add]")
    page.wait_for_load_state()
    visit.axe()
    link = page.locator("li.mf", has=page.locator("input[value='856']"))
    link.locator("input.ind").first.fill("4")
    link.locator("input.code").first.fill("u")
    link.locator("input.val").first.fill("https://example.org/beijing")
    page.locator(".marced-bar button[value=check]").first.click()
    page.wait_for_load_state()
    visit.axe()
    assert page.locator("ul.lint li.lint-error").count() == 0
    visit.shot(f"staff-marc-editor-{lang}")
    if lang == "en":
        visit.shot("staff-marc-editor-desktop")
    page.locator(".marced-bar button[value=save]").first.click()
    page.wait_for_load_state()
    visit.axe()
    assert "saved=" in page.url
    assert page.locator("p.notice").is_visible()
    assert "编目员小王" in page.locator("#versions-h + div").inner_text()

    visit.go(f"/record/{record_id}")
    assert title in page.locator("h1").inner_text()
    # The reader's record page lists the 856 (its host as the words: no $y was given),
    # a link that opens no window onto ours; the public catalogue's MARC carries it too.
    online = page.locator("section[aria-labelledby=links-h] a[href='https://example.org/beijing']")
    assert online.inner_text() == "example.org"
    assert "noopener" in (online.get_attribute("rel") or "").split()
    visit.axe()
    marc = page.request.get(f"{staff_url}/api/v1/records/{record_id}/marc")
    assert marc.ok
    assert "https://example.org/beijing" in marc.text()
    assert services.catalogue.get_record(record_id).title.startswith(title)
    assert not visit.errors, visit.errors
    context.close()


@pytest.mark.parametrize(
    ("locale", "lang"), first_in_default_tier(("zh-CN", "zh"), ("en-GB", "en"))
)
def test_add_a_location_and_a_closed_day(
    chromium: Any,
    staff_url: str,
    demo_library: tuple[Services, list[str]],
    screenshots: Path,
    locale: str,
    lang: str,
) -> None:
    services, _cards = demo_library
    context = chromium.new_context(viewport=DESKTOP, locale=locale)
    visit = Visit(context.new_page(), staff_url, screenshots)
    page = visit.page
    _sign_in(visit, "/staff/admin/branches", ADMIN)
    code = f"E2E-{lang.upper()}"
    page.fill("#loc-code-NGQ", code)
    page.fill("#loc-name-NGQ", "新书展示架" if lang == "zh" else "New books display")
    page.select_option("#loc-kind-NGQ", "stacks")
    page.locator("#branch-NGQ form button[type=submit]").click()
    page.wait_for_load_state()
    visit.axe()
    assert page.locator("p.notice").is_visible()
    assert code in page.locator("#branch-NGQ").inner_text()
    ngq = next(b for b in services.catalogue.list_branches() if b.code == "NGQ")
    assert any(
        loc.code == code and loc.branch_id == ngq.id for loc in services.catalogue.list_locations()
    )

    day = services.clock.now().date() + timedelta(days=40 if lang == "zh" else 41)
    visit.go("/staff/rules")
    page.fill("#add-day-NGQ", day.isoformat())  # the date picker's value
    page.locator("#cal-NGQ button[type=submit]").click()
    page.wait_for_load_state()
    visit.axe()
    assert page.locator("p.notice").is_visible()
    assert day in services.calendars.calendar("NGQ").closed_days
    assert isinstance(day, date)
    assert page.locator(f"#day-NGQ-{day.isoformat()}").is_checked()
    assert not visit.errors, visit.errors
    context.close()
