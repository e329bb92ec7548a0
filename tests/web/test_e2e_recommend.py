"""End to end in Chromium at phone size (360 px wide), in each page language: a reader who
turned recommendations on opens "For you" and sees a suggestion with its reason ("because
you borrowed …", a link to the title); axe-core finds nothing serious or critical, and the
page does not scroll sideways. The README's screenshot of the section comes from here."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shelfwise.circulation.activity import BORROWED
from shelfwise.services import Services
from shelfwise.storage.outbox import Event
from shelfwise.web import i18n
from web.browser import Visit
from web.test_e2e_opac import check_phone_page

PHONE = {"width": 360, "height": 780}
NO_SIDEWAYS = "() => document.documentElement.scrollWidth <= document.documentElement.clientWidth"


def _borrowed(services: Services, card: str, records: list[int]) -> None:
    """A consenting reader's borrowings as circulation's event delivers them."""
    reader_id = services.readers.get(card).id
    for record in records:
        payload = {"reader_id": reader_id, "record_id": record, "day": "2026-08-20"}
        services.recommend.handle(Event(0, BORROWED, payload, 0))


def test_a_consenting_reader_sees_for_you_with_a_reason_on_a_phone(
    browser: Any, base_url: str, screenshots: Path, demo_library: tuple[Services, list[str]]
) -> None:
    services, _cards = demo_library
    first, second, *_ = services.catalogue.new_arrivals(10)
    for i in range(6):  # k = 5: six readers who borrowed both
        card = services.readers.register(name=f"推荐 {i}", category="adult").reader.card_number
        services.readers.set_consent(card, "recommendations", True)
        _borrowed(services, card, [first, second])
    me = services.readers.register(name="王小明", category="adult", pin="1234").reader
    services.readers.set_consent(me.card_number, "recommendations", True)
    _borrowed(services, me.card_number, [first])
    services.recommend.train()
    title = services.catalogue.get_record(first).title

    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True
    )
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    try:
        visit.go("/login?next=/account/suggestions")
        page.fill("#card", me.card_number)
        page.fill("#secret", "1234")
        page.click("form.stack button[type=submit]")
        page.wait_for_url("**/account/suggestions")
        for language in i18n.PAGE_LANGUAGES:
            context.add_cookies([{"name": "sw_lang", "value": language, "url": base_url}])
            visit.go("/account/suggestions")
            assert page.locator("html").get_attribute("lang") == i18n.HTML_LANG[language]
            why = page.locator("#foryou-h + ul .why").first
            because = i18n.catalogue().text("suggest.because", language)
            assert why.inner_text().startswith(because)
            assert why.locator("a").inner_text() == title
            assert why.locator("a").get_attribute("href") == f"/record/{first}"
            suggested = page.locator("#foryou-h + ul > li > a").first.get_attribute("href")
            assert suggested == f"/record/{second}"
            assert page.evaluate(NO_SIDEWAYS), f"{page.url} scrolls sideways at 360 px"
            check_phone_page(visit)
            visit.shot(f"account-suggestions-360-{language.lower()}")
    finally:
        context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")]
