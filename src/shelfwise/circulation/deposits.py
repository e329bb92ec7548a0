"""Deposits (押金) and deposit-free credit borrowing (信用借阅).

A library may ask readers of a category to leave a deposit before they borrow
(``circulation_deposit_cents``, per category), refunded when they leave. A
reader the credit policy finds eligible borrows without one. The checkout rule
(:func:`deposit_block`, part of the reader's standing) runs inside checkout's transaction, under the reader
lock that also serialises refunds, so a refund and a checkout never both pass.

A refund is refused while the reader has open loans or open fees. It is one
conditional ``UPDATE … WHERE status='held'``: of two concurrent refunds of one
deposit, exactly one changes the row and the other is refused.

Credit is an interface (:class:`CreditPolicy`); :class:`StandingCreditPolicy`
is the built-in one, computed from circulation's own rows. Returned loans
forget their reader as privacy says they must (P1, P2), so the look-back does
not read loans: check-in counts each late return in ``late_returns`` (reader,
local month, count — no title, no item, no day), and credit reads that count
beside the loans still open.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from sqlalchemy import Connection, Row

from shelfwise.circulation import repo, repo_deposits, repo_loans
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.readers.reading import lock_reader, reader_by_id, reader_id_of
from shelfwise.storage.database import Database

DEPOSIT_METHODS = ("cash", "wechat", "alipay", "card", "transfer")
ANY_CATEGORY = "*"


@dataclass(frozen=True, slots=True)
class Deposit:
    id: int
    reader_id: int
    amount_cents: int
    status: str  # held | refunded
    method: str
    note: str
    created_at: datetime
    closed_at: datetime | None


@dataclass(frozen=True, slots=True)
class CreditDecision:
    eligible: bool
    reasons: tuple[str, ...]  # why not, as stable short codes; empty when eligible


@dataclass(frozen=True, slots=True)
class DepositStanding:
    """What the desk needs to know about a reader and deposits."""

    required_cents: int
    held_cents: int
    credit: CreditDecision
    may_borrow: bool
    explanation: str


class CreditPolicy(Protocol):
    """Decides whether a reader may borrow without a deposit (same transaction as the caller)."""

    def assess(self, conn: Connection, reader: Reader, today: date) -> CreditDecision: ...

    def describe(self) -> str: ...


@dataclass(frozen=True, slots=True)
class StandingCreditPolicy:
    """Eligible when the card is old enough and the library holds nothing late against it.

    Reasons when not: ``credit_off``, ``card_age`` (registered fewer than
    ``min_card_days`` ago), ``overdue`` (a loan overdue now, a lost loan, or a late
    return in the last ``lookback_days``, counted per month), ``open_fees``.
    """

    enabled: bool = True
    min_card_days: int = 180
    lookback_days: int = 365

    def assess(self, conn: Connection, reader: Reader, today: date) -> CreditDecision:
        if not self.enabled:
            return CreditDecision(False, ("credit_off",))
        reasons = []
        if (today - reader.created_at.date()).days < self.min_card_days:
            reasons.append("card_age")
        if _late_within(conn, reader.id, today, today - timedelta(days=self.lookback_days)):
            reasons.append("overdue")
        if repo.open_fees_cents(conn, reader.id) > 0:
            reasons.append("open_fees")
        return CreditDecision(not reasons, tuple(reasons))

    def describe(self) -> str:
        if not self.enabled:
            return "credit borrowing is off"
        return (
            f"credit borrowing: card at least {self.min_card_days} days old, nothing overdue "
            f"or lost in the last {self.lookback_days} days, no open fees"
        )


def _late_within(conn: Connection, reader_id: int, today: date, since: date) -> bool:
    """A loan overdue or lost now, or a late return counted in ``since``'s month or later.

    Late returns are read from ``late_returns`` (counted at check-in), not from the
    loans: privacy unlinks returned loans (P1, P2), and the count keeps no titles.
    The month is the unit, so the look-back reaches back to the start of ``since``'s
    month: up to a month stricter than the day count, never more lenient.
    """
    if repo_loans.has_late_open_loan(conn, reader_id, today):
        return True
    return repo.late_returns_since(conn, reader_id, since.replace(day=1)) > 0


@dataclass(frozen=True, slots=True)
class DepositPolicy:
    """The deposit each category needs before borrowing, and the credit policy that waives it."""

    required: Mapping[str, int] = field(default_factory=dict)
    credit: CreditPolicy = field(default_factory=StandingCreditPolicy)

    def required_for(self, category: str) -> int:
        return int(self.required.get(category, self.required.get(ANY_CATEGORY, 0)))

    def describe(self, category: str) -> str:
        cents = self.required_for(category)
        if cents <= 0:
            return f"category {category} borrows without a deposit"
        return (
            f"category {category} needs a deposit of {_yuan(cents)} yuan unless eligible for "
            f"{self.credit.describe()}"
        )


def parse_requirements(text: str) -> dict[str, int]:
    """``'adult=10000, *=5000'`` → ``{'adult': 10000, '*': 5000}`` (fen); empty → none."""
    out: dict[str, int] = {}
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        category, sep, amount = part.partition("=")
        if not sep or not category.strip() or not amount.strip().isdigit():
            raise ValueError(
                f"circulation_deposit_cents: {part!r} is not category=fen (e.g. adult=10000)"
            )
        out[category.strip()] = int(amount)
    return out


def deposit_block(
    conn: Connection, policy: DepositPolicy, reader: Reader, today: date
) -> ShelfwiseError | None:
    """Why checkout must refuse for want of a deposit (enough held, or credit: ``None``).

    Part of the reader's standing; call it under the reader lock. No statement at all
    when the category needs no deposit.
    """
    required = policy.required_for(reader.category)
    if required <= 0:
        return None
    held = held_cents(conn, reader.id)
    if held >= required:
        return None
    decision = policy.credit.assess(conn, reader, today)
    if decision.eligible:
        return None
    return ShelfwiseError(
        "circ.deposit_required",
        required=_yuan(required),
        held=_yuan(held),
        reasons=", ".join(decision.reasons),
    )


def held_cents(conn: Connection, reader_id: int) -> int:
    return repo_deposits.held_cents(conn, reader_id)


def held_count(conn: Connection, reader_id: int) -> int:
    return repo_deposits.held_count(conn, reader_id)


def deposits_of(conn: Connection, reader_id: int) -> list[Deposit]:
    return [_deposit(r) for r in repo_deposits.rows_of(conn, reader_id)]


def erase_refunded(conn: Connection, reader_id: int) -> None:
    """At deletion (P6), after :func:`held_count` found none held: the rows go with the reader."""
    repo_deposits.delete_of(conn, reader_id)


class DepositService:
    def __init__(self, db: Database, clock: Clock, policy: DepositPolicy) -> None:
        self._db = db
        self._clock = clock
        self.policy = policy

    def take(self, card_number: str, amount_cents: int, method: str, note: str = "") -> Deposit:
        if amount_cents <= 0:
            raise ShelfwiseError("circ.deposit_amount", amount=amount_cents)
        if method not in DEPOSIT_METHODS:
            raise ShelfwiseError(
                "circ.deposit_method", method=method, allowed=", ".join(DEPOSIT_METHODS)
            )
        with self._db.write() as conn:
            reader = lock_reader(conn, card_number)
            deposit_id = repo_deposits.insert_deposit(
                conn,
                reader_id=reader.id,
                amount_cents=amount_cents,
                method=method,
                note=note,
                created_at=self._clock.now(),
            )
            return _load(conn, deposit_id)

    def of(self, card_number: str) -> list[Deposit]:
        with self._db.read() as conn:
            return deposits_of(conn, reader_id_of(conn, card_number))

    def get(self, deposit_id: int) -> Deposit:
        with self._db.read() as conn:
            return _load(conn, deposit_id)

    def refund(self, deposit_id: int) -> Deposit:
        """Refund a held deposit; refused while loans or fees are open, or if already refunded."""
        with self._db.write() as conn:
            deposit = _load(conn, deposit_id)
            if deposit.status != "held":
                raise ShelfwiseError("circ.deposit_refunded", deposit=deposit_id)
            # The reader lock serialises this with checkout (which counts the deposit).
            reader = reader_by_id(conn, deposit.reader_id, lock=True)
            open_loans, open_fees = repo.exists_open_for_reader(conn, reader.id)
            if open_loans:
                raise ShelfwiseError("circ.deposit_refund_loans", count=open_loans)
            if open_fees:
                raise ShelfwiseError("circ.deposit_refund_fees", count=open_fees)
            if not repo_deposits.refund(conn, deposit_id, self._clock.now()):
                # a concurrent refund got there first
                raise ShelfwiseError("circ.deposit_refunded", deposit=deposit_id)
            return _load(conn, deposit_id)

    def forget_old_late_returns(self, lookback_days: int) -> int:
        """The daily retention job: late-return month counts that credit borrowing's look-back
        (``lookback_days``) can no longer reach."""
        before = (self._clock.today() - timedelta(days=lookback_days)).replace(day=1)
        with self._db.write() as conn:
            return repo.forget_late_returns(conn, before=before)

    def standing(self, card_number: str) -> DepositStanding:
        """Required and held deposit, the credit decision, and whether checkout would pass it."""
        with self._db.read() as conn:
            reader = reader_by_id(conn, reader_id_of(conn, card_number))
            required = self.policy.required_for(reader.category)
            held = held_cents(conn, reader.id)
            decision = self.policy.credit.assess(conn, reader, self._clock.today())
        return DepositStanding(
            required_cents=required,
            held_cents=held,
            credit=decision,
            may_borrow=required <= held or decision.eligible,
            explanation=self.policy.describe(reader.category),
        )


def _load(conn: Connection, deposit_id: int) -> Deposit:
    row = repo_deposits.row(conn, deposit_id)
    if row is None:
        raise ShelfwiseError("circ.deposit_not_found", deposit=deposit_id)
    return _deposit(row)


def _deposit(row: Row[Any]) -> Deposit:
    return Deposit(
        id=row.id,
        reader_id=row.reader_id,
        amount_cents=row.amount_cents,
        status=row.status,
        method=row.method,
        note=row.note,
        created_at=row.created_at,
        closed_at=row.closed_at,
    )


def _yuan(cents: int) -> str:
    return f"{cents / 100:.2f}"
