"""The library's statistics over the API, for staff tokens (issue 21 item 2).

``GET /api/v1/analytics/{act}`` answers counts of loans, returns, renewals or holds grouped
``by`` a time grain (day, month), branch and one dimension, over ``from``..``to``. The door
translates: the analytics service checks the question, limits it to the caller's branches
(an account bound to branches sees those, the network's administrator every branch) and
hides cells of fewer than k readers (P17); a hidden cell comes back with ``events: null``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query
from pydantic import BaseModel, Field

from shelfwise.access.models import Principal
from shelfwise.analytics.dashboards import CHARTS, PERIODS, view_of
from shelfwise.analytics.models import Report
from shelfwise.api.auth import staff
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES

router = APIRouter(tags=["analytics"], responses=ERROR_RESPONSES)
Reader = Annotated[Principal, Depends(staff("analytics.read"))]

# The path's words for circulation's acts (the counters' kinds).
ACTS = {"loans": "checkout", "returns": "return", "renewals": "renewal", "holds": "hold"}
Act = Literal["loans", "returns", "renewals", "holds"]


class CellOut(BaseModel):
    period: str | None = Field(description="2026-12-07 by day, 2026-12 by month; null if not asked")
    branch: str | None = Field(description="the branch code; null if not grouped by branch")
    value: str | None = Field(description="the dimension's value; null if none asked")
    events: int | None = Field(description="the count; null when hidden (fewer than k readers)")


class ReportOut(BaseModel):
    act: str
    by: list[str]
    dimension: str
    since: date
    until: date
    branches: list[str]
    min_readers: int = Field(description="k: cells of fewer different readers are hidden")
    cells: list[CellOut]


def report_out(act: str, report: Report) -> ReportOut:
    q = report.question
    return ReportOut(
        act=act,
        by=list(q.by),
        dimension=report.dimension,
        since=q.since,
        until=q.until,
        branches=list(q.branches),
        min_readers=report.min_readers,
        cells=[
            CellOut(period=c.period, branch=c.branch, value=c.value, events=c.events)
            for c in report.cells
        ],
    )


@router.get("/analytics/{act}", response_model=ReportOut)
def analytics_report(
    act: Act,
    services: ServicesDep,
    principal: Reader,
    by: Annotated[
        str,
        Query(
            max_length=100,
            description="comma-separated: day or month, branch, and one of category, "
            "age_band, item_type, main_class",
        ),
    ] = "day,branch",
    since: Annotated[date | None, Query(alias="from")] = None,
    until: Annotated[date | None, Query(alias="to")] = None,
    branch: Annotated[
        str | None, Query(max_length=200, description="branch codes, comma-separated")
    ] = None,
) -> ReportOut:
    """Counts of one act; the last 30 days by day and branch unless asked otherwise."""
    analytics = services.analytics
    question = analytics.question(ACTS[act], by, since, until, branch)
    return report_out(act, analytics.report(question, actor=principal))


class ChartOut(BaseModel):
    chart: str
    view: str
    since: date
    until: date
    branches: list[str]
    min_readers: int = Field(description="k: figures of fewer different readers are hidden")
    stock_taken_at: datetime | None = Field(
        description="when the collection's figures (copies, idle copies, titles) were counted"
    )
    columns: list[str]
    rows: list[list[str | int | float | None]] = Field(description="null: a hidden figure")


@router.get("/analytics/dashboards/{chart}", response_model=ChartOut)
def analytics_chart(
    chart: Annotated[str, Path(pattern="^(" + "|".join(CHARTS) + ")$")],
    services: ServicesDep,
    principal: Reader,
    branch: Annotated[str, Query(max_length=64, pattern=r"^[A-Za-z0-9_-]*$")] = "",
    days: Annotated[int, Query(description="30, 90 or 365")] = PERIODS[0],
    years: Annotated[int, Query(description="N of copies not lent in N years")] = 2,
) -> ChartOut:
    """One dashboard chart's figures, the same the staff page draws and exports."""
    board = services.dashboards().build(
        actor=principal,
        days=days,
        branch=branch,
        until=services.clock.today(),
        view=view_of(chart),
        years=years,
    )
    found = board.chart(chart)
    return ChartOut(
        chart=chart,
        view=board.view,
        since=board.since,
        until=board.until,
        branches=list(board.branches),
        min_readers=board.min_readers,
        stock_taken_at=board.stock_taken_at,
        columns=list(found.columns),
        rows=[list(r) for r in found.rows],
    )
