"""The estimated wait of a hold (issue 16): the place in the queue turned into a day, from
when each copy comes free and how long readers keep the title (both engines)."""

from __future__ import annotations

from datetime import date, timedelta

from circ_helpers import LendingLibrary

from shelfwise.circulation.hold_wait import PICKUP_DAYS, estimated_ready
from shelfwise.circulation.models import ItemStatus
from shelfwise.circulation.scope import SYSTEM, reader_self
from shelfwise.circulation.states import Availability
from shelfwise.core.clock import FrozenClock

TODAY = date(2026, 9, 1)


def _copy(n: int, where: Availability, due: date | None = None) -> ItemStatus:
    return ItemStatus(n, f"B{n}", 1, 1, where, due)


def test_each_reader_ahead_takes_the_first_copy_to_come_free() -> None:
    on_loan = [
        _copy(1, Availability.ON_LOAN, TODAY + timedelta(days=12)),
        _copy(2, Availability.ON_LOAN, TODAY + timedelta(days=5)),
    ]
    days = [estimated_ready(TODAY, n, on_loan, 20) for n in (1, 2, 3, 4)]
    assert days == [TODAY + timedelta(days=d) for d in (5, 12, 25, 32)]
    overdue = [_copy(1, Availability.ON_LOAN, TODAY - timedelta(days=3))]
    assert estimated_ready(TODAY, 1, overdue, 20) == TODAY  # late: any day now, not the past
    shelf = [_copy(1, Availability.ON_SHELF), _copy(2, Availability.HOLD_SHELF)]
    assert estimated_ready(TODAY, 1, shelf, 20) == TODAY
    assert estimated_ready(TODAY, 2, shelf, 20) == TODAY + timedelta(days=20)
    gone = [_copy(1, Availability.LOST), _copy(2, Availability.UNAVAILABLE)]
    assert estimated_ready(TODAY, 1, gone, 20) is None  # no copy can come back: no day


def test_a_readers_holds_get_a_day_from_the_queue_and_the_loans(
    library: LendingLibrary, clock: FrozenClock
) -> None:
    services = library.services
    circ, waits = services.circulation, services.hold_waits
    record, (first, second) = library.title(copies=2)
    for barcode in (first, second):
        circ.checkout(library.reader().card_number, barcode, "CEN", actor=SYSTEM)
    dues = sorted(
        loan.due_on
        for loan in (circ.item_status(b) for b in (first, second))
        if loan.due_on is not None
    )
    queue = [library.reader(f"等 {n}").card_number for n in range(3)]
    for card in queue:
        circ.place_hold(card, record, "CEN", actor=reader_self(card))
    turnaround = 30 + PICKUP_DAYS  # no returns yet: the default loan period stands in
    assert waits.turnaround_days(record) == turnaround
    expected = [dues[0], dues[1], dues[0] + timedelta(days=turnaround)]
    for card, day in zip(queue, expected, strict=True):
        (hold,) = circ.holds_of(card)
        assert waits.ready_by(card) == {hold.id: day}

    # Returns of another title: the median days readers kept it make its turnaround.
    kept, (copy,) = library.title("骆驼祥子", copies=1)
    for days in (10, 20, 14):
        circ.checkout(library.reader().card_number, copy, "CEN", actor=SYSTEM)
        clock.advance(timedelta(days=days))
        circ.checkin(copy, "CEN", actor=SYSTEM)
    assert waits.turnaround_days(kept) == 14 + PICKUP_DAYS
    # A general rule's loan period stands in for a title with too few returns.
    services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"loan_days": 21}, actor=SYSTEM
    )
    assert waits.turnaround_days(record) == 21 + PICKUP_DAYS
