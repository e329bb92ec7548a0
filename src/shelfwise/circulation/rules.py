"""Pure parts of circulation: the loan-rules matrix and branch calendars (closed days and
opening hours).

A rule row names a reader category, an item type and a branch, each possibly
"any" (None). The most specific matching row wins: category weighs 4, item
type 2, branch 1, so "children × any type × any branch" beats "any × DVD ×
central". With no row at all the built-in default applies. The chosen rule
comes with an explanation a librarian can read.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from itertools import pairwise


@dataclass(frozen=True, slots=True)
class LoanRule:
    id: int | None  # None: the built-in default
    reader_category: str | None
    item_type: str | None
    branch_id: int | None
    loan_days: int = 30
    renewals: int = 2
    loan_limit: int = 15
    hold_limit: int = 5
    fine_cents_per_day: int = 10  # 0.10 yuan per open day
    fine_max_cents: int = 2000
    grace_days: int = 0
    hold_shelf_days: int = 7
    lost_fee_cents: int = 5000  # when the item has no price

    @property
    def specificity(self) -> int:
        return (
            4 * (self.reader_category is not None)
            + 2 * (self.item_type is not None)
            + (self.branch_id is not None)
        )


DEFAULT_RULE = LoanRule(id=None, reader_category=None, item_type=None, branch_id=None)

RULE_FIELDS = (
    "loan_days",
    "renewals",
    "loan_limit",
    "hold_limit",
    "fine_cents_per_day",
    "fine_max_cents",
    "grace_days",
    "hold_shelf_days",
    "lost_fee_cents",
)


@dataclass(frozen=True, slots=True)
class RuleMatch:
    rule: LoanRule
    explanation: str
    candidates: int


def matches(rule: LoanRule, category: str, item_type: str, branch_id: int) -> bool:
    return (
        rule.reader_category in (None, category)
        and rule.item_type in (None, item_type)
        and rule.branch_id in (None, branch_id)
    )


def resolve(rules: Iterable[LoanRule], category: str, item_type: str, branch_id: int) -> RuleMatch:
    candidates = [r for r in rules if matches(r, category, item_type, branch_id)]
    if not candidates:
        return RuleMatch(
            replace(DEFAULT_RULE),
            f"no rule matches category={category}, item type={item_type}, "
            f"branch={branch_id}: the built-in default applies",
            0,
        )
    best = max(candidates, key=lambda r: (r.specificity, -(r.id or 0)))
    parts = [
        f"category={best.reader_category or 'any'}",
        f"item type={best.item_type or 'any'}",
        f"branch={best.branch_id if best.branch_id is not None else 'any'}",
    ]
    return RuleMatch(
        best,
        f"rule {best.id} ({', '.join(parts)}) is the most specific of "
        f"{len(candidates)} matching rule(s)",
        len(candidates),
    )


@dataclass(frozen=True, slots=True)
class Hours:
    """One opening span of a day, in minutes after local midnight: [opens, closes)."""

    opens: int
    closes: int

    def __post_init__(self) -> None:
        if not 0 <= self.opens < self.closes <= 24 * 60:
            raise ValueError(f"opening hours {self.opens}-{self.closes} are not a span of a day")

    @property
    def opens_at(self) -> str:
        return _clock_text(self.opens)

    @property
    def closes_at(self) -> str:
        return _clock_text(self.closes)

    def __str__(self) -> str:
        return f"{self.opens_at}-{self.closes_at}"


@dataclass(frozen=True, slots=True)
class Calendar:
    """A branch's closed weekdays (0 = Monday) and closed dates, and its opening hours.

    ``weekly_hours``: the spans of each weekday (several: a midday break);
    ``special_hours``: the spans of a date that differ from its weekday's (an exception,
    also a special opening on a weekday that is usually closed). A date in ``closed_days``
    is closed whatever its hours. Hours only describe the day: due dates need open days.
    """

    closed_weekdays: frozenset[int] = frozenset()
    closed_days: frozenset[date] = frozenset()
    weekly_hours: Mapping[int, tuple[Hours, ...]] = field(default_factory=dict)
    special_hours: Mapping[date, tuple[Hours, ...]] = field(default_factory=dict)

    def is_open(self, day: date) -> bool:
        if day in self.closed_days:
            return False
        return day in self.special_hours or day.weekday() not in self.closed_weekdays

    def hours_on(self, day: date) -> tuple[Hours, ...] | None:
        """The opening spans of ``day``: ``()`` when closed, ``None`` when none are published."""
        if not self.is_open(day):
            return ()
        if day in self.special_hours:
            return self.special_hours[day]
        return self.weekly_hours.get(day.weekday())

    def is_open_at(self, local: datetime) -> bool | None:
        """Open at this local wall-clock time (``None``: the day's hours are not published)."""
        spans = self.hours_on(local.date())
        if spans is None:
            return None
        minute = local.hour * 60 + local.minute
        return any(h.opens <= minute < h.closes for h in spans)

    def next_open_day(self, day: date) -> date:
        """``day`` if open, else the first open day after it (a year of closures: ``day``)."""
        for offset in range(366):
            candidate = day + timedelta(days=offset)
            if self.is_open(candidate):
                return candidate
        return day

    def open_days_between(self, after: date, until: date) -> int:
        """Open days in (after, until]: what an overdue fine counts."""
        if until <= after:
            return 0
        span = (until - after).days
        return sum(1 for k in range(1, span + 1) if self.is_open(after + timedelta(days=k)))


# --- opening hours as text (the staff page and the CLI) ---------------------------------

_SPAN = re.compile(r"^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$")


def _clock_text(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _span(text: str) -> Hours:
    found = _SPAN.match(text)
    if found is None:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM")
    h1, m1, h2, m2 = (int(g) for g in found.groups())
    if m1 > 59 or m2 > 59:
        raise ValueError(f"{text!r} is not HH:MM-HH:MM")
    return Hours(h1 * 60 + m1, h2 * 60 + m2)


def parse_hours(
    text: str,
) -> tuple[dict[int, tuple[Hours, ...]], dict[date, tuple[Hours, ...]]]:
    """Lines ``<weekday 1-7 (Monday = 1)> HH:MM-HH:MM [HH:MM-HH:MM …]`` and
    ``<YYYY-MM-DD> HH:MM-HH:MM …`` → (weekly hours by weekday 0-6, special hours by date).

    ``ValueError`` names the line that is wrong. Spans of one day must not overlap.
    """
    weekly: dict[int, tuple[Hours, ...]] = {}
    special: dict[date, tuple[Hours, ...]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.replace(",", " ").split()
        if not line:
            continue
        try:
            if len(line) < 2:
                raise ValueError("a day and at least one span are needed")
            spans = ordered_spans([_span(part) for part in line[1:]])
            key = line[0]
            if key.isdigit() and 1 <= int(key) <= 7:
                weekly[int(key) - 1] = spans
            else:
                special[date.fromisoformat(key)] = spans
        except ValueError as exc:
            raise ValueError(f"line {number} ({raw.strip()!r}): {exc}") from None
    return weekly, special


def ordered_spans(spans: Iterable[Hours]) -> tuple[Hours, ...]:
    """The spans of one day in order; ``ValueError`` when two overlap."""
    ordered = tuple(sorted(spans, key=lambda h: h.opens))
    for before, after in pairwise(ordered):
        if after.opens < before.closes:
            raise ValueError(f"{before} and {after} overlap")
    return ordered


def format_hours(calendar: Calendar) -> str:
    """The calendar's hours in the text :func:`parse_hours` reads."""
    lines = [
        f"{weekday + 1} " + " ".join(str(h) for h in spans)
        for weekday, spans in sorted(calendar.weekly_hours.items())
    ]
    lines += [
        f"{day.isoformat()} " + " ".join(str(h) for h in spans)
        for day, spans in sorted(calendar.special_hours.items())
    ]
    return "\n".join(lines)


def due_date(calendar: Calendar, start: date, loan_days: int) -> date:
    return calendar.next_open_day(start + timedelta(days=loan_days))


def overdue_fine(calendar: Calendar, rule: LoanRule, due_on: date, returned_on: date) -> int:
    """Fine in cents: open days late beyond the grace, times the rate, capped."""
    late = calendar.open_days_between(due_on, returned_on)
    if late <= rule.grace_days:
        return 0
    return min(late * rule.fine_cents_per_day, rule.fine_max_cents)
