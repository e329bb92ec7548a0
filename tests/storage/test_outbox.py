"""Outbox events are written with the change, delivered after commit, retried, never lost."""

from __future__ import annotations

import threading
from datetime import timedelta

from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.storage.outbox import Event, OutboxRelay, enqueue, pending_count


def test_event_rolls_back_with_its_transaction(services: Services) -> None:
    try:
        with services.db.write() as conn:
            enqueue(conn, services.clock, "t", {"n": 1})
            raise RuntimeError("abort")
    except RuntimeError:
        pass
    assert pending_count(services.db) == 0


def test_delivery_in_order_and_once(services: Services) -> None:
    with services.db.write() as conn:
        for n in range(5):
            enqueue(conn, services.clock, "t", {"n": n})
    seen: list[int] = []
    relay = OutboxRelay(services.db, services.clock, {"t": lambda e: seen.append(e.payload["n"])})
    assert relay.drain() == 5
    assert relay.drain() == 0
    assert seen == [0, 1, 2, 3, 4]
    assert pending_count(services.db) == 0


def test_failed_handler_is_retried_after_backoff(services: Services, clock: FrozenClock) -> None:
    with services.db.write() as conn:
        enqueue(conn, services.clock, "t", {"n": 1})
    attempts: list[int] = []

    def flaky(event: Event) -> None:
        attempts.append(event.attempts)
        if len(attempts) == 1:
            raise ConnectionError("smtp down")

    relay = OutboxRelay(services.db, clock, {"t": flaky})
    assert relay.deliver_pending() == 0
    assert relay.deliver_pending() == 0  # still backing off
    clock.advance(timedelta(seconds=5))
    assert relay.deliver_pending() == 1
    assert attempts == [0, 1]
    assert pending_count(services.db) == 0


def test_two_relays_never_deliver_the_same_event(services: Services) -> None:
    with services.db.write() as conn:
        for n in range(60):
            enqueue(conn, services.clock, "t", {"n": n})
    delivered: list[int] = []
    lock = threading.Lock()

    def handle(event: Event) -> None:
        with lock:
            delivered.append(event.id)

    relays = [
        OutboxRelay(services.db, services.clock, {"t": handle}, batch_size=7) for _ in range(2)
    ]
    threads = [threading.Thread(target=r.drain) for r in relays]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert sorted(delivered) == sorted(set(delivered))
    assert len(delivered) == 60
