"""The loan and hold states and their allowed transitions: one table each, in code.

Every status change in :mod:`shelfwise.circulation.service` goes through
:func:`check_loan` / :func:`check_hold`, so a move that is not in these tables
cannot happen, whichever door asked for it.
"""

from __future__ import annotations

from enum import StrEnum

from shelfwise.core.errors import ShelfwiseError


class LoanStatus(StrEnum):
    ON_LOAN = "on_loan"
    RETURNED = "returned"
    LOST = "lost"  # declared lost; still open (the item is the reader's responsibility)


class HoldStatus(StrEnum):
    WAITING = "waiting"  # in the queue
    IN_TRANSIT = "in_transit"  # a copy is trapped and travelling to the pickup branch
    READY = "ready"  # on the hold shelf at the pickup branch
    FULFILLED = "fulfilled"  # checked out to the reader
    CANCELLED = "cancelled"
    EXPIRED = "expired"  # not collected before the hold-shelf expiry


class Availability(StrEnum):
    """Where a copy is, computed from the catalogue lifecycle and circulation's rows."""

    ON_SHELF = "on_shelf"
    ON_LOAN = "on_loan"
    HOLD_SHELF = "hold_shelf"
    IN_TRANSIT = "in_transit"
    LOST = "lost"  # declared lost on a loan
    UNAVAILABLE = "unavailable"  # lifecycle other than in service (missing, in repair...)


# (from, to) -> the operation that makes the move.
LOAN_TRANSITIONS: dict[tuple[LoanStatus | None, LoanStatus], str] = {
    (None, LoanStatus.ON_LOAN): "checkout",
    (LoanStatus.ON_LOAN, LoanStatus.ON_LOAN): "renew",
    (LoanStatus.ON_LOAN, LoanStatus.RETURNED): "checkin",
    (LoanStatus.ON_LOAN, LoanStatus.LOST): "declare_lost",
    (LoanStatus.LOST, LoanStatus.RETURNED): "checkin",  # found and brought back
}

HOLD_TRANSITIONS: dict[tuple[HoldStatus | None, HoldStatus], str] = {
    (None, HoldStatus.WAITING): "place",
    (HoldStatus.WAITING, HoldStatus.READY): "trap",  # checked in at the pickup branch
    (HoldStatus.WAITING, HoldStatus.IN_TRANSIT): "trap",  # checked in elsewhere
    (HoldStatus.IN_TRANSIT, HoldStatus.READY): "receive",
    (HoldStatus.READY, HoldStatus.FULFILLED): "checkout",
    (HoldStatus.WAITING, HoldStatus.FULFILLED): "checkout",  # reader found it on the shelf
    (HoldStatus.WAITING, HoldStatus.CANCELLED): "cancel",
    (HoldStatus.IN_TRANSIT, HoldStatus.CANCELLED): "cancel",
    (HoldStatus.READY, HoldStatus.CANCELLED): "cancel",
    (HoldStatus.READY, HoldStatus.EXPIRED): "expire",
}

ACTIVE_HOLDS = (HoldStatus.WAITING, HoldStatus.IN_TRANSIT, HoldStatus.READY)
TRAPPED_HOLDS = (HoldStatus.IN_TRANSIT, HoldStatus.READY)


def check_loan(current: LoanStatus | None, target: LoanStatus, operation: str) -> None:
    if LOAN_TRANSITIONS.get((current, target)) != operation:
        raise ShelfwiseError(
            "circ.transition", kind="loan", current=current or "-", target=target, op=operation
        )


def check_hold(current: HoldStatus | None, target: HoldStatus, operation: str) -> None:
    if HOLD_TRANSITIONS.get((current, target)) != operation:
        raise ShelfwiseError(
            "circ.transition", kind="hold", current=current or "-", target=target, op=operation
        )
