"""End to end in Chromium at 1366×900 (issue 21): a branch manager opens each dashboard
view, switches branch and period, downloads a chart's CSV and XLSX (parsed back here and
compared with the page's table), and opens the lobby's big screen at 1920×1080. ECharts
must draw every chart that has figures (a canvas in its box) with no console error — the
page's CSP (script-src 'self', no inline style) holds with the vendored library. axe-core:
nothing serious or critical on any page. The counters are generated
(``shelfwise.testing.statistics``: the last 100 days and the same days a year earlier
at the manager's two branches), the
collection's stock taken by the real job over the demo library."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from analytics.test_dashboards import _same, _xlsx_rows
from shelfwise.analytics.dashboards import VIEWS
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.testing.servers import live_server
from shelfwise.testing.statistics import Shape, activity_rows, tally_rows
from web.browser import Visit, launch_chromium
from web.test_e2e_staff import DESKTOP

MANAGER, PASSWORD = "dash-e2e", "dash-e2e-password"
BRANCHES = ("CEN", "CYQ")


@pytest.fixture(scope="module")
def manager_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    services, _cards = demo_library
    Runtime(services, follow_search=False).outbox_relay().drain()  # the demo's own loans
    with services.db.read() as conn:
        ids = [
            int(i)
            for i in conn.execute(
                text("SELECT id FROM branches WHERE code IN ('CEN', 'CYQ') ORDER BY code")
            ).scalars()
        ]
    today = services.clock.today()
    # The last 100 days and the same days a year earlier (the "last year" line).
    for until in (today, today - timedelta(days=365)):
        shape = Shape(ids, until, 100, 20_000, seed=until.toordinal())
        services.analytics.load_counters(activity_rows(shape), tally_rows(shape, 300))
    services.analytics.take_stock()
    services.access.create_staff(MANAGER, "馆长", PASSWORD, "admin", BRANCHES)
    with live_server(services) as url:
        yield url


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with launch_chromium() as instance:
        yield instance


def _table(page: Any, chart: str) -> list[list[str]]:
    rows = page.locator(f"section[aria-labelledby='h-{chart}'] table tbody tr")
    return [
        [c.strip() for c in rows.nth(i).locator("th, td").all_inner_texts()]
        for i in range(rows.count())
    ]


def _drawn(page: Any) -> None:
    """Every chart box with figures holds the canvas ECharts drew."""
    boxes = page.locator(".chart[data-chart]")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        if box.is_hidden():
            continue  # no figures: the table says so
        box.locator("canvas").first.wait_for(state="attached", timeout=10_000)


def test_a_manager_reads_each_dashboard_switches_and_exports(
    chromium: Any, manager_url: str, screenshots: Path, tmp_path: Path
) -> None:
    context = chromium.new_context(viewport=DESKTOP, locale="zh-CN", accept_downloads=True)
    visit = Visit(context.new_page(), manager_url, screenshots)
    page = visit.page
    visit.go("/staff/login?next=/staff/dashboards")
    page.fill("#username", MANAGER)
    visit.submit("#password", PASSWORD)
    visit.go("/staff/dashboards")
    assert page.locator("h1").inner_text() == "统计看板"
    # The branch list holds the manager's branches only.
    offered = page.locator("#d-branch option").evaluate_all("os => os.map(o => o.value)")
    assert offered == ["", *BRANCHES]

    for view, charts in VIEWS.items():
        page.click(f".dashviews a[href^='/staff/dashboards?view={view}&']")
        page.wait_for_load_state()
        assert f"view={view}" in page.url
        visit.axe()
        _drawn(page)
        for chart in charts:
            assert page.locator(f"#h-{chart}").is_visible()

    # Switch branch and period on the circulation view: the page and its files follow.
    page.click(".dashviews a[href^='/staff/dashboards?view=circulation&']")
    page.select_option("#d-branch", "CYQ")
    page.select_option("#d-days", "90")
    page.click(".dashfilter button[type=submit]")
    page.wait_for_load_state()
    assert "branch=CYQ" in page.url
    assert "days=90" in page.url
    visit.axe()
    _drawn(page)
    assert [row[0] for row in _table(page, "by_branch")] == ["CYQ"]
    shown = _table(page, "over_time")
    assert len(shown) == 90  # by day
    assert all(int(row[2]) > 0 for row in shown)  # the same days a year earlier, lent too
    section = page.locator("section[aria-labelledby='h-over_time']")
    with page.expect_download() as csv_download:
        section.locator("a[href*='.csv']").click()
    rows = list(csv.reader(io.StringIO(Path(csv_download.value.path()).read_text("utf-8-sig"))))
    assert rows[0] == ["时间", "借阅", "去年同期借阅"]
    assert _same(rows[1:]) == _same(shown)
    with page.expect_download() as xlsx_download:
        section.locator("a[href*='.xlsx']").click()
    assert _same(_xlsx_rows(Path(xlsx_download.value.path()).read_bytes())) == _same(rows)
    assert "CYQ" not in rows[0]  # headers, not data; the figures are CYQ's own
    page.select_option("#d-branch", "")
    page.click(".dashfilter button[type=submit]")
    page.wait_for_load_state()
    _drawn(page)
    visit.shot("staff-dashboards-desktop")

    big = context.new_page()
    big.set_viewport_size({"width": 1920, "height": 1080})
    screen = Visit(big, manager_url, screenshots)
    screen.go("/staff/dashboards/big-screen")
    _drawn(big)
    figures = big.locator(".bigfigures .figure").all_inner_texts()
    assert len(figures) == 4
    assert figures[2].isdigit()  # today's visits, shown (the total, not hour by hour)
    assert figures[3].isdigit()  # the month's loans, shown
    screen.shot("staff-dashboards-big-screen")
    assert not visit.errors, visit.errors
    assert not screen.errors, screen.errors
    context.close()
