"""End to end in Chromium (Playwright): a reader on a phone reads a demo story in Chinese,
Korean and English, zooms its picture (OpenSeadragon over our IIIF info.json and tiles) and
plays its spoken story; a cataloguer at a desktop writes a story, saves and publishes it,
and the reader sees it. axe-core checks every page visited (issue 17 done-when 1)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from shelfwise.services import Services
from shelfwise.testing.servers import live_server
from shelfwise.testing.stories_demo import seed_stories
from shelfwise.web.i18n import HTML_LANG, PageLanguage
from web.browser import Visit, launch_chromium

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
TITLES: dict[PageLanguage, str] = {
    "zh": "煤城百年",
    "zh-Hant": "煤城百年",  # the Chinese text, in a page of Traditional Chinese
    "ko": "탄광 도시 백 년",
    "en": "A hundred years of the coal city",
}


@pytest.fixture(scope="module")
def base_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    services, _cards = demo_library
    seed_stories(services)
    services.access.create_staff("e2e-editor", "编辑", "editor-password", "cataloguer")
    with live_server(services) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with launch_chromium() as instance:
        yield instance


def _visit(browser: Any, base_url: str, screenshots: Path, viewport: dict[str, int]) -> Any:
    context = browser.new_context(viewport=viewport, is_mobile=viewport == PHONE, has_touch=True)
    return context, Visit(context.new_page(), base_url, screenshots)


def test_a_reader_reads_zooms_and_listens_on_a_phone(
    browser: Any, base_url: str, screenshots: Path
) -> None:
    context, visit = _visit(browser, base_url, screenshots, PHONE)
    page = visit.page
    for lang, title in TITLES.items():
        visit.go(f"/lang/{lang}?next=/stories/coal-city")
        assert page.locator("h1").inner_text() == title
        assert page.locator("html").get_attribute("lang") == HTML_LANG[lang]
        visit.shot(f"story-phone-{lang}")
    tiles: list[str] = []
    page.on("request", lambda r: tiles.append(r.url) if "/iiif/image/" in r.url else None)
    page.locator("button.zoom").first.click()
    page.wait_for_selector(".zoomable.open canvas, .zoomable.open .openseadragon-canvas")
    page.wait_for_function("() => document.querySelectorAll('.zoomable.open').length === 1")
    page.wait_for_timeout(1500)  # let the viewer ask for its tiles (no assertion on time)
    assert any(u.endswith("/info.json") for u in tiles), tiles
    assert any("/default.jpg" in u for u in tiles), "the viewer asked for no IIIF tile"
    playing = page.evaluate(
        """async () => { const a = document.querySelector('audio'); a.muted = true;
        await a.play(); return !a.paused; }"""
    )
    assert playing
    page.wait_for_function("() => document.querySelector('audio').currentTime > 0.2")
    assert page.locator("details.transcript summary").count() >= 1
    context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")], (
        visit.errors
    )


def test_a_reader_reads_a_story_at_a_desktop_in_each_language(
    browser: Any, base_url: str, screenshots: Path
) -> None:
    """The same story at 1280 px in the four page languages: the title, the live records
    with their hold links, and the timeline; no sideways scroll."""
    context, visit = _visit(browser, base_url, screenshots, DESKTOP)
    page = visit.page
    for lang, title in TITLES.items():
        visit.go(f"/lang/{lang}?next=/stories/coal-city")
        assert page.locator("h1").inner_text() == title
        assert page.locator("a[href$='#get-h']").count() >= 1  # a live record's hold link
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        visit.shot(f"story-desktop-{lang}")
    context.close()
    assert not [e for e in visit.errors if not e.startswith("Failed to load resource")], (
        visit.errors
    )


def test_a_cataloguer_writes_and_publishes_a_story(
    browser: Any, base_url: str, screenshots: Path
) -> None:
    context, visit = _visit(browser, base_url, screenshots, DESKTOP)
    page = visit.page
    visit.go("/lang/en?next=/staff/login")
    page.fill("#username", "e2e-editor")
    page.fill("#password", "editor-password")
    page.press("#password", "Enter")
    page.wait_for_load_state()
    visit.go("/staff/stories")
    page.fill("#slug", "e2e-hero")
    page.fill("#title_zh", "英雄")
    page.fill("#title_en", "A hero")
    page.locator("form[action='/staff/stories'] button[type=submit]").click()
    page.wait_for_load_state()
    visit.axe()
    page.fill("#summary_en", "Written in a browser.")
    page.select_option("#s0_kind", "text")
    page.fill("#s0_text_en", "He **stood** his ground.")
    page.locator("#editor button[type=submit]").click()
    page.wait_for_load_state()
    visit.axe()
    page.locator("button[value=publish]").click()
    page.wait_for_load_state()
    assert "Published" in page.locator("h1").inner_text()
    visit.shot("story-editor-desktop")
    context.close()
    reader, as_reader = _visit(browser, base_url, screenshots, PHONE)
    as_reader.go("/lang/en?next=/stories/e2e-hero")
    assert as_reader.page.locator("h1").inner_text() == "A hero"
    assert as_reader.page.locator(".prose strong").inner_text() == "stood"
    reader.close()
