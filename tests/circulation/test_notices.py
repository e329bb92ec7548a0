"""Notices over real SMTP (aiosmtpd in-process), delivered after commit through the outbox."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta

import pytest
from circ_helpers import LendingLibrary

from shelfwise.circulation.notices import SmtpChannel, enqueue_due_notices
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.runtime import Runtime
from shelfwise.testing.mail import Inbox, smtp_server


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


def _deliver(library: LendingLibrary) -> int:
    services = library.services
    return Runtime(services).outbox_relay().drain()


def test_hold_ready_and_due_notices_by_email(
    library: LendingLibrary, smtp: tuple[Inbox, int], clock: FrozenClock
) -> None:
    inbox, port = smtp
    library.services.notice_channel = SmtpChannel("127.0.0.1", port, "library@example.org")
    circ = library.services.circulation
    record_id, (barcode,) = library.title("三体")
    borrower = library.reader("借书人", email="borrower@example.org")
    holder = library.reader("预约人", email="holder@example.org")
    quiet = library.reader("不要通知", email="quiet@example.org")
    library.services.readers.set_consent(quiet.card_number, "email_notices", False)
    circ.checkout(borrower.card_number, barcode, "CEN", actor=SYSTEM)
    circ.place_hold(holder.card_number, record_id, "CEN", actor=SYSTEM)
    circ.place_hold(quiet.card_number, record_id, "CEN", actor=SYSTEM)
    _deliver(library)
    assert inbox.messages == []  # nothing to say yet
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    _deliver(library)
    (ready,) = inbox.messages
    assert ready["To"] == "holder@example.org"
    assert "三体" in ready.get_payload(decode=True).decode()  # type: ignore[union-attr]

    _, (b2,) = library.title("球状闪电")
    loan = circ.checkout(borrower.card_number, b2, "CEN", actor=SYSTEM)
    clock.set(datetime.combine(loan.due_on - timedelta(days=2), time(9), UTC))
    assert enqueue_due_notices(library.services.db, clock, 3) == 1
    assert enqueue_due_notices(library.services.db, clock, 3) == 1  # the job ran twice...
    _deliver(library)
    due = [m for m in inbox.messages if m["To"] == "borrower@example.org"]
    assert len(due) == 1  # ...but the reader hears once
    assert "到期" in due[0]["Subject"] or "due" in due[0]["Subject"].lower()
