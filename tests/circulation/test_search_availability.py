"""Search tells the truth about availability: circulation is its source (issue 12 item 1).

Every case changes a copy's state through circulation (or the catalogue), then
delivers the outbox the way ``serve`` does (the relay hands each event to its
topic's handler; search's handler applies the change feed) and only then asks
search: no sleeping, no polling. What is asked is what a reader sees: the
record's branch chips (``available_at``), the "available" facet, and the
"on the shelf at this branch" filter, in the service and through the HTTP API. The
last test runs the follower thread itself and waits on it (``wait_for``, a
condition, not a sleep). Both engines (the ``services`` fixture runs
each test on SQLite and PostgreSQL).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from circ_helpers import LendingLibrary
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from shelfwise.app import asgi_app
from shelfwise.catalogue.models import Lifecycle
from shelfwise.circulation.availability import AVAILABILITY_CHANGED
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.runtime import Runtime
from shelfwise.search.models import Filters, SearchRequest
from shelfwise.search.source import feed_head
from shelfwise.services import Services
from shelfwise.storage.outbox import backlog
from shelfwise.storage.tables import outbox


class QuietChannel:
    """Notices (a hold is ready) go nowhere: these tests read search, not mail."""

    name = "quiet"

    def __init__(self) -> None:
        self.sent: list[str] = []

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append(subject)


@pytest.fixture
def lib(library: LendingLibrary) -> LendingLibrary:
    library.services.notice_channel = QuietChannel()
    return library


def settle(services: Services) -> None:
    """Deliver the outbox as ``serve`` does: the relay hands events to the application's
    handlers (the catalogue's record changes, notices), and one step of the search
    follower applies the change feed (its thread does this every half second). Nothing
    is left pending: the follower marks the shelf events it consumed delivered."""
    Runtime(services).outbox_relay().drain()
    services.search.sync()
    assert backlog(services.db)[0] == 0


def shelf_events_pending(services: Services) -> int:
    with services.db.read() as conn:
        return int(
            conn.execute(
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.topic == AVAILABILITY_CHANGED, outbox.c.delivered_at.is_(None))
            ).scalar_one()
        )


def chips(services: Services, record_id: int, q: str) -> set[str]:
    """The branches where search says the record has a copy on the shelf now."""
    found = services.search.search(SearchRequest(q=q, group=False, facets=False))
    for work in found.works:
        for hit in work.records:
            if hit.record_id == record_id:
                return set(hit.available_at)
    raise AssertionError(f"record {record_id} not found by {q!r}")


def available_facet(services: Services, q: str) -> dict[str, int]:
    found = services.search.search(SearchRequest(q=q, group=False))
    return {v.value: v.count for v in found.facets.get("available", ())}


def on_shelf_at(services: Services, q: str, branch: str) -> set[int]:
    """Records search finds with a copy on the shelf at ``branch`` (the facet filter)."""
    request = SearchRequest(
        q=q, filters=Filters(branch=(branch,), available=True), group=False, facets=False
    )
    return {r.record_id for w in services.search.search(request).works for r in w.records}


def two_branch_title(lib: LendingLibrary, title: str) -> tuple[int, str, str]:
    """A record with one copy at CEN and one at BR1: (record id, CEN barcode, BR1 barcode)."""
    record_id, (cen,) = lib.title(title, copies=1, branch="CEN")
    br1 = f"{cen}-BR1"
    lib.services.catalogue.add_item(
        record_id=record_id,
        barcode=br1,
        branch_code="BR1",
        lifecycle=Lifecycle.IN_SERVICE,
        price_cents=3000,
    )
    lib.services.search.rebuild()
    return record_id, cen, br1


def test_checkout_of_the_last_copy_at_a_branch_leaves_search_and_checkin_brings_it_back(
    lib: LendingLibrary,
) -> None:
    services = lib.services
    record_id, cen, br1 = two_branch_title(lib, "Availability heron")
    q = "availability heron"
    assert chips(services, record_id, q) == {"CEN", "BR1"}
    reader = lib.reader("借书人").card_number

    services.circulation.checkout(reader, br1, "BR1", actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == {"CEN"}
    assert record_id not in on_shelf_at(services, q, "BR1")
    assert record_id in on_shelf_at(services, q, "CEN")
    assert available_facet(services, q) == {"yes": 1}

    services.circulation.checkout(reader, cen, "CEN", actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == set()
    assert available_facet(services, q) == {"no": 1}
    assert record_id not in on_shelf_at(services, q, "CEN")

    services.circulation.checkin(br1, "BR1", actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == {"BR1"}
    assert available_facet(services, q) == {"yes": 1}
    services.circulation.checkin(cen, "CEN", actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == {"CEN", "BR1"}


def test_availability_orders_the_tie_on_the_shelf_first(lib: LendingLibrary) -> None:
    """Browsing by title: two records of one title; the one on loan drops behind."""
    services = lib.services
    first, (a,) = lib.title("Ordering egret", copies=1, branch="CEN")
    second, _ = lib.title("Ordering egret", copies=1, branch="CEN")
    services.search.rebuild()
    request = SearchRequest(q="ordering egret", group=False, facets=False)

    def order() -> list[int]:
        return [r.record_id for w in services.search.search(request).works for r in w.records]

    assert order() == [first, second]  # both on the shelf: the record id breaks the tie
    services.circulation.checkout(lib.reader().card_number, a, "CEN", actor=SYSTEM)
    settle(services)
    assert order() == [second, first]


def test_lost_and_withdrawn_copies_are_not_on_the_shelf(lib: LendingLibrary) -> None:
    services = lib.services
    record_id, cen, br1 = two_branch_title(lib, "Availability crane")
    q = "availability crane"
    reader = lib.reader().card_number

    services.circulation.checkout(reader, cen, "CEN", actor=SYSTEM)
    services.circulation.declare_lost(cen, actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == {"BR1"}
    services.circulation.checkin(cen, "CEN", actor=SYSTEM)  # found and brought back
    settle(services)
    assert chips(services, record_id, q) == {"CEN", "BR1"}

    services.catalogue.set_lifecycle(cen, Lifecycle.MISSING)
    services.catalogue.set_lifecycle(br1, Lifecycle.WITHDRAWN)
    settle(services)
    assert chips(services, record_id, q) == set()
    assert available_facet(services, q) == {"no": 1}


def test_a_copy_in_transit_or_trapped_for_a_hold_is_not_on_the_shelf(lib: LendingLibrary) -> None:
    services = lib.services
    record_id, (cen,) = lib.title("Availability ibis", copies=1, branch="CEN")
    services.search.rebuild()
    q = "availability ibis"
    reader = lib.reader().card_number
    assert chips(services, record_id, q) == {"CEN"}

    # Returned at BR1: it travels home to CEN, and is on no shelf meanwhile.
    services.circulation.checkout(reader, cen, "CEN", actor=SYSTEM)
    services.circulation.checkin(cen, "BR1", actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == set()
    services.circulation.checkin(cen, "CEN", actor=SYSTEM)  # arrived home
    settle(services)
    assert chips(services, record_id, q) == {"CEN"}

    # A hold to pick up at BR1: the scan at CEN traps the copy and sends it.
    holder = lib.reader("预约人").card_number
    hold = services.circulation.place_hold(holder, record_id, "BR1", actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == {"CEN"}  # a waiting hold takes no copy
    services.circulation.checkin(cen, "CEN", actor=SYSTEM)
    settle(services)
    assert chips(services, record_id, q) == set()
    services.circulation.checkin(cen, "BR1", actor=SYSTEM)  # on BR1's hold shelf
    settle(services)
    assert chips(services, record_id, q) == set()
    services.circulation.cancel_hold(hold.id, actor=SYSTEM)  # freed
    settle(services)
    assert chips(services, record_id, q) == {"CEN"}


def test_a_trapped_copy_freed_by_an_expired_hold_is_on_the_shelf_again(
    lib: LendingLibrary, clock: FrozenClock
) -> None:
    services = lib.services
    record_id, (cen,) = lib.title("Availability stork", copies=1, branch="CEN")
    services.search.rebuild()
    q = "availability stork"
    holder = lib.reader().card_number
    services.circulation.place_hold(holder, record_id, "CEN", actor=SYSTEM)
    services.circulation.checkin(cen, "CEN", actor=SYSTEM)  # trapped: on CEN's hold shelf
    settle(services)
    assert chips(services, record_id, q) == set()
    clock.advance(timedelta(days=60))  # past the hold shelf's days
    assert services.circulation.expire_holds() == 1
    settle(services)
    assert chips(services, record_id, q) == {"CEN"}


def test_search_api_filters_by_a_branch_with_a_copy_on_the_shelf_and_by_mine(
    lib: LendingLibrary,
) -> None:
    services = lib.services
    both, _cen, br1 = two_branch_title(lib, "Api plover")
    only_cen, _ = lib.title("Api plover", copies=1, branch="CEN")
    services.search.rebuild()
    reader = services.readers.register(
        name="本馆读者", category="adult", home_branch="BR1", pin="2468"
    ).reader
    client = TestClient(asgi_app(services))

    def records(params: dict[str, str], headers: dict[str, str] | None = None) -> set[int]:
        response = client.get("/api/v1/search", params=params, headers=headers or {})
        assert response.status_code == 200, response.text
        body = response.json()
        return {r["record_id"] for w in body["works"] for r in w["records"]}

    q = {"q": "api plover", "group": "false"}
    assert records(q) == {both, only_cen}
    assert records({**q, "available_at": "CEN"}) == {both, only_cen}
    assert records({**q, "available_at": "BR1"}) == {both}

    services.circulation.checkout(reader.card_number, br1, "BR1", actor=SYSTEM)
    settle(services)
    assert records({**q, "available_at": "BR1"}) == set()
    assert records({**q, "available_at": "CEN"}) == {both, only_cen}

    session = client.post(
        "/api/v1/sessions", json={"card_number": reader.card_number, "secret": "2468"}
    )
    assert session.status_code == 201, session.text
    auth = {"Authorization": f"Bearer {session.json()['token']}"}
    assert records({**q, "available_at": "mine"}, auth) == set()  # BR1's copy is on loan
    services.circulation.checkin(br1, "BR1", actor=SYSTEM)
    settle(services)
    assert records({**q, "available_at": "mine"}, auth) == {both}

    anonymous = client.get("/api/v1/search", params={**q, "available_at": "mine"})
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "access.unauthenticated"
    unknown = client.get("/api/v1/search", params={**q, "available_at": "XYZ"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "catalogue.branch_not_found"


def test_the_running_follower_applies_a_checkout_without_a_reindex(lib: LendingLibrary) -> None:
    """As ``serve`` runs it: the follower thread, no relay and no explicit sync. Only the
    record checked out is documented anew (the index's other document is untouched)."""
    services = lib.services
    record_id, (copy,) = lib.title("Follower avocet", copies=1, branch="CEN")
    other, _ = lib.title("Follower avocet", copies=1, branch="CEN")
    services.search.rebuild()
    documented: list[list[int]] = []
    apply = services.search.apply

    def counting(record_ids: Any, *args: Any) -> int:
        documented.append(sorted(record_ids))
        return apply(record_ids, *args)

    services.search.apply = counting  # type: ignore[method-assign,assignment]
    services.search.start(interval=0.05)
    try:
        services.circulation.checkout(lib.reader().card_number, copy, "CEN", actor=SYSTEM)
        assert services.search.wait_for(feed_head(services.db), timeout=60)
        assert chips(services, record_id, "follower avocet") == set()
        assert chips(services, other, "follower avocet") == {"CEN"}
        assert [ids for ids in documented if ids] == [[record_id]]
        assert shelf_events_pending(services) == 0  # consumed by the follower (no relay here)
    finally:
        services.search.stop()
