"""Holds: queue positions, trapping on check-in, transit to the pickup branch, shelf expiry."""

from __future__ import annotations

from datetime import timedelta

import pytest
from circ_helpers import LendingLibrary

from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.states import (
    HOLD_TRANSITIONS,
    LOAN_TRANSITIONS,
    Availability,
    HoldStatus,
    LoanStatus,
    check_hold,
    check_loan,
)
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError


def test_state_tables_refuse_moves_not_listed() -> None:
    check_loan(LoanStatus.ON_LOAN, LoanStatus.RETURNED, "checkin")
    with pytest.raises(ShelfwiseError):
        check_loan(LoanStatus.RETURNED, LoanStatus.ON_LOAN, "checkout")
    with pytest.raises(ShelfwiseError):
        check_hold(HoldStatus.FULFILLED, HoldStatus.WAITING, "place")
    finals = {HoldStatus.FULFILLED, HoldStatus.CANCELLED, HoldStatus.EXPIRED}
    assert not [k for k in HOLD_TRANSITIONS if k[0] in finals]
    assert not [k for k in LOAN_TRANSITIONS if k[0] is LoanStatus.RETURNED]


def test_queue_trap_ready_and_checkout(library: LendingLibrary, clock: FrozenClock) -> None:
    circ = library.services.circulation
    record_id, (barcode,) = library.title()
    borrower, first, second = library.reader("b"), library.reader("1"), library.reader("2")
    circ.checkout(borrower.card_number, barcode, "CEN", actor=SYSTEM)
    h1 = circ.place_hold(first.card_number, record_id, "CEN", actor=SYSTEM)
    h2 = circ.place_hold(second.card_number, record_id, "CEN", actor=SYSTEM)
    assert (h1.queue_position, h2.queue_position) == (1, 2)
    with pytest.raises(ShelfwiseError, match="already have a hold"):
        circ.place_hold(first.card_number, record_id, "CEN", actor=SYSTEM)
    result = circ.checkin(barcode, "CEN", actor=SYSTEM)
    assert (result.hold_id, result.hold_status) == (h1.id, "ready")
    assert circ.item_status(barcode).availability is Availability.HOLD_SHELF
    assert circ.get_hold(h2.id, actor=SYSTEM).queue_position == 1
    with pytest.raises(ShelfwiseError) as other:
        circ.checkout(second.card_number, barcode, "CEN", actor=SYSTEM)
    assert other.value.code == "circ.item_on_hold"
    circ.checkout(first.card_number, barcode, "CEN", actor=SYSTEM)
    assert circ.get_hold(h1.id, actor=SYSTEM).status is HoldStatus.FULFILLED


def test_return_elsewhere_goes_in_transit(library: LendingLibrary) -> None:
    circ = library.services.circulation
    record_id, (barcode,) = library.title(branch="CEN")
    borrower, holder = library.reader("b"), library.reader("h")
    circ.checkout(borrower.card_number, barcode, "CEN", actor=SYSTEM)
    hold = circ.place_hold(holder.card_number, record_id, "BR1", actor=SYSTEM)
    result = circ.checkin(barcode, "K01", actor=SYSTEM)  # returned at a street kiosk
    assert result.hold_status == "in_transit"
    assert circ.item_status(barcode).availability is Availability.IN_TRANSIT
    arrived = circ.checkin(barcode, "BR1", actor=SYSTEM)
    assert (arrived.hold_id, arrived.hold_status) == (hold.id, "ready")
    assert circ.get_hold(hold.id, actor=SYSTEM).status is HoldStatus.READY
    # Without holds, a copy returned away from home travels home.
    _, (b2,) = library.title(branch="CEN")
    circ.checkout(borrower.card_number, b2, "CEN", actor=SYSTEM)
    back = circ.checkin(b2, "BR1", actor=SYSTEM)
    assert back.transit_to_branch_id is not None
    assert back.availability == "in_transit"
    assert circ.checkin(b2, "CEN", actor=SYSTEM).availability == "on_shelf"


def test_hold_shelf_expiry_and_cancel(library: LendingLibrary, clock: FrozenClock) -> None:
    circ = library.services.circulation
    record_id, (barcode,) = library.title()
    a, b = library.reader("a"), library.reader("b")
    ha = circ.place_hold(a.card_number, record_id, "CEN", actor=SYSTEM)
    hb = circ.place_hold(b.card_number, record_id, "CEN", actor=SYSTEM)
    assert [e.hold_id for e in circ.pull_list("CEN", actor=SYSTEM)] == [ha.id]
    circ.checkin(barcode, "CEN", actor=SYSTEM)  # staff pull it from the shelf and scan it
    ready = circ.get_hold(ha.id, actor=SYSTEM)
    assert ready.status is HoldStatus.READY
    assert ready.shelf_expires_on is not None
    clock.advance(timedelta(days=8))
    assert circ.expire_holds() == 1
    assert circ.get_hold(ha.id, actor=SYSTEM).status is HoldStatus.EXPIRED
    assert circ.checkin(barcode, "CEN", actor=SYSTEM).hold_id == hb.id
    cancelled = circ.cancel_hold(hb.id, actor=SYSTEM)
    assert cancelled.status is HoldStatus.CANCELLED
    assert circ.item_status(barcode).availability is Availability.ON_SHELF
    with pytest.raises(ShelfwiseError) as again:
        circ.cancel_hold(hb.id, actor=SYSTEM)
    assert again.value.code == "circ.hold_closed"


def test_availability_counts_for_search(library: LendingLibrary) -> None:
    circ = library.services.circulation
    record_id, barcodes = library.title(copies=3)
    reader = library.reader()
    circ.checkout(reader.card_number, barcodes[0], "CEN", actor=SYSTEM)
    (counts,) = circ.availability([record_id]).values()
    assert sum(counts.values()) == 2
    assert circ.availability([record_id], branch="BR1") == {}


def test_hold_shelf_and_slip(library: LendingLibrary) -> None:
    circ = library.services.circulation
    record_id, (barcode,) = library.title(branch="CEN")
    near, far = library.reader("near"), library.reader("far")
    other_record, (other,) = library.title(branch="CEN")
    ready = circ.place_hold(near.card_number, record_id, "CEN", actor=SYSTEM)
    travelling = circ.place_hold(far.card_number, other_record, "BR1", actor=SYSTEM)
    assert circ.hold_shelf("CEN", actor=SYSTEM) == []  # waiting holds are not on any shelf yet
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    circ.checkin(other, "CEN", actor=SYSTEM)
    (slip,) = circ.hold_shelf("CEN", actor=SYSTEM)
    assert (slip.hold_id, slip.status, slip.barcode) == (ready.id, HoldStatus.READY, barcode)
    assert (slip.card_number, slip.reader_name) == (near.card_number, near.name)
    assert slip.shelf_expires_on is not None
    (coming,) = circ.hold_shelf("BR1", actor=SYSTEM)
    assert (coming.hold_id, coming.status) == (travelling.id, HoldStatus.IN_TRANSIT)
    assert circ.hold_slip(travelling.id, actor=SYSTEM).card_number == far.card_number
    with pytest.raises(ShelfwiseError):
        circ.hold_slip(999_999, actor=SYSTEM)
