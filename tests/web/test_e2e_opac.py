"""The catalogue on a 360 px phone in all four page languages (Chromium + axe-core):
search with filters kept across a language switch, a record with copies at several
branches, zero results that help, a branch page. On every page: no serious or critical
axe violation, every tap target at least 44x44 CSS px, nothing scrolls sideways."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

from shelfwise.services import Services
from web.browser import Visit, first_in_default_tier

PHONE = {"width": 360, "height": 780}
# (browser locale, <html lang>, the name in the language menu, a word to search)
LANGUAGES = [
    ("zh-CN", "zh-Hans", "简体中文", "历史"),
    ("zh-TW", "zh-Hant", "繁體中文", "歷史"),
    ("ko-KR", "ko", "한국어", "역사"),
    ("en-GB", "en", "English", "history"),
]

# Every visible thing a finger can press, with its size; the skip link counts once shown.
_TARGETS = """() => [...document.querySelectorAll(
    'a[href], button, input:not([type=hidden]), select, textarea, summary')]
  .filter(e => { const r = e.getBoundingClientRect();
                 return r.width > 0 && r.height > 0 && r.right > 0 && e.checkVisibility(); })
  .map(e => { const r = e.getBoundingClientRect();
              return {what: e.outerHTML.slice(0, 90), w: r.width, h: r.height}; })"""


def check_phone_page(visit: Visit) -> None:
    """axe already ran (Visit.go); then the sizes a thumb needs and the page's width."""
    page = visit.page
    targets = page.evaluate(_TARGETS)
    assert len(targets) > 5, f"no tap targets found on {page.url}"  # the probe sees the page
    small = [t for t in targets if t["w"] < 43.5 or t["h"] < 43.5]
    assert not small, f"tap targets under 44x44 on {page.url}: {small[:5]}"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px"


def a_record_at_several_branches(services: Services) -> int:
    return next(
        r
        for r in range(1, 400)
        if len({i.home_branch_id for i in services.catalogue.items_of(r)}) >= 3
    )


@pytest.mark.parametrize(("locale", "html_lang", "name", "word"), first_in_default_tier(*LANGUAGES))
def test_catalogue_on_a_phone(
    browser: Any,
    base_url: str,
    screenshots: Path,
    demo_library: tuple[Services, list[str]],
    locale: str,
    html_lang: str,
    name: str,
    word: str,
) -> None:
    services, _cards = demo_library
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale=locale
    )
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    tag = html_lang.lower()
    visit.go("/")
    assert page.locator("html").get_attribute("lang") == html_lang
    check_phone_page(visit)
    visit.shot(f"opac-home-360-{tag}")

    # Search, then narrow by the first facet the drawer offers: a chip shows it.
    page.fill("#q", word)
    page.press("#q", "Enter")
    page.wait_for_load_state()
    visit.axe()
    check_phone_page(visit)
    page.click("summary#facets-h")  # the drawer opens on a tap
    check_phone_page(visit)  # the facets' own links too
    page.locator(".facet a").first.click()
    page.wait_for_load_state()
    visit.axe()
    assert page.locator("ul.applied li").count() >= 1
    chosen = parse_qsl(urlsplit(page.url).query)
    count = page.locator("h1.count .n").inner_text()
    hits = page.locator("ol.hits > li").count()
    assert hits > 0
    visit.shot(f"opac-results-360-{tag}")

    # Another language: the same search, the same filters, the same number of results.
    other = "English" if name != "English" else "한국어"
    page.click("details.prefs summary")
    page.click(f"ul.langs a:text-is('{other}')")
    page.wait_for_load_state()
    visit.axe()
    assert parse_qsl(urlsplit(page.url).query) == chosen
    assert page.locator("ul.applied li").count() >= 1
    assert page.locator("ol.hits > li").count() == hits
    digits = "".join(c for c in count if c.isdigit())
    assert digits in page.locator("h1.count .n").inner_text()
    page.click("details.prefs summary")  # and back
    page.click(f"ul.langs a:text-is('{name}')")
    page.wait_for_load_state()

    # A record held at several branches: one group per branch, each copy with its shelf.
    record = a_record_at_several_branches(services)
    visit.go(f"/record/{record}")
    check_phone_page(visit)
    assert page.locator(".shelf").count() >= 3
    assert page.locator(".shelf .loc").first.is_visible()
    assert page.locator(".primary").count() == 1
    visit.shot(f"opac-record-360-{tag}")

    # Nothing found: a wish, and the dropping of filters only when some are set.
    visit.go("/search?q=qqqzzzxxx")
    check_phone_page(visit)
    assert page.locator("a[href^='/wishes/new?q=']").is_visible()
    assert page.locator("a[href='/interlibrary-loan?q=qqqzzzxxx']").is_visible()
    page.click("a[href='/interlibrary-loan?q=qqqzzzxxx']")  # how to borrow it elsewhere
    page.wait_for_load_state()
    visit.axe()
    check_phone_page(visit)
    assert page.locator("#ill-desks ~ ul li, section ul.branches li").count() >= 2
    assert page.locator(".zero a[href='/search?q=qqqzzzxxx']").count() == 0
    visit.go("/search?q=qqqzzzxxx&lang=ko")
    assert page.locator(".zero a[href='/search?q=qqqzzzxxx']").is_visible()
    visit.go("/search?q=histroy")  # a confident correction shows its books
    assert page.locator("ol.hits > li").count() > 0

    # A branch page: hours with today marked, the map link; then make it my library.
    visit.go("/branches/XSL")
    check_phone_page(visit)
    assert page.locator("a[href^='geo:']").is_visible()
    assert page.locator("table.hours tr.today").count() == 1
    visit.shot(f"opac-branch-360-{tag}")
    page.click("a[href='/branches/XSL/mine']")
    page.wait_for_load_state()
    visit.go(f"/record/{record}")
    assert page.locator(".shelf").first.get_attribute("class") == "shelf mine" or (
        not any(
            "XSL" in (h or "")
            for h in page.locator(".shelf h3 a").evaluate_all(
                "els => els.map(e => e.getAttribute('href'))"
            )
        )
    )
    context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")], (
        visit.errors
    )


def test_branch_and_account_at_a_desktop_in_english(
    browser: Any, base_url: str, screenshots: Path, demo_library: tuple[Services, list[str]]
) -> None:
    """The two pages the desktop screenshots lacked: a branch with its events, and a
    reader's holds with their place in the queue and the estimated wait."""
    services, cards = demo_library
    waiting = next(
        c for c in cards if any(h.queue_position for h in services.circulation.holds_of(c))
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    visit.go("/branches/CEN")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("table.hours tr.today").count() == 1
    assert page.locator("section a[href^='/events/']").count() >= 1  # its coming events
    visit.shot("opac-branch-desktop")
    visit.go("/login?next=/account/holds")
    page.fill("#card", waiting)
    page.fill("#secret", "1234")
    page.click("form.stack button[type=submit]")
    page.wait_for_url("**/account/holds")
    visit.axe()
    assert page.locator("p.wait").count() >= 1  # about when, beside the place in the queue
    visit.shot("account-holds-desktop")
    context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")]
