"""The dashboards' charts beyond circulation (issue 21): collection turnover and idle copies,
wishes, visits by hour, terminals' health, events' fill rates. Each reads the counters or the
hourly stock through :class:`AnalyticsService` (already scoped to the actor's branches and
hidden below k) and makes one :class:`Chart`; a figure derived from a hidden one is hidden.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shelfwise.analytics.models import Cell, Stocked, TallyCell
from shelfwise.analytics.service import AnalyticsService
from shelfwise.analytics.stock import NEVER

if TYPE_CHECKING:
    from shelfwise.analytics.dashboards import Ask

Figure = str | int | float | None
# Every column a chart may name (the page words each as dash.col.<name>; test_i18n checks).
COLUMNS = (
    "period", "loans", "loans_last_year", "branch", "category", "main_class", "copies",
    "loans_per_copy", "holds", "holds_per_copy", "title", "holds_waiting", "barcode",
    "call_number", "last_loan", "idle_copies", "idle_share", "state", "wishes", "answer",
    "days_to_answer", "hour", "entries", "entries_24h", "terminal", "transactions", "failures",
    "failure_rate", "event", "seats", "registered", "attended", "fill_rate", "attendance_rate",
)  # fmt: skip
Rows = tuple[tuple[Figure, ...], ...]


@dataclass(frozen=True, slots=True)
class Chart:
    name: str
    kind: str  # "line", "bar" or "table" (a list, not drawn)
    columns: tuple[str, ...]  # what each column holds (the page names them in its language)
    rows: Rows
    codes: str = ""  # the first column holds codes the page words with this key prefix


def ratio(part: int | None, whole: int | None, digits: int = 2) -> float | None:
    return None if part is None or not whole else round(part / whole, digits)


def per_copy(name: str, what: str, cells: tuple[Cell, ...], copies: dict[str, int]) -> Chart:
    """Acts per copy in service, by main class: loans (turnover) or holds (hold pressure)."""
    counted = {str(c.value): c.events for c in cells}
    rows = tuple(
        (
            cls,
            counted.get(cls, 0),
            copies.get(cls, 0),
            ratio(counted.get(cls, 0), copies.get(cls, 0)),
        )
        for cls in sorted(set(counted) | set(copies))
    )
    return Chart(name, "bar", ("main_class", what, "copies", f"{what}_per_copy"), rows)


def _tallies(
    analytics: AnalyticsService, ask: Ask, *kinds: str, by_branch: bool = False
) -> tuple[TallyCell, ...]:
    return analytics.tallies(
        kinds,
        since=ask.since,
        until=ask.until,
        branches=ask.branch,
        actor=ask.actor,
        by_branch=by_branch,
    )


def _by_value(cells: tuple[TallyCell, ...], kind: str) -> dict[str, TallyCell]:
    return {c.value: c for c in cells if c.kind == kind}


def collection(
    analytics: AnalyticsService,
    ask: Ask,
    stocked: Stocked,
    loans: Callable[[Ask], tuple[tuple[Cell, ...], tuple[Cell, ...]]],
) -> tuple[Chart, ...]:
    """Turnover by class and by branch (``loans``: the loans by main class and by branch,
    one read), copies idle N years by class, and the longest-idle copies."""
    by_class: dict[str, int] = {}
    by_branch: dict[str, int] = {}
    idle: dict[str, int] = {}
    for (branch, cls, years), n in stocked.counts.items():
        by_class[cls] = by_class.get(cls, 0) + n
        by_branch[branch] = by_branch.get(branch, 0) + n
        if years == NEVER or years >= ask.years:
            idle[cls] = idle.get(cls, 0) + n
    by_main_class, at_branches = loans(ask)
    turnover = per_copy("turnover", "loans", by_main_class, by_class)
    lent = {str(c.branch): c.events for c in at_branches}
    branch_rows = tuple(
        (b, lent.get(b, 0), by_branch.get(b, 0), ratio(lent.get(b, 0), by_branch.get(b, 0)))
        for b in sorted(set(lent) | set(by_branch))
    )
    idle_rows = tuple(
        (cls, by_class[cls], idle.get(cls, 0), ratio(idle.get(cls, 0), by_class[cls], 3))
        for cls in sorted(by_class)
    )
    copies = analytics.idle_copies(ask.branch, actor=ask.actor, years=ask.years)
    listed = tuple(
        (
            c.label.barcode,
            c.label.title,
            c.label.call_number,
            c.branch,
            c.main_class,
            c.last_loan.isoformat() if c.last_loan else "—",
        )
        for c in copies
    )
    return (
        turnover,
        Chart(
            "turnover_by_branch",
            "bar",
            ("branch", "loans", "copies", "loans_per_copy"),
            branch_rows,
        ),
        Chart("idle", "bar", ("main_class", "copies", "idle_copies", "idle_share"), idle_rows),
        Chart(
            "idle_copies",
            "table",
            ("barcode", "title", "call_number", "branch", "main_class", "last_loan"),
            listed,
        ),
    )


def wishes(analytics: AnalyticsService, ask: Ask) -> tuple[Chart, ...]:
    cells = _tallies(analytics, ask, "wish_moved", "wish_answered")
    states = ("submitted", "in_review", "accepted", "ordered", "received", "fulfilled", "declined")
    moved = _by_value(cells, "wish_moved")
    state_rows = tuple((s, moved[s].events) for s in states if s in moved)
    answered = _by_value(cells, "wish_answered")
    answer_rows = tuple(
        (a, c.events, None if c.amount is None else ratio(c.amount, (c.events or 0) * 86400, 1))
        for a, c in sorted(answered.items())
    )
    return (
        Chart("wish_states", "bar", ("state", "wishes"), state_rows, "wishes.state."),
        Chart(
            "wish_answers",
            "bar",
            ("answer", "wishes", "days_to_answer"),
            answer_rows,
            "wishes.state.",
        ),
    )


def visits(analytics: AnalyticsService, ask: Ask) -> tuple[Chart, ...]:
    cells = _tallies(analytics, ask, "visit", "visit_24h")
    everywhere, all_day = _by_value(cells, "visit"), _by_value(cells, "visit_24h")
    rows = tuple(
        (
            f"{h:02d}:00",
            everywhere[f"{h:02d}"].events if f"{h:02d}" in everywhere else 0,
            all_day[f"{h:02d}"].events if f"{h:02d}" in all_day else 0,
        )
        for h in range(24)
    )
    return (Chart("visits_by_hour", "bar", ("hour", "entries", "entries_24h"), rows),)


def terminals(analytics: AnalyticsService, ask: Ask) -> tuple[Chart, ...]:
    cells = _by_value(_tallies(analytics, ask, "sip2"), "sip2")
    rows = tuple(
        (name, c.events, c.amount, ratio(c.amount, c.events, 3))
        for name, c in sorted(cells.items())
    )
    return (
        Chart("terminals", "bar", ("terminal", "transactions", "failures", "failure_rate"), rows),
    )


def events(
    analytics: AnalyticsService, ask: Ask, names: Callable[[list[int]], dict[int, str]]
) -> tuple[Chart, ...]:
    cells = _tallies(analytics, ask, "event_seats", "event_registered", "event_attended")
    seats = _by_value(cells, "event_seats")
    came, taken = _by_value(cells, "event_attended"), _by_value(cells, "event_registered")
    ids = sorted(int(v) for v in seats)
    named = names(ids)
    rows = []
    for event_id in ids:
        key = str(event_id)
        capacity = seats[key].events
        registered = taken[key].events if key in taken else 0
        attended = came[key].events if key in came else 0
        rows.append(
            (
                named.get(event_id, key),
                capacity,
                registered,
                attended,
                ratio(registered, capacity),
                ratio(attended, capacity),
            )
        )
    columns = ("event", "seats", "registered", "attended", "fill_rate", "attendance_rate")
    return (Chart("fill_rates", "bar", columns, tuple(rows)),)
