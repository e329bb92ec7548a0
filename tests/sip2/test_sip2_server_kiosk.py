"""S-6 (a SIP PIN lockout per reader) and S-8 (a kiosk's check-in seconds after its checkout)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sip2_server_helpers import (
    INSTITUTION,
    PIN,
    TD,
    Kiosk,
    Library,
    checkout,
    live_sip2,
    make_library,
    patron_information,
)

from shelfwise.app import Shelfwise
from shelfwise.circulation.states import Availability, HoldStatus
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import render
from shelfwise.sip2 import Message


@pytest.fixture
def library(shelf: Shelfwise, tmp_path: Path) -> Library:
    return make_library(shelf, tmp_path, language="en")


def _checkin(kiosk: Kiosk, barcode: str) -> Message:
    fixed = {"no_block": "N", "transaction_date": TD, "return_date": TD}
    fields = [("AP", "desk-1"), ("AO", INSTITUTION), ("AB", barcode), ("AC", "")]
    return kiosk.ask("09", fixed, fields)


def test_wrong_pins_lock_the_reader_at_every_kiosk_until_the_window_passes(
    library: Library, clock: FrozenClock
) -> None:
    (barcode,) = library.title("围城")
    card = library.reader("钱钟书")
    other = library.reader("杨绛")
    locked = render("sip2.pin_locked", "en", {})
    with (
        live_sip2(library.shelf, pin_attempts=3, pin_lockout_seconds=600) as server,
        Kiosk(server.port) as kiosk,
        Kiosk(server.port) as second,
    ):
        kiosk.login()
        second.login()
        for _ in range(3):
            wrong = patron_information(kiosk, card, "000000")
            assert wrong.get("CQ") == "N"
            assert locked not in wrong.get_all("AF")
        # Locked: the right PIN is refused too, at this kiosk and at another one.
        for k in (kiosk, second):
            info = patron_information(k, card, PIN)
            assert info.get("AE") == ""
            assert info.get("CQ") == "N"
            assert list(info.get_all("AF")) == [locked]
            loan = checkout(k, card, barcode)
            assert (loan.fixed["ok"], list(loan.get_all("AF"))) == ("0", [locked])
        assert library.shelf.circulation.loans_of(card) == []
        # Another reader is not affected.
        assert checkout(kiosk, other, barcode).fixed["ok"] == "1"
        assert _checkin(kiosk, barcode).fixed["ok"] == "1"
        # Still locked just before the window ends; open once it has passed.
        clock.advance(timedelta(seconds=599))
        assert patron_information(kiosk, card, PIN).get("CQ") == "N"
        clock.advance(timedelta(seconds=1))
        assert patron_information(kiosk, card, PIN).get("CQ") == "Y"
        assert checkout(second, card, barcode).fixed["ok"] == "1"


def test_a_right_pin_clears_the_count_and_zero_attempts_turn_the_lock_off(
    library: Library,
) -> None:
    card = library.reader("巴金")
    with live_sip2(library.shelf, pin_attempts=2) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        for _ in range(3):  # wrong, right, wrong: never two failures in a row
            patron_information(kiosk, card, "000000")
            assert patron_information(kiosk, card, PIN).get("CQ") == "Y"
    with live_sip2(library.shelf, pin_attempts=0) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        for _ in range(6):
            patron_information(kiosk, card, "000000")
        assert patron_information(kiosk, card, PIN).get("CQ") == "Y"


def test_a_checkin_seconds_after_the_checkout_is_a_rollback_that_traps_no_hold(
    library: Library, clock: FrozenClock
) -> None:
    (barcode,) = library.title("家")
    card = library.reader("觉新")
    waiting = library.reader("觉慧")
    circulation = library.shelf.circulation
    record_id = circulation.item_status(barcode).record_id
    with (
        live_sip2(library.shelf, cancel_window_seconds=10) as server,
        Kiosk(server.port) as kiosk,
    ):
        kiosk.login()
        assert checkout(kiosk, card, barcode).fixed["ok"] == "1"
        # Another reader places a hold while the copy is (for three seconds) on loan.
        hold = circulation.place_hold(waiting, record_id, "CEN")
        clock.advance(timedelta(seconds=3))
        back = _checkin(kiosk, barcode)  # the kiosk could not desensitise: it takes it back
        assert (back.fixed["ok"], back.get("CL")) == ("1", None)
        assert circulation.loans_of(card) == []
        assert circulation.item_status(barcode).availability is Availability.ON_SHELF
        (still,) = circulation.holds_of(waiting)
        assert (still.id, still.status, still.trapped_item_id) == (
            hold.id,
            HoldStatus.WAITING,
            None,
        )
        # After the window a check-in is a return like any other: it traps the hold.
        assert checkout(kiosk, card, barcode).fixed["ok"] == "1"
        clock.advance(timedelta(seconds=11))
        back = _checkin(kiosk, barcode)
        assert (back.fixed["ok"], back.get("CL")) == ("1", "HOLD")
        (trapped,) = circulation.holds_of(waiting)
        assert trapped.status is HoldStatus.READY


def test_a_cancelled_checkout_traps_no_hold(library: Library) -> None:
    (barcode,) = library.title("春")
    card = library.reader("觉民")
    waiting = library.reader("琴")
    circulation = library.shelf.circulation
    record_id = circulation.item_status(barcode).record_id
    with live_sip2(library.shelf) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        assert checkout(kiosk, card, barcode).fixed["ok"] == "1"
        circulation.place_hold(waiting, record_id, "CEN")
        fixed = {
            "sc_renewal_policy": "N",
            "no_block": "N",
            "transaction_date": TD,
            "nb_due_date": " " * 18,
        }
        fields = [("AO", INSTITUTION), ("AA", card), ("AB", barcode), ("AC", ""), ("AD", PIN),
                  ("BI", "Y")]  # fmt: skip
        assert kiosk.ask("11", fixed, fields).fixed["ok"] == "1"
        assert circulation.item_status(barcode).availability is Availability.ON_SHELF
        (hold,) = circulation.holds_of(waiting)
        assert hold.status is HoldStatus.WAITING
