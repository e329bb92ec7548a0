"""Offline upload replay (idempotent, conflicts reported) and the pure rules and calendars."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from circ_helpers import LendingLibrary
from hypothesis import given
from hypothesis import strategies as st

from shelfwise.circulation.offline import OfflineOp, OfflineTransaction, replay
from shelfwise.circulation.rules import (
    DEFAULT_RULE,
    Calendar,
    LoanRule,
    due_date,
    overdue_fine,
    resolve,
)
from shelfwise.circulation.scope import SYSTEM


def test_offline_upload_applies_once_and_reports_conflicts(library: LendingLibrary) -> None:
    circ = library.services.circulation
    _, (b1, b2) = library.title(copies=2)
    alice, bob = library.reader("Alice"), library.reader("Bob")
    t0 = datetime(2026, 9, 1, 10, tzinfo=UTC)
    upload = [
        OfflineTransaction("u1", OfflineOp.CHECKOUT, t0, b1, "K01", alice.card_number),
        OfflineTransaction(
            "u2", OfflineOp.CHECKOUT, t0 + timedelta(minutes=1), b1, "K01", bob.card_number
        ),
        OfflineTransaction(
            "u3", OfflineOp.CHECKOUT, t0 + timedelta(minutes=2), b2, "K01", bob.card_number
        ),
        OfflineTransaction("u4", OfflineOp.CHECKIN, t0 + timedelta(minutes=3), b2, "K01"),
    ]
    first = replay(circ, upload, actor=SYSTEM)
    assert [(o.id, o.outcome, o.code) for o in first] == [
        ("u1", "applied", None),
        ("u2", "conflict", "circ.item_on_loan"),
        ("u3", "applied", None),
        ("u4", "applied", None),
    ]
    again = replay(circ, list(reversed(upload)), actor=SYSTEM)  # the same file uploaded twice
    assert [o.outcome for o in again] == ["applied", "conflict", "applied", "applied"]
    assert [loan.barcode for loan in circ.loans_of(alice.card_number)] == [b1]
    assert circ.loans_of(bob.card_number) == []


def test_most_specific_rule_wins_with_an_explanation() -> None:
    rules = [
        LoanRule(1, None, None, None, loan_days=30),
        LoanRule(2, "child", None, None, loan_days=14),
        LoanRule(3, None, "dvd", None, loan_days=7),
        LoanRule(4, "child", "dvd", 9, loan_days=3),
    ]
    assert resolve(rules, "child", "dvd", 1).rule.id == 2  # category beats item type
    assert resolve(rules, "adult", "dvd", 1).rule.id == 3
    match = resolve(rules, "child", "dvd", 9)
    assert match.rule.id == 4
    assert "most specific of 4" in match.explanation
    default = resolve([], "adult", "book", 1)
    assert default.rule == DEFAULT_RULE
    assert "built-in default" in default.explanation


@given(
    start=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 1, 1)),
    days=st.integers(0, 120),
    weekdays=st.frozensets(st.integers(0, 6), max_size=6),
)
def test_due_dates_are_open_days_and_never_early(
    start: date, days: int, weekdays: frozenset[int]
) -> None:
    calendar = Calendar(weekdays, frozenset({start + timedelta(days=days)}))
    due = due_date(calendar, start, days)
    assert calendar.is_open(due)
    assert due > start + timedelta(days=days)  # the natural date is closed, so later
    assert (due - (start + timedelta(days=days))).days <= 8


@given(late=st.integers(0, 400), grace=st.integers(0, 5))
def test_fines_count_open_days_beyond_grace_and_are_capped(late: int, grace: int) -> None:
    rule = LoanRule(
        None, None, None, None, grace_days=grace, fine_cents_per_day=10, fine_max_cents=2000
    )
    due = date(2026, 9, 1)
    fine = overdue_fine(Calendar(), rule, due, due + timedelta(days=late))
    assert fine == (0 if late <= grace else min(late * 10, 2000))
    sundays_closed = Calendar(frozenset({6}))
    assert overdue_fine(sundays_closed, rule, due, due + timedelta(days=late)) <= fine
