"""The managers' dashboards (issue 21 item 3): each chart a small table of figures, built from
the counters alone (no loan is read) and hidden below k readers like every answer (P17).

A chart is what the page draws, what its table view shows and what its CSV and XLSX hold:
one :class:`Chart`, so the three can never disagree. ``None`` in a row is a hidden figure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from shelfwise.analytics.models import Cell
from shelfwise.analytics.service import AnalyticsService
from shelfwise.circulation.scope import Actor

PERIODS = (30, 90, 365)  # days a manager may look back
CHARTS = ("over_time", "by_branch", "by_category", "turnover", "hold_pressure")

Figure = str | int | float | None


@dataclass(frozen=True, slots=True)
class Chart:
    name: str  # one of CHARTS
    kind: str  # "line" or "bar": how the page draws it
    columns: tuple[str, ...]  # what each column holds (the page names them in its language)
    rows: tuple[tuple[Figure, ...], ...]


@dataclass(frozen=True, slots=True)
class Dashboard:
    since: date
    until: date
    branches: tuple[str, ...]  # asked for; empty: every branch the actor may see
    min_readers: int
    charts: tuple[Chart, ...]

    def chart(self, name: str) -> Chart:
        return next(c for c in self.charts if c.name == name)


def _same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def _events(cells: tuple[Cell, ...]) -> dict[str | None, int | None]:
    return {c.period if c.period is not None else (c.branch or c.value): c.events for c in cells}


def _ratio(part: int | None, whole: int) -> float | None:
    return None if part is None or whole == 0 else round(part / whole, 2)


class Dashboards:
    def __init__(self, analytics: AnalyticsService) -> None:
        self._analytics = analytics

    def build(self, *, actor: Actor, days: int, branch: str, until: date) -> Dashboard:
        """The dashboard of the ``days`` up to ``until`` at ``branch`` ("" for every branch
        the actor may see); a period not offered or a branch not theirs is refused."""
        analytics = self._analytics
        if days not in PERIODS:
            days = PERIODS[0]
        since = until - timedelta(days=days - 1)
        grain = "month" if days > 90 else "day"

        def cells(kind: str, by: str, start: date = since, end: date = until) -> tuple[Cell, ...]:
            question = analytics.question(kind, by, start, end, branch)
            return analytics.report(question, actor=actor).cells

        now = _events(cells("checkout", grain))
        then = _events(
            cells("checkout", grain, _same_day_last_year(since), _same_day_last_year(until))
        )
        labels = _labels(grain, since, until)
        last_year = _labels(grain, _same_day_last_year(since), _same_day_last_year(until))
        over_time = tuple(
            (label, now.get(label, 0), then.get(past, 0))
            for label, past in zip(labels, last_year, strict=False)
        )
        copies = analytics.copies_by_class(branch, actor=actor)
        charts = (
            Chart("over_time", "line", ("period", "loans", "loans_last_year"), over_time),
            Chart("by_branch", "bar", ("branch", "loans"), _pairs(cells("checkout", "branch"))),
            Chart(
                "by_category", "bar", ("category", "loans"), _pairs(cells("checkout", "category"))
            ),
            _per_copy("turnover", "loans", cells("checkout", "main_class"), copies),
            _per_copy("hold_pressure", "holds", cells("hold", "main_class"), copies),
        )
        codes = tuple(c for c in branch.split(",") if c)
        return Dashboard(since, until, codes, analytics.policy.min_readers, charts)


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


def _per_copy(name: str, what: str, cells: tuple[Cell, ...], copies: dict[str, int]) -> Chart:
    """Acts per copy in service, by main class: loans (turnover) or holds (hold pressure)."""
    counted = {str(c.value): c.events for c in cells}
    rows = tuple(
        (
            cls,
            counted.get(cls, 0),
            copies.get(cls, 0),
            _ratio(counted.get(cls, 0), copies.get(cls, 0)),
        )
        for cls in sorted(set(counted) | set(copies))
    )
    return Chart(name, "bar", ("main_class", what, "copies", f"{what}_per_copy"), rows)
