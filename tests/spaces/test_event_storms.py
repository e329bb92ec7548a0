"""Storms on event places (issue 19): registrations racing for the last places, and
cancellations racing with the promotions they cause, on both engines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable

from sqlalchemy import text

from shelfwise.circulation.scope import reader_self
from shelfwise.events.service import PROMOTED_TOPIC
from spaces.spaces_helpers import SpacesLibrary
from spaces.test_events import new_event
from spaces.test_space_storms import race


def _rows(lib: SpacesLibrary, event_id: int) -> list[tuple[int, str, int]]:
    """(reader id, state, arrival) of every registration, in arrival order."""
    with lib.services.db.read() as conn:
        rows = conn.execute(
            text(
                "SELECT reader_id, state, arrival FROM event_registrations "
                "WHERE event_id = :e ORDER BY arrival"
            ),
            {"e": event_id},
        ).all()
    return [(int(r), s, int(a)) for r, s, a in rows]


def _counter_matches_rows(lib: SpacesLibrary, event_id: int) -> int:
    event = lib.services.events.event(event_id)
    holding = [r for r in _rows(lib, event_id) if r[1] in ("registered", "attended")]
    assert event.registered == len(holding) <= event.capacity
    return event.registered


def test_32_registrations_for_the_last_5_places(spaces_library: SpacesLibrary) -> None:
    lib = spaces_library
    events = lib.services.events
    event = new_event(lib, capacity=20)
    early = [lib.reader().card_number for _ in range(15)]
    for card in early:
        events.register(event.id, card, actor=reader_self(card))
    racers = [lib.reader().card_number for _ in range(32)]

    def worker(card: str) -> Callable[[], str]:
        return lambda: events.register(event.id, card, actor=reader_self(card)).state

    outcomes = race([worker(c) for c in racers])
    assert outcomes == Counter({"registered": 5, "waitlisted": 27})
    rows = _rows(lib, event.id)
    # Arrival order decides: the first 20 arrivals hold the places, the rest wait in turn.
    assert [s for _, s, _ in rows] == ["registered"] * 20 + ["waitlisted"] * 27
    assert [a for _, _, a in rows] == list(range(1, 48))
    positions = [
        events.registration_of(event.id, c).waitlist_position  # type: ignore[union-attr]
        for c in racers
    ]
    assert sorted(p for p in positions if p is not None) == list(range(1, 28))
    assert _counter_matches_rows(lib, event.id) == 20


def test_cancellations_racing_promotions_promote_nobody_twice_and_never_overfill(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    events = lib.services.events
    event = new_event(lib, capacity=10)
    holders = [lib.reader().card_number for _ in range(10)]
    waiting = [lib.reader().card_number for _ in range(20)]
    latecomers = [lib.reader().card_number for _ in range(6)]
    for card in holders + waiting:
        events.register(event.id, card, actor=reader_self(card))
    first_waiting = _rows(lib, event.id)[10:]

    def cancel(card: str) -> Callable[[], str]:
        return lambda: events.cancel(event.id, card, actor=reader_self(card)).state

    def register(card: str) -> Callable[[], str]:
        return lambda: events.register(event.id, card, actor=reader_self(card)).state

    # Eight holders give up their places while seven waiting readers (some of them near
    # the front, so that they may be promoted first) leave and six newcomers register.
    quitters = waiting[::4] + waiting[1:3]
    outcomes = race(
        [cancel(c) for c in holders[:8]]
        + [cancel(c) for c in quitters]
        + [register(c) for c in latecomers]
    )
    assert outcomes == Counter({"cancelled": 15, "waitlisted": 6})
    assert _counter_matches_rows(lib, event.id) == 10
    with lib.services.db.read() as conn:
        payloads = [
            json.loads(p)
            for (p,) in conn.execute(
                text("SELECT payload FROM outbox WHERE topic = :t"), {"t": PROMOTED_TOPIC}
            )
        ]
    promoted = [int(p["reader_id"]) for p in payloads]
    assert len(promoted) == len(set(promoted))  # nobody promoted twice
    waiting_ids = {r for r, _, _ in first_waiting}
    assert set(promoted) <= waiting_ids
    rows = _rows(lib, event.id)
    arrival = {r: a for r, _, a in rows}
    still_waiting = [a for _, s, a in rows if s == "waitlisted"]
    # First come, first promoted: everyone promoted arrived before everyone still waiting.
    assert max(arrival[r] for r in promoted) < min(still_waiting)
    # Eight places were freed by holders; a quitter promoted before leaving freed another.
    quit_after_promotion = sum(
        1 for r in promoted if dict((x, s) for x, s, _ in rows)[r] == "cancelled"
    )
    assert len(promoted) == 8 + quit_after_promotion
