"""The collection as it stands, taken by the hourly ``analytics.stock`` job (issue 21), so
that turnover, weeding and hold pressure read a few hundred rows on a page view instead of
``items`` and ``loans``.

From the catalogue's copies in service, circulation's last loan day per copy and its waiting
holds (published reads, in one read transaction), :func:`take` makes:

* copies per home branch, main class and **idle years** (whole years since the last loan,
  capped at :data:`MAX_IDLE`; -1 never lent) — "copies never borrowed in N years" is the sum
  of the idle years >= N and the never-lent;
* the :data:`IDLE_KEPT` longest-idle copies per branch (idle a year or more): the weeding or
  transfer candidates;
* the :data:`WANTED_KEPT` titles per pickup branch with the most holds waiting per copy in
  service (network-wide copies: any copy can fill a hold): the titles to buy more of.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

MAX_IDLE = 10
NEVER = -1
IDLE_KEPT = 200
WANTED_KEPT = 50
IDLE_YEARS = (1, 2, 3, 5)  # the N a manager may choose


@dataclass(frozen=True, slots=True)
class Stock:
    taken_at: datetime
    counts: dict[tuple[int, str, int], int]  # (branch, class, idle years) -> copies
    idle: list[tuple[int, int, str, date | None]]  # (item, branch, class, last loan)
    wanted: list[tuple[int, int, int, int]]  # (branch, record, holds, copies)


def idle_years(last: date | None, today: date) -> int:
    if last is None:
        return NEVER
    return min(MAX_IDLE, max(0, (today - last).days // 365))


def take(
    copies: Iterable[tuple[int, int, int]],
    classes: Mapping[int, str],
    last_loans: Mapping[int, date],
    holds: Iterable[tuple[int, int, int]],
    today: date,
    now: datetime,
) -> Stock:
    counts: dict[tuple[int, str, int], int] = {}
    idle: dict[int, list[tuple[int, int, str, date | None]]] = {}
    per_record: dict[int, int] = {}
    for item, branch, record in copies:
        cls = classes.get(record, "none")
        last = last_loans.get(item)
        years = idle_years(last, today)
        key = (branch, cls, years)
        counts[key] = counts.get(key, 0) + 1
        per_record[record] = per_record.get(record, 0) + 1
        if years == NEVER or years >= 1:
            idle.setdefault(branch, []).append((item, branch, cls, last))
    kept = [
        copy for rows in idle.values() for copy in heapq.nsmallest(IDLE_KEPT, rows, key=_idle_order)
    ]
    wanted: dict[int, list[tuple[float, int, int, int]]] = {}
    for record, branch, n in holds:
        have = per_record.get(record, 0)
        wanted.setdefault(branch, []).append((n / max(have, 1), -record, n, have))
    best = [
        (branch, -neg_record, n, have)
        for branch, rows in wanted.items()
        for _, neg_record, n, have in heapq.nlargest(WANTED_KEPT, rows)
    ]
    return Stock(now, counts, kept, best)


def _idle_order(copy: tuple[int, int, str, date | None]) -> tuple[int, date, int]:
    """Never lent first, then the oldest last loan, then the copy's id."""
    item, _, _, last = copy
    return (0 if last is None else 1, last or date.min, item)
