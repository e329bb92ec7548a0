"""What the analytics domain answers: cells of counts, suppressed below k readers (P17)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from shelfwise.catalogue.classes import CopyLabel
from shelfwise.storage.tables.analytics import ACTIVITY_DIMENSIONS, ACTIVITY_KINDS

KINDS = ACTIVITY_KINDS
DIMENSIONS = ACTIVITY_DIMENSIONS  # "all" is the row every act adds to; the others break it down
TIME_GRAINS = ("day", "month")
GROUPINGS = (*TIME_GRAINS, "branch", *(d for d in DIMENSIONS if d != "all"))
UNKNOWN = "unknown"
MAX_DAYS = 3 * 366  # the longest period one question may cover

# (first age, last age or None, label): bands a library reports by (children, teens, ...).
AGE_BANDS: tuple[tuple[int, int | None, str], ...] = (
    (0, 6, "0-6"),
    (7, 12, "7-12"),
    (13, 17, "13-17"),
    (18, 29, "18-29"),
    (30, 44, "30-44"),
    (45, 59, "45-59"),
    (60, None, "60+"),
)


@dataclass(frozen=True, slots=True)
class AnalyticsPolicy:
    """``min_readers``: k of P17 — a cell made by fewer different readers is not shown."""

    min_readers: int = 5


@dataclass(frozen=True, slots=True)
class Question:
    """Counts of one act by some of :data:`GROUPINGS`, over ``since``..``until`` (both in)."""

    kind: str
    by: tuple[str, ...]
    since: date
    until: date
    branches: tuple[str, ...] = ()  # codes; empty: every branch the asker may see


@dataclass(frozen=True, slots=True)
class Cell:
    """One answer row. ``events`` is None when suppressed (fewer than k readers)."""

    period: str | None  # "2026-12-07" by day, "2026-12" by month, None when not asked
    branch: str | None
    value: str | None  # the broken-down dimension's value, None when none asked
    events: int | None

    @property
    def suppressed(self) -> bool:
        return self.events is None


@dataclass(frozen=True, slots=True)
class Report:
    question: Question
    min_readers: int
    cells: tuple[Cell, ...]

    @property
    def dimension(self) -> str:
        return next((b for b in self.question.by if b in DIMENSIONS), "all")


@dataclass(frozen=True, slots=True)
class TallyCell:
    """One counter of another domain's acts (analytics/tallies.py). ``events`` and
    ``amount`` are None when hidden; ``branch`` "" is the network (a wish or a story of no
    branch), None when not asked; ``period`` None when not asked."""

    kind: str
    period: str | None
    branch: str | None
    value: str
    events: int | None
    amount: int | None


@dataclass(frozen=True, slots=True)
class Stocked:
    """Copies per (branch code, main class, idle years: -1 never lent) at ``taken_at``
    (None: no stock taken yet)."""

    counts: dict[tuple[str, str, int], int]
    taken_at: datetime | None


@dataclass(frozen=True, slots=True)
class IdleCopy:
    label: CopyLabel
    branch: str
    main_class: str
    last_loan: date | None  # None: never lent


@dataclass(frozen=True, slots=True)
class Wanted:
    record_id: int
    title: str
    holds: int  # waiting, at the branches asked
    copies: int  # in service, in the whole network
