"""End to end in Chromium: a reader on a phone searches in every script, opens a record,
places a hold, renews a loan and switches language; axe-core checks every page visited.

Debian's Chromium (``/usr/bin/chromium``) driven by Playwright against a live demo
server on SQLite (the pages call the same services the TestClient tests run on both
backends). Screenshots of the key pages go to a temporary folder
(``./scripts/screenshots`` refreshes ``docs/screenshots/``).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from shelfwise.services import Services
from web.browser import Visit

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def phone(browser: Any, base_url: str, screenshots: Path) -> Iterator[Visit]:
    context = browser.new_context(
        viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True, locale="zh-CN"
    )
    visit = Visit(context.new_page(), base_url, screenshots)
    yield visit
    context.close()
    # A refused renewal answers 409 on purpose; script errors and CSP refusals fail the test.
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")], (
        visit.errors
    )


def search(visit: Visit, words: str) -> int:
    page = visit.page
    page.fill("#q", words)
    page.press("#q", "Enter")
    page.wait_for_load_state()
    return int(page.locator("ol.hits > li").count())


# The scripts a reader types, and a word every found page must show.
QUERIES = [
    ("历史", "历史"),  # simplified Chinese
    ("歷史", "历史"),  # traditional: folded to simplified
    ("lishi", "历史"),  # pinyin
    ("ls", None),  # pinyin initials
    ("역사", "역사"),  # Korean
    ("력사", "역사"),  # the Chinese-Korean spelling finds 역사
    ("history", "istory"),  # English
]


def test_a_reader_on_a_phone(phone: Visit, demo_library: tuple[Services, list[str]]) -> None:
    _services, cards = demo_library
    page = phone.page
    phone.go("/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    for words, expected in QUERIES:
        phone.go("/")
        hits = search(phone, words)
        assert hits > 0, f"nothing found for {words!r}"
        if expected:
            titles = " ".join(page.locator("ol.hits h3").all_inner_texts())
            assert expected in titles, f"{words!r} found no title with {expected!r}: {titles[:300]}"
    phone.go("/search?q=历史")
    page.click("summary#facets-h")  # the facet drawer opens on a tap
    assert page.locator(".facet").first.is_visible()
    page.click("ol.hits > li:first-child h3 a")
    page.wait_for_load_state()
    phone.axe()
    record_url = page.url
    assert page.locator("ul.copies li").count() > 0
    assert page.locator(".qr svg").count() == 1
    # The share link carries the library's public address (web_public_url), not the test port.
    share = page.locator("#share-url").input_value()
    assert share == "https://library.example.org" + urlsplit(record_url).path
    # A hold needs a login; the login page brings the reader back to the record.
    page.click("a.button[href^='/login']")
    page.wait_for_load_state()
    phone.axe()
    page.fill("#card", cards[0])
    page.fill("#secret", "1234")
    page.click("form.stack button[type=submit]")
    page.wait_for_url(record_url)
    page.select_option("#pickup", index=1)
    page.click(".hold button[type=submit]")
    page.wait_for_url("**/account/holds?placed=1")
    phone.axe()
    assert page.locator("p.notice").count() == 1
    phone.shot("account-holds-phone")
    # Renew: at least one loan renews; a refusal says why.
    phone.go("/account/loans")
    renewed = False
    for index in range(page.locator("form[action='/account/loans/renew']").count()):
        page.locator("form[action='/account/loans/renew'] button").nth(index).click()
        page.wait_for_load_state()
        if page.locator("p.notice").count():
            renewed = True
            break
        assert page.locator("p.alert").count() == 1
    assert renewed, "no loan could be renewed"
    phone.axe()
    phone.shot("account-loans-phone")
    phone.go("/account/card")
    phone.shot("account-card-phone")
    # Switch language: the page comes back in Korean, then English, then traditional Chinese.
    for name, lang in (("한국어", "ko"), ("English", "en"), ("繁體中文", "zh-Hant")):
        page.click("details.prefs summary")  # the globe opens the language menu
        page.click(f"ul.langs a:text-is('{name}')")
        page.wait_for_load_state()
        assert page.locator("html").get_attribute("lang") == lang
        phone.axe()
    phone.go("/account")
    assert "帳戶" in page.inner_text("body") or "概覽" in page.inner_text("body")
    page.click("details.prefs summary")
    page.click("ul.langs a:text-is('한국어')")
    page.wait_for_load_state()
    phone.shot("account-overview-phone-ko")
    # Large text for older readers.
    page.click("details.prefs summary")
    page.click("a.textsize")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("class") == "large"
    phone.axe()
    page.click("details.prefs summary")
    page.click("a.textsize")
    page.wait_for_load_state()
    page.click("header form[action='/logout'] button")
    page.wait_for_load_state()
    assert len(phone.checked) >= 15


def test_desktop_pages_and_keyboard(browser: Any, base_url: str, screenshots: Path) -> None:
    context = browser.new_context(viewport=DESKTOP, locale="en-GB")
    visit = Visit(context.new_page(), base_url, screenshots)
    page = visit.page
    visit.go("/")
    assert page.locator("html").get_attribute("lang") == "en"
    page.keyboard.press("Tab")  # the skip link is the first stop and is visible when focused
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    visit.shot("opac-home-desktop")
    page.fill("#q", "hist")  # autocomplete (site.js) fills the datalist from /api/v1/suggest
    page.locator("#suggestions option").first.wait_for(state="attached")  # no eval: CSP
    visit.go("/search?q=history OR 历史 OR 역사")
    assert page.locator(".facet").first.is_visible()  # beside the results, no drawer
    visit.shot("opac-results-desktop")
    page.click("ol.hits > li:first-child h3 a")
    page.wait_for_load_state()
    visit.axe()
    visit.shot("opac-record-desktop")
    for path in ("/login", "/register", "/pin-help", "/no/such/page"):
        visit.go(path)
    context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")]
