"""What a kiosk hears is circulation's answer (issue 12, items 2, 4 and 7), over a real socket:
the renewal's new due date, the reader's standing as the patron status, local time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sip2_server_helpers import (
    INSTITUTION,
    PIN,
    TD,
    Kiosk,
    KioskLibrary,
    checkout,
    live_sip2,
    make_library,
)

from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.sip2 import PatronCondition, PatronStatus


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path)


def _renew(kiosk: Kiosk, card: str, barcode: str) -> dict[str, str]:
    fixed = {"third_party_allowed": "N", "no_block": "N", "transaction_date": TD,
             "nb_due_date": " " * 18}  # fmt: skip
    fields = [("AO", INSTITUTION), ("AA", card), ("AD", PIN), ("AB", barcode)]
    answer = kiosk.ask("29", fixed, fields)
    assert answer.command == "30"
    return {"ok": answer.fixed["ok"], "AH": answer.get("AH") or "", "AF": answer.get("AF") or ""}


def test_a_renewal_at_the_kiosk_answers_the_new_due_date(library: KioskLibrary) -> None:
    """Renewed on the day it was lent, the loan runs 30 days from its due date (item 2)."""
    (barcode,) = library.title("活着")
    card = library.reader("김민준")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        lent = checkout(kiosk, card, barcode)
        first_due = library.services.circulation.loans_of(card)[0].due_on
        assert lent.get("AH") == f"{first_due:%Y%m%d}    235959"
        renewed = _renew(kiosk, card, barcode)
    (loan,) = library.services.circulation.loans_of(card)
    assert loan.due_on == first_due + timedelta(days=30)
    assert renewed == {"ok": "1", "AH": f"{loan.due_on:%Y%m%d}    235959", "AF": ""}


def _status(kiosk: Kiosk, card: str) -> PatronStatus:
    answer = kiosk.ask("23", {"language": "019", "transaction_date": TD},
                       [("AO", INSTITUTION), ("AA", card), ("AC", ""), ("AD", PIN)])  # fmt: skip
    assert answer.command == "24"
    return PatronStatus.parse(answer.fixed["patron_status"])


def test_patron_status_is_the_readers_standing(library: KioskLibrary, clock: FrozenClock) -> None:
    """A reader with an overdue loan may not borrow (item 7): 23 said "may borrow" before."""
    barcodes = library.title("红楼梦", copies=2)
    card = library.reader("王芳")
    circ = library.services.circulation
    circ.checkout(card, barcodes[0], "CEN", actor=SYSTEM)
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        assert _status(kiosk, card).conditions == frozenset()
        clock.advance(timedelta(days=45))
        standing = circ.standing(card)
        assert not standing.may_borrow
        assert standing.may_renew
        status = _status(kiosk, card)
        assert status.conditions == {
            PatronCondition.CHARGE_PRIVILEGES_DENIED,
            PatronCondition.TOO_MANY_ITEMS_OVERDUE,
        }
        refused = checkout(kiosk, card, barcodes[1])
        assert refused.fixed["ok"] == "0"
        assert "逾期" in (refused.get("AF") or "")  # circ.overdue_loans, the same rule


def test_kiosk_dates_are_the_librarys_local_time(library: KioskLibrary, clock: FrozenClock) -> None:
    """16:30 UTC on 1 September is 00:30 on 2 September in Shenyang (item 4): the transaction
    date says so with a blank zone, and the loan is due 30 days from the local date."""
    clock.set(datetime(2026, 9, 1, 16, 30, tzinfo=UTC))
    (barcode,) = library.title("平凡的世界")
    card = library.reader("陈晓")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        lent = checkout(kiosk, card, barcode)
    assert lent.fixed["transaction_date"] == "20260902    003000"
    assert lent.get("AH") == "20261002    235959"
