"""End to end in Chromium at phone size (360 px wide), in each page language: a reader places
a hold from a record page (picked up at her library by default), cancels it through the
confirmation step, and renews all her loans; axe-core finds nothing serious or critical on
any page, and no page scrolls sideways (the English holds page did, over its pickup select).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.states import Availability
from shelfwise.search.models import Filters, SearchRequest
from shelfwise.services import Services
from shelfwise.web import i18n
from web.browser import Visit, first_in_default_tier
from web.test_e2e_opac import check_phone_page

PHONE = {"width": 360, "height": 780}
NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def on_shelf(services: Services, count: int, skip: set[int]) -> list[tuple[int, str, str]]:
    """Titles with a copy on the shelf that nobody holds: (record, barcode, branch code)."""
    codes = {b.id: b.code for b in services.catalogue.list_branches()}
    found: list[tuple[int, str, str]] = []
    for q in ("history", "历史", "역사", "经济", "science"):
        works = services.search.search(
            SearchRequest(q=q, filters=Filters(), size=40, facets=False)
        ).works
        for work in works:
            record = work.records[0].record_id
            if record in skip or any(r == record for r, _, _ in found):
                continue
            copies = services.circulation.record_status(record)
            shelf = [c for c in copies if c.availability is Availability.ON_SHELF]
            if len(copies) >= 2 and shelf:
                found.append((record, shelf[0].barcode, codes[shelf[0].home_branch_id]))
            if len(found) == count:
                return found
    raise AssertionError("the demo has too few titles on the shelf")


def no_sideways(visit: Visit) -> None:
    """No sideways scroll, and every tap target at least 44x44 (test_e2e_opac's probe)."""
    assert visit.page.evaluate(NO_SIDEWAYS), f"{visit.page.url} scrolls sideways at 360 px"
    check_phone_page(visit)


@pytest.mark.parametrize("language", first_in_default_tier(*i18n.PAGE_LANGUAGES))
def test_hold_cancel_and_renew_all_on_a_phone(
    browser: Any,
    base_url: str,
    screenshots: Path,
    demo_library: tuple[Services, list[str]],
    language: i18n.PageLanguage,
) -> None:
    services, cards = demo_library
    reader = services.readers.register(
        name=f"读者 {language}", category="adult", pin="1234"
    ).reader.card_number
    taken = {
        r for c in cards for r in (loan.record_id for loan in services.circulation.loans_of(c))
    }
    (to_hold, _, _), *lend = on_shelf(services, 3, taken)
    for _record, barcode, branch in lend:  # two fresh loans to renew
        services.circulation.checkout(reader, barcode, branch, actor=SYSTEM)
    services.readers.set_home_branch(reader, "NGQ")

    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    context.add_cookies([{"name": "sw_lang", "value": language, "url": base_url}])
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    try:
        visit.go(f"/login?next=/record/{to_hold}")
        assert page.locator("html").get_attribute("lang") == i18n.HTML_LANG[language]
        page.fill("#card", reader)
        page.fill("#secret", "1234")
        page.click("form.stack button[type=submit]")
        page.wait_for_url(f"**/record/{to_hold}")
        visit.axe()
        no_sideways(visit)
        # The pickup select starts at my library.
        assert page.locator("#pickup").input_value() == "NGQ"
        page.click(".hold button[type=submit]")
        page.wait_for_url("**/account/holds?placed=1")
        visit.axe()
        no_sideways(visit)
        hold = next(h for h in services.circulation.holds_of(reader) if h.record_id == to_hold)
        assert hold.status == "waiting"
        # About when: a copy is on the shelf, so within a few days.
        soon = i18n.catalogue().text("holds.estimate_soon", language)
        assert page.locator("p.wait").first.inner_text().strip() == soon
        visit.shot(f"account-holds-360-{language.lower()}")

        # Cancel: the link asks first; "keep" keeps it, "yes" cancels it.
        page.click(f"a[href='/account/holds/{hold.id}/cancel']")
        page.wait_for_url(f"**/account/holds/{hold.id}/cancel")
        visit.axe()
        no_sideways(visit)
        assert services.circulation.get_hold(hold.id, actor=SYSTEM).status == "waiting"
        page.click("form.confirm button[type=submit]")
        page.wait_for_url("**/account/holds?cancelled=1")
        visit.axe()
        expected = i18n.catalogue().text("holds.cancelled", language)
        assert page.locator("p.notice").inner_text() == expected
        assert services.circulation.get_hold(hold.id, actor=SYSTEM).status == "cancelled"

        # Renew all.
        visit.go("/account/loans")
        no_sideways(visit)
        before = {x.loan.barcode: x.loan.renewals for x in services.circulation.renewals_of(reader)}
        page.click("form[action='/account/loans/renew-all'] button")
        page.wait_for_url("**/account/loans?renewed_all=*")
        visit.axe()
        after = {x.loan.barcode: x.loan.renewals for x in services.circulation.renewals_of(reader)}
        assert all(after[b] == before[b] + 1 for _, b, _ in lend)
        assert page.locator("p.notice").count() == 1
        visit.shot(f"account-loans-renewed-phone-{language}")
    finally:
        context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")]
