"""The desk that warns (issue 20 item 2), on both backends: what circulation's one
``standing`` answer says reaches the desk — blocks, and the warnings that stop nothing
(overdue loans where the library does not block for them, a card about to expire, fees
under the limit) — never a plain "May borrow." beside them; holds waiting on this desk's
hold shelf; the deposit held and required; the desk places a hold (picked up here) and
takes a deposit (yuan typed, fen stored; a bad amount stores nothing)."""

from __future__ import annotations

import dataclasses
import html
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)
from web.test_staff import csrf, on_shelf, sign_in


def test_warnings_that_stop_nothing_are_shown_and_may_borrow_is_not_plain(
    client: TestClient,
    services: Services,
    demo: list[str],
    clock: FrozenClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lenient = dataclasses.replace(services.circulation.policy, overdue_blocks=False)
    monkeypatch.setattr(services.circulation, "policy", lenient)
    card = services.readers.register(
        name="提醒读者", category="adult", expires_on=clock.today() + timedelta(days=50)
    ).reader.card_number
    services.circulation.checkout(card, on_shelf(services), "CEN", actor=SYSTEM)
    services.fees.charge(card, "manual", 250, "lost card")
    clock.advance(timedelta(days=40))
    sign_in(client, services)
    page = client.get("/staff/desk", params={"card": card}).text
    assert "May borrow, but tell the reader:" in page
    assert "1 overdue and 0 lost loan(s) outstanding" in page
    assert "The card expires on" in page
    assert "¥2.50 in fees is owed" in page
    assert "<strong>May borrow.</strong>" not in page
    assert "data-alert" in page  # the audible cue's hook
    standing = services.circulation.standing(card)
    assert standing.may_borrow  # nothing stops the loan: these are warnings
    assert [w.code for w in standing.warnings] == [
        "circ.overdue_warning",
        "circ.card_expires_soon",
        "circ.fees_owed",
    ]


def test_a_reader_in_good_standing_gets_the_plain_answer(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    card = services.readers.register(name="好读者", category="adult").reader.card_number
    sign_in(client, services)
    page = client.get("/staff/desk", params={"card": card}).text
    assert "<strong>May borrow.</strong>" in page
    assert "data-alert" not in page
    assert services.circulation.standing(card).warnings == ()


def test_holds_waiting_here_and_the_desk_places_holds_and_takes_deposits(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    circ = services.circulation
    card = services.readers.register(name="取书读者", category="adult").reader.card_number
    other = services.readers.register(name="别人", category="adult").reader.card_number
    lent = circ.checkout(other, on_shelf(services), "CEN", actor=SYSTEM)
    circ.place_hold(card, lent.record_id, "CEN", actor=SYSTEM)
    circ.checkin(lent.barcode, "CEN", actor=SYSTEM)  # trapped for the reader, at CEN
    sign_in(client, services)
    client.cookies.set("sw_branch", "CEN")
    page = html.unescape(client.get("/staff/desk", params={"card": card}).text)
    assert "You have" not in page  # the desk speaks to staff about the reader
    assert "1 hold(s) waiting for this reader on this desk's hold shelf" in page
    wanted = on_shelf(services, skip=3)
    placed = client.post(
        "/staff/desk/hold", data={"card": card, "title": wanted, "csrf": csrf(client)}
    )
    assert placed.status_code == 200
    assert "Hold placed for the reader" in placed.text
    record_id = services.catalogue.get_item(wanted).record_id
    hold = next(h for h in circ.holds_of(card) if h.record_id == record_id)
    names = {b.id: b.code for b in services.catalogue.list_branches()}
    assert names[hold.pickup_branch_id] == "CEN"
    unknown = client.post(
        "/staff/desk/hold", data={"card": card, "title": "NO-SUCH", "csrf": csrf(client)}
    )
    assert unknown.status_code == 404
    assert len(circ.holds_of(card)) == 2
    bad = client.post(
        "/staff/desk/deposit",
        data={"card": card, "amount": "12.345", "method": "cash", "csrf": csrf(client)},
    )
    assert bad.status_code == 422
    assert services.deposits.of(card) == []
    taken = client.post(
        "/staff/desk/deposit",
        data={"card": card, "amount": "100", "method": "wechat", "csrf": csrf(client)},
    )
    assert taken.status_code == 200
    assert "Deposit of ¥100 taken." in taken.text
    [deposit] = services.deposits.of(card)
    assert (deposit.amount_cents, deposit.method) == (10000, "wechat")


def test_the_desk_refunds_a_deposit_and_not_while_a_loan_is_open(
    client: TestClient, services: Services, demo: list[str]
) -> None:
    card = services.readers.register(name="押金读者", category="adult").reader.card_number
    held = services.deposits.take(card, 5000, "cash")
    loan = services.circulation.checkout(card, on_shelf(services, skip=5), "CEN", actor=SYSTEM)
    sign_in(client, services)
    client.cookies.set("sw_branch", "CEN")
    desk = html.unescape(client.get("/staff/desk", params={"card": card}).text)
    assert f'action="/staff/desk/deposits/{held.id}/refund"' in desk
    path = f"/staff/desk/deposits/{held.id}/refund"
    refused = client.post(path, data={"card": card, "csrf": csrf(client)})
    assert refused.status_code == 409
    assert services.deposits.get(held.id).status == "held"  # nothing changed
    services.circulation.checkin(loan.barcode, "CEN", actor=SYSTEM)
    stranger = services.readers.register(name="别人", category="adult").reader.card_number
    wrong = client.post(path, data={"card": stranger, "csrf": csrf(client)})
    assert wrong.status_code == 404  # not the deposit of the reader shown
    refunded = client.post(path, data={"card": card, "csrf": csrf(client)})
    assert refunded.status_code == 200
    assert "Deposit of ¥50.00 refunded." in refunded.text
    assert services.deposits.get(held.id).status == "refunded"
    assert f'action="/staff/desk/deposits/{held.id}/refund"' not in refunded.text
