"""The managers' dashboards (issue 21 item 3): /staff/dashboards (one view at a time), each
chart's CSV and XLSX, and the lobby's big screen. Needs ``analytics.read`` (the
administrator role): an administrator bound to branches sees those, the network's
administrator every branch or one (branch scope: BRANCH in tests/web/test_staff_matrix.py).
The figures are the analytics domain's (``analytics/dashboards.py``), already hidden below k
readers (P17); this door names them in the page's language and writes the files."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.analytics.dashboards import (
    CHARTS,
    IDLE_YEARS,
    PERIODS,
    VIEWS,
    Chart,
    Dashboard,
    view_of,
)
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute
from shelfwise.web.staff.dashboard_files import chart_csv, chart_json, chart_xlsx
from shelfwise.web.staff.workplace import allowed_branches

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
BranchQuery = Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9_-]*$")]
DaysQuery = Annotated[int, Query(ge=1, le=366)]
ViewQuery = Annotated[str, Query(pattern="^(" + "|".join(VIEWS) + ")$")]
YearsQuery = Annotated[int, Query(ge=1, le=10)]
FILES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
BIG_SCREEN_REFRESH = 300  # seconds between the lobby screen's reloads


def _dashboard(web: Web, page: Page, branch: str, days: int, view: str, years: int) -> Dashboard:
    who = page.staff("analytics.read", branch or None)
    return web.services.dashboards().build(
        actor=who,
        days=days,
        branch=branch,
        until=web.services.clock.today(),
        view=view,
        years=years,
    )


@router.get("/staff/dashboards")
def dashboards(
    page: PageDep,
    web: WebDep,
    branch: BranchQuery = "",
    days: DaysQuery = PERIODS[0],
    view: ViewQuery = "circulation",
    years: YearsQuery = IDLE_YEARS[1],
) -> Response:
    """One view's charts of the branch (or all of the account's branches) over the period."""
    board = _dashboard(web, page, branch, days, view, years)
    who = page.staff("analytics.read")
    return web.render(
        page,
        "staff/dashboards.html",
        board=board,
        branch=branch,
        days=days if days in PERIODS else PERIODS[0],
        periods=PERIODS,
        views=tuple(VIEWS),
        idle_years=IDLE_YEARS,
        branches=allowed_branches(web.services, who, page.lang),
        data=chart_json(board, page),
    )


@router.get("/staff/dashboards/big-screen")
def big_screen(page: PageDep, web: WebDep, branch: BranchQuery = "") -> Response:
    """The lobby display: today's and the month's figures in large type, reloading itself
    every few minutes; aggregates only, hidden below k like every figure (P17)."""
    who = page.staff("analytics.read", branch or None)
    today = web.services.clock.today()
    screen = web.services.dashboards().big_screen(actor=who, branch=branch, until=today)
    return web.render(
        page,
        "staff/big_screen.html",
        screen=screen,
        branch=branch,
        refresh=BIG_SCREEN_REFRESH,
        data=chart_json(screen.board, page),
    )


@router.get("/staff/dashboards/{chart}.{kind}")
def download(
    chart: Annotated[str, Path(pattern="^(" + "|".join(CHARTS) + ")$")],
    kind: Annotated[str, Path(pattern="^(csv|xlsx)$")],
    page: PageDep,
    web: WebDep,
    branch: BranchQuery = "",
    days: DaysQuery = PERIODS[0],
    years: YearsQuery = IDLE_YEARS[1],
) -> Response:
    """One chart's figures as a file: hidden figures stay hidden (P17)."""
    board = _dashboard(web, page, branch, days, view_of(chart), years)
    found: Chart = board.chart(chart)
    name = f"shelfwise-{chart}-{board.since.isoformat()}-{board.until.isoformat()}.{kind}"
    body = chart_csv(found, page) if kind == "csv" else chart_xlsx(found, page)
    return Response(
        body,
        media_type=FILES[kind],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
