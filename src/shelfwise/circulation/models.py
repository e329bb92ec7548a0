"""Circulation values handed out by the service."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from shelfwise.circulation.rules import LoanRule
from shelfwise.circulation.states import Availability, HoldStatus, LoanStatus
from shelfwise.config import RenewalBase


@dataclass(frozen=True, slots=True)
class Loan:
    id: int
    item_id: int
    barcode: str
    record_id: int
    reader_id: int | None
    status: LoanStatus
    branch_id: int
    loaned_at: datetime
    due_on: date
    renewals: int
    returned_at: datetime | None
    rule_id: int | None
    # The title, when the operation that made the loan read it (a checkout): a kiosk's
    # reply, prepared before the commit, needs no read of its own. None: not read.
    title: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class Hold:
    id: int
    reader_id: int | None
    record_id: int
    item_id: int | None
    trapped_item_id: int | None
    pickup_branch_id: int
    status: HoldStatus
    placed_at: datetime
    shelf_expires_on: date | None
    queue_position: int | None  # 1-based among waiting holds of the record; None once trapped
    # Given when the copy reaches the hold shelf: the numbered slot it sits in, and the code
    # the reader says (or shows) at the desk or a locker.
    shelf_slot: int | None = None
    pickup_code: str | None = None


@dataclass(frozen=True, slots=True)
class Fee:
    id: int
    reader_id: int | None
    loan_id: int | None
    kind: str
    status: str
    amount_cents: int
    paid_cents: int
    waived_cents: int
    note: str
    created_at: datetime

    @property
    def balance_cents(self) -> int:
        return self.amount_cents - self.paid_cents - self.waived_cents


@dataclass(frozen=True, slots=True)
class Payment:
    """One payment against a reader's fees: how much went to which fee (JSON-able, so that
    a retried payment is answered from it)."""

    card_number: str
    amount_cents: int
    parts: tuple[tuple[int, int], ...]  # (fee id, cents)


@dataclass(frozen=True, slots=True)
class CheckinResult:
    """What a check-in did, JSON-able so that an idempotent retry can be answered from it."""

    barcode: str
    loan_id: int | None
    fine_cents: int
    hold_id: int | None  # the hold this copy was trapped for
    hold_status: str | None  # ready (to the hold shelf) or in_transit
    transit_to_branch_id: int | None
    availability: str
    # The copy's record, home branch and title as the check-in read them (a kiosk's
    # reply needs them; a result stored before they were kept has None).
    record_id: int | None = field(default=None, compare=False)
    home_branch_id: int | None = field(default=None, compare=False)
    title: str | None = field(default=None, compare=False)


@dataclass(frozen=True, slots=True)
class ItemStatus:
    item_id: int
    barcode: str
    record_id: int
    home_branch_id: int
    availability: Availability
    due_on: date | None


@dataclass(frozen=True, slots=True)
class CirculationPolicy:
    fee_block_cents: int  # open fees above this block borrowing
    due_soon_days: int
    overdue_blocks: bool = True  # an overdue or lost loan stops new loans
    renewal_base: RenewalBase = RenewalBase.DUE_DATE
    card_warning_days: int = 30  # the desk warns of a card expiring this soon


@dataclass(frozen=True, slots=True)
class RuleView:
    rule: LoanRule
    explanation: str


@dataclass(frozen=True, slots=True)
class PullListEntry:
    hold_id: int
    record_id: int
    barcode: str
    call_number: str
    pickup_branch_id: int
    placed_at: datetime


@dataclass(frozen=True, slots=True)
class HoldSlip:
    """A trapped hold as the desk sees it: the slip put in the copy, and a hold-shelf row."""

    hold_id: int
    status: HoldStatus
    record_id: int
    barcode: str | None  # the trapped copy
    call_number: str | None
    pickup_branch_id: int
    card_number: str | None  # None once the reader is erased
    reader_name: str | None
    placed_at: datetime
    shelf_expires_on: date | None
    shelf_slot: int | None = None  # where on the hold shelf (ready holds)
    pickup_code: str | None = None
