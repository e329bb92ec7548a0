"""The managers' dashboards (issue 21 item 3): each chart a small table of figures, built from
the counters and the hourly stock alone (no loan or copy is read on a page view) and hidden
below k readers like every answer (P17).

A chart is what the page draws, what its table view shows and what its CSV and XLSX hold:
one :class:`Chart`, so the three can never disagree. ``None`` in a row is a hidden figure.
Charts come in **views** (:data:`VIEWS`): circulation, collection, holds, wishes, visits,
terminals, events; the page shows one view at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from shelfwise.analytics import boards
from shelfwise.analytics.boards import Chart, Figure, ratio
from shelfwise.analytics.models import Cell
from shelfwise.analytics.service import AnalyticsService
from shelfwise.analytics.stock import IDLE_YEARS
from shelfwise.circulation.scope import Actor

PERIODS = (30, 90, 365)  # days a manager may look back
VIEWS: dict[str, tuple[str, ...]] = {
    "circulation": ("over_time", "by_branch", "by_category"),
    "collection": ("turnover", "turnover_by_branch", "idle", "idle_copies"),
    "holds": ("hold_pressure", "wanted"),
    "wishes": ("wish_states", "wish_answers"),
    "visits": ("visits_by_hour",),
    "terminals": ("terminals",),
    "events": ("fill_rates",),
}
CHARTS = tuple(c for charts in VIEWS.values() for c in charts)
__all__ = ["CHARTS", "IDLE_YEARS", "PERIODS", "VIEWS", "Chart", "Dashboard", "Dashboards", "Figure"]


def view_of(chart: str) -> str:
    return next(v for v, charts in VIEWS.items() if chart in charts)


@dataclass(frozen=True, slots=True)
class Dashboard:
    view: str
    since: date
    until: date
    branches: tuple[str, ...]  # asked for; empty: every branch the actor may see
    min_readers: int
    years: int  # N of "copies not lent in N years"
    stock_taken_at: datetime | None  # when the collection's figures were counted
    charts: tuple[Chart, ...]

    def chart(self, name: str) -> Chart:
        return next(c for c in self.charts if c.name == name)


@dataclass(frozen=True, slots=True)
class BigScreen:
    figures: tuple[tuple[str, int | None], ...]  # (what, how many; None hidden)
    board: Dashboard  # the chart it draws


def same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _events(cells: tuple[Cell, ...]) -> dict[str | None, int | None]:
    return {c.period if c.period is not None else (c.branch or c.value): c.events for c in cells}


@dataclass(frozen=True, slots=True)
class Ask:
    """One dashboard request: who, which branches, which days."""

    actor: Actor
    branch: str
    since: date
    until: date
    years: int

    @property
    def grain(self) -> str:
        return "month" if (self.until - self.since).days >= 90 else "day"


class Dashboards:
    def __init__(
        self, analytics: AnalyticsService, event_names: Callable[[list[int]], dict[int, str]]
    ) -> None:
        self._analytics = analytics
        self._event_names = event_names  # event id -> "date title", from the events domain

    def build(
        self,
        *,
        actor: Actor,
        days: int,
        branch: str,
        until: date,
        view: str = "circulation",
        years: int = 2,
    ) -> Dashboard:
        """One view of the dashboard over the ``days`` up to ``until`` at ``branch`` (""
        for every branch the actor may see); a period, view or N not offered falls back to
        the first; a branch not the actor's is refused."""
        days = days if days in PERIODS else PERIODS[0]
        view = view if view in VIEWS else "circulation"
        years = years if years in IDLE_YEARS else IDLE_YEARS[1]
        ask = Ask(actor, branch, until - timedelta(days=days - 1), until, years)
        stocked = self._analytics.stock(branch, actor=actor)
        makers: dict[str, Callable[[Ask], tuple[Chart, ...]]] = {
            "circulation": self._circulation,
            "collection": lambda a: boards.collection(
                self._analytics, a, stocked, self._loans_by_class_and_branch
            ),
            "holds": self._holds,
            "wishes": lambda a: boards.wishes(self._analytics, a),
            "visits": lambda a: boards.visits(self._analytics, a),
            "terminals": lambda a: boards.terminals(self._analytics, a),
            "events": lambda a: boards.events(self._analytics, a, self._event_names),
        }
        charts = makers[view](ask)
        codes = tuple(c for c in branch.split(",") if c)
        policy = self._analytics.policy
        return Dashboard(
            view, ask.since, until, codes, policy.min_readers, years, stocked.taken_at, charts
        )

    def big_screen(self, *, actor: Actor, branch: str, until: date) -> BigScreen:
        """The lobby's screen: today's loans, returns and visits, the month's loans, and the
        last 30 days' loans beside last year's — aggregates only, hidden below k."""
        ask = Ask(actor, branch, until, until, IDLE_YEARS[0])
        month = Ask(actor, branch, until - timedelta(days=29), until, IDLE_YEARS[0])

        def total(a: Ask, kind: str) -> int | None:
            cells = self._cells(a, kind, "month")
            if any(c.events is None for c in cells):
                return None
            return sum(c.events or 0 for c in cells)

        visits = self._analytics.tally_total(
            "visit", since=until, until=until, branches=branch, actor=actor
        )
        figures: tuple[tuple[str, int | None], ...] = (
            ("loans_today", total(ask, "checkout")),
            ("returns_today", total(ask, "return")),
            ("visits_today", visits),
            ("loans_30_days", total(month, "checkout")),
        )
        over_time = self._circulation(month)[0]
        board = Dashboard(
            "circulation",
            month.since,
            until,
            tuple(c for c in branch.split(",") if c),
            self._analytics.policy.min_readers,
            IDLE_YEARS[0],
            None,
            (over_time,),
        )
        return BigScreen(figures, board)

    def _cells(self, ask: Ask, kind: str, by: str, last_year: bool = False) -> tuple[Cell, ...]:
        since, until = ask.since, ask.until
        if last_year:
            since, until = same_day_last_year(since), same_day_last_year(until)
        question = self._analytics.question(kind, by, since, until, ask.branch)
        return self._analytics.report(question, actor=ask.actor).cells

    def _loans(self, ask: Ask, by: str) -> tuple[Cell, ...]:
        return self._cells(ask, "checkout", by)

    def _loans_by_class_and_branch(self, ask: Ask) -> tuple[tuple[Cell, ...], tuple[Cell, ...]]:
        by_class, by_branch = self._analytics.two_ways(
            "checkout",
            "main_class",
            since=ask.since,
            until=ask.until,
            branches=ask.branch,
            actor=ask.actor,
        )
        return by_class.cells, by_branch.cells

    def _circulation(self, ask: Ask) -> tuple[Chart, ...]:
        grain = ask.grain
        now = _events(self._cells(ask, "checkout", grain))
        then = _events(self._cells(ask, "checkout", grain, last_year=True))
        labels = _labels(grain, ask.since, ask.until)
        past = _labels(grain, same_day_last_year(ask.since), same_day_last_year(ask.until))
        over_time = tuple(
            (label, now.get(label, 0), then.get(before, 0))
            for label, before in zip(labels, past, strict=False)
        )
        return (
            Chart("over_time", "line", ("period", "loans", "loans_last_year"), over_time),
            Chart("by_branch", "bar", ("branch", "loans"), _pairs(self._loans(ask, "branch"))),
            Chart(
                "by_category", "bar", ("category", "loans"), _pairs(self._loans(ask, "category"))
            ),
        )

    def _holds(self, ask: Ask) -> tuple[Chart, ...]:
        copies = self._analytics.copies_by_class(ask.branch, actor=ask.actor)
        wanted = self._analytics.wanted_titles(ask.branch, actor=ask.actor)
        rows = tuple((w.title, w.holds, w.copies, ratio(w.holds, w.copies)) for w in wanted)
        return (
            boards.per_copy(
                "hold_pressure", "holds", self._cells(ask, "hold", "main_class"), copies
            ),
            Chart("wanted", "table", ("title", "holds_waiting", "copies", "holds_per_copy"), rows),
        )


def _labels(grain: str, since: date, until: date) -> list[str]:
    out: list[str] = []
    day = since
    while day <= until:
        label = day.isoformat() if grain == "day" else day.strftime("%Y-%m")
        if not out or out[-1] != label:
            out.append(label)
        day += timedelta(days=1)
    return out


def _pairs(cells: tuple[Cell, ...]) -> tuple[tuple[Figure, ...], ...]:
    return tuple((c.branch if c.value is None else c.value, c.events) for c in cells)
