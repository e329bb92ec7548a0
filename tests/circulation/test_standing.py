"""One borrowing-standing rule (issue 12, item 7): ``CirculationService.standing`` is what
checkout enforces and what the desk page, SIP2 (23/63, tests/sip2) and the API show."""

from __future__ import annotations

from datetime import timedelta

import pytest
from circ_helpers import LendingLibrary
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.testing.access import staff_headers


def _refusal(call: object, *args: object) -> str:
    assert callable(call)
    with pytest.raises(ShelfwiseError) as refused:
        call(*args, actor=SYSTEM)
    return refused.value.code


def test_two_overdue_loans_stop_borrowing_but_not_renewing(
    library: LendingLibrary, clock: FrozenClock
) -> None:
    circ = library.services.circulation
    _, barcodes = library.title("骆驼祥子", copies=3)
    card = library.reader().card_number
    assert circ.standing(card).may_borrow
    for barcode in barcodes[:2]:
        circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=33))
    standing = circ.standing(card)
    assert (standing.loans.open, standing.loans.overdue, standing.loans.lost) == (2, 2, 0)
    assert [b.code for b in standing.borrow_blocks] == ["circ.overdue_loans"]
    assert "2" in standing.borrow_blocks[0].message("en")
    assert not standing.may_borrow
    assert standing.may_renew
    assert standing.may_hold
    assert _refusal(circ.checkout, card, barcodes[2], "CEN") == "circ.overdue_loans"
    circ.renew(card, barcodes[0], actor=SYSTEM)  # putting it right stays possible
    circ.checkin(barcodes[1], "CEN", actor=SYSTEM)  # a small fine, under the limit
    assert circ.standing(card).borrow_blocks == ()
    assert circ.checkout(card, barcodes[2], "CEN", actor=SYSTEM).barcode == barcodes[2]


def test_the_account_blocks_stop_everything_and_come_in_checkout_order(
    library: LendingLibrary, clock: FrozenClock
) -> None:
    circ, readers = library.services.circulation, library.services.readers
    _, (barcode,) = library.title()
    card = library.reader(expires_on=clock.now().date() - timedelta(days=1)).card_number
    readers.block(card, "lost card reported")
    library.services.fees.charge(card, "damaged", 5000, "water")
    standing = circ.standing(card)
    codes = [b.code for b in standing.borrow_blocks]
    assert codes == ["circ.card_expired", "circ.reader_blocked", "circ.fees_over_limit"]
    assert [b.code for b in standing.account_blocks] == codes
    assert (standing.may_borrow, standing.may_renew, standing.may_hold) == (False, False, False)
    assert standing.fees_over_limit
    assert _refusal(circ.checkout, card, barcode, "CEN") == codes[0]


def test_standing_over_http(library: LendingLibrary, clock: FrozenClock) -> None:
    circ = library.services.circulation
    _, (barcode,) = library.title()
    card = library.reader().card_number
    circ.checkout(card, barcode, "CEN", actor=SYSTEM)
    clock.advance(timedelta(days=31))
    headers = staff_headers(library.services, "desk") | {"Accept-Language": "en"}
    with TestClient(composition.asgi_app(library.services), headers=headers) as client:
        body = client.get(f"/api/v1/readers/{card}/standing").json()
    assert body["may_borrow"] is False
    assert body["may_renew"] is True
    assert (body["open_loans"], body["overdue_loans"]) == (1, 1)
    assert [b["code"] for b in body["blocks"]] == ["circ.overdue_loans"]
    assert "overdue" in body["blocks"][0]["message"]
