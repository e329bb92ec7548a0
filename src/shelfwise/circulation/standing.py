"""A reader's standing: whether they may borrow, renew and place holds now, and why not.

The one rule of who may borrow. Checkout asks it inside its transaction (under
the reader lock, so the counts it reads are the ones the insert will change);
the desk page, the SIP2 patron status (23/63) and the API read the same
:class:`Standing`, so no door keeps a copy of the rule that could drift.

What stops a reader, each with its own refusal code and sentence:

* the account: a pending registration, an expired card, a manual block, open
  fees above ``circulation_fee_block_cents`` — these stop borrowing, renewing
  and placing holds;
* an overdue or lost loan (``circulation_overdue_blocks``) — stops new loans only:
  renewing and returning are how a reader puts it right;
* a missing deposit that credit does not waive (``circulation_deposit_cents``) —
  stops new loans only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from shelfwise.circulation import repo_loans
from shelfwise.circulation.deposits import DepositPolicy, deposit_block
from shelfwise.circulation.models import CirculationPolicy
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader, ReaderStatus


@dataclass(frozen=True, slots=True)
class LoanCounts:
    open: int  # on loan or declared lost
    overdue: int  # on loan past the due date
    lost: int  # declared lost, not returned


@dataclass(frozen=True, slots=True)
class Standing:
    card_number: str
    loans: LoanCounts
    owed_cents: int  # open fees, all kinds
    fee_limit_cents: int
    account_blocks: tuple[ShelfwiseError, ...]  # no loans, renewals or holds
    borrow_blocks: tuple[ShelfwiseError, ...]  # the account's, then overdue and deposit
    # What the desk tells the reader though it stops nothing: overdue loans where they do
    # not block, a card about to expire, fees under the limit.
    warnings: tuple[ShelfwiseError, ...] = ()

    @property
    def may_borrow(self) -> bool:
        return not self.borrow_blocks

    @property
    def may_renew(self) -> bool:
        return not self.account_blocks

    @property
    def may_hold(self) -> bool:
        return not self.account_blocks

    @property
    def fees_over_limit(self) -> bool:
        return self.owed_cents > self.fee_limit_cents

    def require_borrow(self) -> None:
        if self.borrow_blocks:
            raise self.borrow_blocks[0]


def loan_counts(conn: Connection, reader_id: int, today: date) -> LoanCounts:
    """Open, overdue and lost loans of a reader, in one statement."""
    return LoanCounts(*repo_loans.loan_counts(conn, reader_id, today))


def account_blocks(
    reader: Reader, owed_cents: int, today: date, policy: CirculationPolicy
) -> list[ShelfwiseError]:
    out = []
    if reader.status is ReaderStatus.PENDING:
        out.append(ShelfwiseError("circ.reader_pending"))
    if reader.expires_on < today:
        out.append(ShelfwiseError("circ.card_expired", expired=reader.expires_on.isoformat()))
    if reader.manual_block:
        out.append(ShelfwiseError("circ.reader_blocked", reason=reader.manual_block))
    if owed_cents > policy.fee_block_cents:
        out.append(
            ShelfwiseError(
                "circ.fees_over_limit",
                owed=f"{owed_cents / 100:.2f}",
                limit=f"{policy.fee_block_cents / 100:.2f}",
            )
        )
    return out


def assess(
    conn: Connection,
    reader: Reader,
    today: date,
    policy: CirculationPolicy,
    deposits: DepositPolicy,
) -> Standing:
    """The reader's standing now: one statement, two when a deposit is due and missing."""
    figures = repo_loans.standing_figures(conn, reader.id, today)
    return standing_of(conn, reader, figures, today, policy, deposits)


def standing_of(
    conn: Connection,
    reader: Reader,
    figures: tuple[int, int, int, int],
    today: date,
    policy: CirculationPolicy,
    deposits: DepositPolicy,
) -> Standing:
    """The standing from figures already read (open, overdue, lost loans; fees owed): a
    checkout reads them with the copy, in one statement (repo_desk.checkout_read)."""
    *loans, owed = figures
    counts = LoanCounts(*loans)
    account = account_blocks(reader, owed, today, policy)
    borrow = list(account)
    if policy.overdue_blocks and (counts.overdue or counts.lost):
        borrow.append(
            ShelfwiseError("circ.overdue_loans", overdue=counts.overdue, lost=counts.lost)
        )
    missing_deposit = deposit_block(conn, deposits, reader, today)
    if missing_deposit is not None:
        borrow.append(missing_deposit)
    return Standing(
        card_number=reader.card_number,
        loans=counts,
        owed_cents=owed,
        fee_limit_cents=policy.fee_block_cents,
        account_blocks=tuple(account),
        borrow_blocks=tuple(borrow),
        warnings=tuple(warnings(reader, counts, owed, today, policy)),
    )


def warnings(
    reader: Reader, counts: LoanCounts, owed_cents: int, today: date, policy: CirculationPolicy
) -> list[ShelfwiseError]:
    """What stops nothing yet but the reader should hear at the desk."""
    out = []
    if not policy.overdue_blocks and (counts.overdue or counts.lost):
        out.append(ShelfwiseError("circ.overdue_warning", overdue=counts.overdue, lost=counts.lost))
    days = (reader.expires_on - today).days
    if 0 <= days <= policy.card_warning_days:
        out.append(ShelfwiseError("circ.card_expires_soon", date=reader.expires_on.isoformat()))
    if 0 < owed_cents <= policy.fee_block_cents:
        out.append(ShelfwiseError("circ.fees_owed", owed=f"{owed_cents / 100:.2f}"))
    return out
