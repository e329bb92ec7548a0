"""Checkout, check-in and renewal through the service, with a reason code for every refusal."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from circ_helpers import LendingLibrary

from shelfwise.catalogue.models import Lifecycle
from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.states import Availability, LoanStatus
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError


class _Code:
    def __init__(self, code: str) -> None:
        self.code = code

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, exc: object, tb: object) -> bool:
        assert isinstance(exc, ShelfwiseError), f"expected refusal {self.code}, got {exc!r}"
        assert exc.code == self.code, f"expected {self.code}, got {exc.code}"
        return True


def test_checkout_checkin_round_trip(library: LendingLibrary, clock: FrozenClock) -> None:
    circ = library.services.circulation
    _, (barcode,) = library.title()
    reader = library.reader()
    loan = circ.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
    assert loan.status is LoanStatus.ON_LOAN
    assert loan.due_on == clock.now().date() + timedelta(days=30)
    assert circ.item_status(barcode).availability is Availability.ON_LOAN
    result = circ.checkin(barcode, "CEN", actor=SYSTEM)
    assert result.loan_id == loan.id
    assert result.fine_cents == 0
    assert result.availability == "on_shelf"
    assert circ.loans_of(reader.card_number) == []


def test_refusals_have_precise_codes(library: LendingLibrary, clock: FrozenClock) -> None:
    circ, readers = library.services.circulation, library.services.readers
    _, (b1, b2) = library.title(copies=2)
    alice, bob = library.reader("Alice"), library.reader("Bob")
    circ.checkout(alice.card_number, b1, "CEN", actor=SYSTEM)
    with _Code("circ.item_on_loan"):
        circ.checkout(bob.card_number, b1, "CEN", actor=SYSTEM)
    with _Code("circ.item_already_yours"):
        circ.checkout(alice.card_number, b1, "CEN", actor=SYSTEM)
    readers.block(bob.card_number, "lost card reported")
    with _Code("circ.reader_blocked"):
        circ.checkout(bob.card_number, b2, "CEN", actor=SYSTEM)
    readers.unblock(bob.card_number)
    library.services.catalogue.set_lifecycle(b2, Lifecycle.IN_REPAIR)
    with _Code("circ.item_not_loanable"):
        circ.checkout(bob.card_number, b2, "CEN", actor=SYSTEM)
    expired = library.reader("Old", expires_on=clock.now().date() - timedelta(days=1))
    _, (b3,) = library.title()
    with _Code("circ.card_expired"):
        circ.checkout(expired.card_number, b3, "CEN", actor=SYSTEM)
    with _Code("catalogue.item_not_found"):
        circ.checkout(bob.card_number, "NOPE", "CEN", actor=SYSTEM)
    with _Code("readers.not_found"):
        circ.checkout("SW-NOPE", b3, "CEN", actor=SYSTEM)
    library.services.loan_rules.set_rule(
        reader_category="child", item_type=None, branch=None, values={"loan_days": 0}, actor=SYSTEM
    )
    child = library.reader("Kid", category="child")
    with _Code("circ.not_loanable_by_rule"):
        circ.checkout(child.card_number, b3, "CEN", actor=SYSTEM)


def test_loan_limit_and_fee_block(library: LendingLibrary, clock: FrozenClock) -> None:
    circ = library.services.circulation
    library.services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"loan_limit": 2}, actor=SYSTEM
    )
    _, barcodes = library.title(copies=3)
    reader = library.reader()
    circ.checkout(reader.card_number, barcodes[0], "CEN", actor=SYSTEM)
    circ.checkout(reader.card_number, barcodes[1], "CEN", actor=SYSTEM)
    with _Code("circ.loan_limit"):
        circ.checkout(reader.card_number, barcodes[2], "CEN", actor=SYSTEM)
    fee = library.services.fees.charge(reader.card_number, "damaged", 1500, "water damage")
    circ.checkin(barcodes[0], "CEN", actor=SYSTEM)
    with _Code("circ.fees_over_limit"):
        circ.checkout(reader.card_number, barcodes[2], "CEN", actor=SYSTEM)
    library.services.fees.pay(fee.id, 1500)
    assert (
        circ.checkout(reader.card_number, barcodes[2], "CEN", actor=SYSTEM).status
        is LoanStatus.ON_LOAN
    )


def test_renewal_limit_and_holds(library: LendingLibrary, clock: FrozenClock) -> None:
    circ = library.services.circulation
    record_id, (barcode,) = library.title()
    reader, other = library.reader(), library.reader("Other")
    loan = circ.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=10))
    renewed = circ.renew(reader.card_number, barcode, actor=SYSTEM)
    assert renewed.renewals == 1
    assert renewed.due_on == loan.due_on + timedelta(days=30)  # from the due date
    circ.renew(reader.card_number, barcode, actor=SYSTEM)
    with _Code("circ.renew_limit"):
        circ.renew(reader.card_number, barcode, actor=SYSTEM)
    with _Code("circ.not_your_loan"):
        circ.renew(other.card_number, barcode, actor=SYSTEM)
    _, (b2,) = library.title()
    circ.checkout(reader.card_number, b2, "CEN", actor=SYSTEM)
    circ.place_hold(other.card_number, circ.item_status(b2).record_id, "CEN", actor=SYSTEM)
    with _Code("circ.renew_on_hold"):
        circ.renew(reader.card_number, b2, actor=SYSTEM)
    assert record_id


def test_due_dates_fall_on_open_days_and_fines_count_open_days(
    library: LendingLibrary, clock: FrozenClock
) -> None:
    circ = library.services.circulation
    start = clock.now().date()
    natural_due = start + timedelta(days=30)
    # Close the branch on the natural due date's weekday and on the next day.
    library.services.calendars.set_calendar(
        "CEN",
        closed_weekdays=[natural_due.weekday()],
        closed_days=[natural_due + timedelta(days=1)],
        actor=SYSTEM,
    )
    _, (barcode,) = library.title()
    reader = library.reader()
    loan = circ.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
    assert loan.due_on == natural_due + timedelta(days=2)
    # Return 8 days late: one of those days is the weekly closure again.
    clock.set(datetime.combine(loan.due_on + timedelta(days=8), datetime.min.time(), UTC))
    result = circ.checkin(barcode, "CEN", actor=SYSTEM)
    calendar = library.services.calendars.calendar("CEN")
    open_days = calendar.open_days_between(loan.due_on, loan.due_on + timedelta(days=8))
    assert open_days == 7
    assert result.fine_cents == 7 * 10
    (fee,) = library.services.fees.fees_of(reader.card_number)
    assert (fee.kind, fee.amount_cents, fee.status) == ("overdue", 70, "open")


def test_lost_then_found(library: LendingLibrary) -> None:
    circ = library.services.circulation
    _, (barcode,) = library.title()
    reader = library.reader()
    circ.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
    lost = circ.declare_lost(barcode, actor=SYSTEM)
    assert lost.status is LoanStatus.LOST
    assert circ.item_status(barcode).availability is Availability.LOST
    (fee,) = library.services.fees.fees_of(reader.card_number)
    assert (fee.kind, fee.amount_cents) == ("lost", 3000)
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    assert [
        (f.kind, f.status, f.waived_cents)
        for f in library.services.fees.fees_of(reader.card_number)
    ] == [("lost", "waived", 3000)]
    assert circ.item_status(barcode).availability is Availability.ON_SHELF


def test_idempotent_checkout_replays_the_first_result(library: LendingLibrary) -> None:
    circ = library.services.circulation
    _, (barcode,) = library.title()
    reader = library.reader()
    key = RequestKey("sip2-terminal:1", "42")
    first = circ.checkout(reader.card_number, barcode, "CEN", idempotency_key=key, actor=SYSTEM)
    again = circ.checkout(reader.card_number, barcode, "CEN", idempotency_key=key, actor=SYSTEM)
    assert first == again
    with _Code("circ.idempotency_mismatch"):
        circ.checkin(barcode, "CEN", idempotency_key=key, actor=SYSTEM)
    one = circ.checkin(
        barcode, "CEN", idempotency_key=RequestKey("sip2-terminal:1", "43"), actor=SYSTEM
    )
    assert (
        circ.checkin(
            barcode, "CEN", idempotency_key=RequestKey("sip2-terminal:1", "43"), actor=SYSTEM
        )
        == one
    )


def test_a_key_is_its_holders_and_names_one_request(library: LendingLibrary) -> None:
    """Issue 12: reader A sent reader B's key and got B's loan back."""
    circ = library.services.circulation
    _, (first_copy, second_copy) = library.title(copies=2)
    a, b = library.reader(), library.reader()
    b_loan = circ.checkout(
        b.card_number, first_copy, "CEN", idempotency_key=RequestKey("staff:1", "k-1"), actor=SYSTEM
    )
    # The same key from another holder is another key: A's own checkout happens.
    a_loan = circ.checkout(
        a.card_number,
        second_copy,
        "CEN",
        idempotency_key=RequestKey("staff:2", "k-1"),
        actor=SYSTEM,
    )
    assert (a_loan.reader_id, a_loan.barcode) == (a.id, second_copy)
    assert a_loan.id != b_loan.id
    # The same holder's key with another request is refused, not answered with the first.
    with _Code("circ.idempotency_mismatch"):
        circ.checkout(
            a.card_number,
            first_copy,
            "CEN",
            idempotency_key=RequestKey("staff:1", "k-1"),
            actor=SYSTEM,
        )
    with _Code("circ.idempotency_mismatch"):
        circ.checkout(
            b.card_number,
            first_copy,
            "BR1",
            idempotency_key=RequestKey("staff:1", "k-1"),
            actor=SYSTEM,
        )
    assert [loan.barcode for loan in circ.loans_of(a.card_number)] == [second_copy]


def test_due_date_is_a_date(library: LendingLibrary) -> None:
    _, (barcode,) = library.title()
    loan = library.services.circulation.checkout(
        library.reader().card_number, barcode, "CEN", actor=SYSTEM
    )
    assert isinstance(loan.due_on, date)
