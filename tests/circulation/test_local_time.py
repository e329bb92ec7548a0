"""The library's day (issue 12, item 4): due dates, fines, hold expiry and notices count
the library's local days (``library_timezone``, Asia/Shanghai by default), not UTC's."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from circ_helpers import LendingLibrary

from shelfwise.circulation.notices import enqueue_due_notices
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock

# 16:30 UTC on 1 September is 00:30 on 2 September in Shenyang.
LOCAL_AFTER_MIDNIGHT = datetime(2026, 9, 1, 16, 30, tzinfo=UTC)


def test_a_loan_after_local_midnight_is_lent_on_the_local_date(
    library: LendingLibrary, clock: FrozenClock
) -> None:
    circ = library.services.circulation
    _, (barcode,) = library.title()
    card = library.reader().card_number
    clock.set(LOCAL_AFTER_MIDNIGHT)
    loan = circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    assert loan.due_on == date(2026, 10, 2)  # 2 September + 30, not 1 September + 30
    # Returned at 01:00 local on the day after the due date: one day late, one day's fine
    # (in UTC it would still be the due date, and nothing would be owed).
    clock.set(datetime(2026, 10, 2, 17, 0, tzinfo=UTC))
    assert clock.now().date() == loan.due_on
    assert circ.checkin(barcode, "CEN", actor=SYSTEM).fine_cents == 10


def test_hold_expiry_and_notices_count_local_days(
    library: LendingLibrary, clock: FrozenClock
) -> None:
    circ = library.services.circulation
    record_id, (barcode,) = library.title()
    card, waiting = library.reader().card_number, library.reader("等候").card_number
    clock.set(LOCAL_AFTER_MIDNIGHT)
    circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    hold = circ.place_hold(waiting, record_id, "CEN", actor=SYSTEM)
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    assert circ.get_hold(hold.id, actor=SYSTEM).shelf_expires_on == date(
        2026, 9, 9
    )  # 2 September + 7
    # 23:30 UTC on 9 September is 07:30 on the 10th locally: the hold has expired.
    clock.set(datetime(2026, 9, 9, 23, 30, tzinfo=UTC))
    assert circ.expire_holds() == 1
    # The due-date notice goes out on the local due date, from 00:00 in Shenyang.
    again = circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    eve = datetime.combine(again.due_on - timedelta(days=1), datetime.min.time(), UTC)
    clock.set(eve + timedelta(hours=15, minutes=30))  # 23:30 local, the day before
    assert enqueue_due_notices(library.services.db, library.services.clock, 0) == 0
    clock.set(eve + timedelta(hours=16, minutes=30))  # 00:30 local on the due date
    assert clock.now().date() < again.due_on
    assert enqueue_due_notices(library.services.db, library.services.clock, 0) == 1
