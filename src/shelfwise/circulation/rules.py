"""Pure parts of circulation: the loan-rules matrix and branch calendars.

A rule row names a reader category, an item type and a branch, each possibly
"any" (None). The most specific matching row wins: category weighs 4, item
type 2, branch 1, so "children × any type × any branch" beats "any × DVD ×
central". With no row at all the built-in default applies. The chosen rule
comes with an explanation a librarian can read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, timedelta


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
class Calendar:
    """A branch's closed weekdays (0 = Monday) and closed dates."""

    closed_weekdays: frozenset[int] = frozenset()
    closed_days: frozenset[date] = frozenset()

    def is_open(self, day: date) -> bool:
        return day.weekday() not in self.closed_weekdays and day not in self.closed_days

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


def due_date(calendar: Calendar, start: date, loan_days: int) -> date:
    return calendar.next_open_day(start + timedelta(days=loan_days))


def overdue_fine(calendar: Calendar, rule: LoanRule, due_on: date, returned_on: date) -> int:
    """Fine in cents: open days late beyond the grace, times the rate, capped."""
    late = calendar.open_days_between(due_on, returned_on)
    if late <= rule.grace_days:
        return 0
    return min(late * rule.fine_cents_per_day, rule.fine_max_cents)
