"""The reader's side of holds, as rules of the circulation service (both engines): my
library as the default pickup, no hold on a title already on loan to the reader, the why-not
a page shows in place of the button, and the hold-shelf slot and pickup code of a ready hold.
"""

from __future__ import annotations

import re

import pytest
from circ_helpers import LendingLibrary
from fastapi.testclient import TestClient

from shelfwise.app import asgi_app
from shelfwise.circulation.scope import SYSTEM, reader_self
from shelfwise.circulation.states import HoldStatus
from shelfwise.core.errors import ShelfwiseError


def test_my_library_is_the_default_pickup(library: LendingLibrary) -> None:
    services = library.services
    circ = services.circulation
    record_id, _ = library.title()
    reader = library.reader("取书")
    card = reader.card_number
    with pytest.raises(ShelfwiseError) as no_home:
        circ.place_hold(card, record_id, None, actor=reader_self(card))
    assert no_home.value.code == "circ.no_pickup_branch"
    assert circ.holds_of(card) == []  # nothing half-stored

    services.readers.set_home_branch(card, "BR1")
    assert services.readers.home_branch(card) == "BR1"
    hold = circ.place_hold(card, record_id, None, actor=reader_self(card))
    br1 = next(b.id for b in services.catalogue.list_branches() if b.code == "BR1")
    assert hold.pickup_branch_id == br1
    # "mine" in search means the same branch.
    assert circ.shelf_branch("mine", actor=reader_self(card)) == "BR1"

    with pytest.raises(ShelfwiseError) as unknown:
        services.readers.set_home_branch(card, "NOPE")
    assert unknown.value.code == "catalogue.branch_not_found"
    assert services.readers.home_branch(card) == "BR1"  # unchanged
    services.readers.set_home_branch(card, None)
    assert services.readers.home_branch(card) is None


def test_no_hold_on_a_title_on_loan_to_the_reader(library: LendingLibrary) -> None:
    circ = library.services.circulation
    record_id, (first, _second) = library.title(copies=2)
    reader = library.reader("借着")
    card = reader.card_number
    assert circ.hold_refusal(card, record_id) is None
    circ.checkout(card, first, "CEN", actor=SYSTEM)

    why = circ.hold_refusal(card, record_id)
    assert why is not None
    assert why.code == "circ.hold_on_loan"
    with pytest.raises(ShelfwiseError) as refused:
        circ.place_hold(card, record_id, "CEN", actor=reader_self(card))
    assert refused.value.code == "circ.hold_on_loan"
    assert circ.holds_of(card) == []

    circ.checkin(first, "CEN", actor=SYSTEM)
    assert circ.hold_refusal(card, record_id) is None
    circ.place_hold(card, record_id, "CEN", actor=reader_self(card))
    held = circ.hold_refusal(card, record_id)
    assert held is not None
    assert held.code == "circ.hold_exists"


def test_a_ready_hold_gets_a_shelf_slot_and_a_pickup_code(library: LendingLibrary) -> None:
    """The lowest free slot of the pickup branch's shelf; a slot is free again once its
    hold is collected."""
    circ = library.services.circulation
    borrower = library.reader("借书人")
    titles = [library.title() for _ in range(3)]
    readers = [library.reader(f"预约{k}") for k in range(3)]
    holds = []
    for (record_id, (barcode,)), reader in zip(titles, readers, strict=True):
        circ.checkout(borrower.card_number, barcode, "CEN", actor=SYSTEM)
        holds.append(circ.place_hold(reader.card_number, record_id, "CEN", actor=SYSTEM))
        assert holds[-1].pickup_code is None
        assert holds[-1].shelf_slot is None

    for _, (barcode,) in titles[:2]:
        circ.checkin(barcode, "CEN", actor=SYSTEM)
    ready = [circ.get_hold(h.id, actor=SYSTEM) for h in holds[:2]]
    assert [h.status for h in ready] == [HoldStatus.READY, HoldStatus.READY]
    assert [h.shelf_slot for h in ready] == [1, 2]
    assert all(h.pickup_code and re.fullmatch(r"\d{6}", h.pickup_code) for h in ready)
    # The desk's hold shelf shows the same slot and code (the staff client reads these).
    slips = {s.hold_id: s for s in circ.hold_shelf("CEN", actor=SYSTEM)}
    assert slips[ready[0].id].shelf_slot == 1
    assert slips[ready[0].id].pickup_code == ready[0].pickup_code

    # The first reader collects: slot 1 is free and goes to the next ready hold.
    circ.checkout(readers[0].card_number, titles[0][1][0], "CEN", actor=SYSTEM)
    circ.checkin(titles[2][1][0], "CEN", actor=SYSTEM)
    assert circ.get_hold(holds[2].id, actor=SYSTEM).shelf_slot == 1


def test_home_branch_over_the_api_with_errors_in_the_one_shape(library: LendingLibrary) -> None:
    services = library.services
    reader = library.reader("接口", pin="2468")
    card = reader.card_number
    with TestClient(asgi_app(services)) as client:
        made = client.post("/api/v1/sessions", json={"card_number": card, "secret": "2468"})
        assert made.status_code == 201, made.text
        token = made.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        put = client.put(
            f"/api/v1/readers/{card}/home-branch", json={"branch": "BR1"}, headers=auth
        )
        assert put.status_code == 200, put.text
        assert put.json() == {"card_number": card, "branch": "BR1"}
        got = client.get(f"/api/v1/readers/{card}/home-branch", headers=auth).json()
        assert got["branch"] == "BR1"

        bad = client.put(
            f"/api/v1/readers/{card}/home-branch", json={"branch": "NOPE"}, headers=auth
        )
        assert bad.status_code == 404
        error = bad.json()["error"]
        assert error["code"] == "catalogue.branch_not_found"
        assert error["message"]
        assert services.readers.home_branch(card) == "BR1"

        record_id, (barcode,) = library.title()
        services.circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
        on_loan = client.post(
            "/api/v1/holds", json={"card_number": card, "record_id": record_id}, headers=auth
        )
        assert on_loan.status_code == 409
        assert on_loan.json()["error"]["code"] == "circ.hold_on_loan"
        other, _ = library.title()
        placed = client.post(
            "/api/v1/holds", json={"card_number": card, "record_id": other}, headers=auth
        )
        assert placed.status_code == 201, placed.text
        br1 = next(b.id for b in services.catalogue.list_branches() if b.code == "BR1")
        assert placed.json()["pickup_branch_id"] == br1
