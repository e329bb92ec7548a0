"""Storms (issue 19): readers racing for seats, on both engines. Every worker waits at a
barrier, then calls the service; the invariants are read from the database afterwards."""

from __future__ import annotations

import random
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import text

from shelfwise.circulation.scope import SYSTEM, reader_self
from shelfwise.core.errors import ShelfwiseError
from shelfwise.spaces.models import BookingRule
from spaces.spaces_helpers import SpacesLibrary, local


def race(workers: list[Callable[[], str]]) -> Counter[str]:
    """Run every worker at once; each returns 'ok' or a refusal code."""
    barrier = threading.Barrier(len(workers))
    outcomes: Counter[str] = Counter()
    lock = threading.Lock()

    def body(work: Callable[[], str]) -> None:
        barrier.wait()
        try:
            outcome = work()
        except ShelfwiseError as exc:
            outcome = exc.code
        except Exception as exc:  # counted, so the test shows it
            outcome = f"error:{type(exc).__name__}:{exc}"
        with lock:
            outcomes[outcome] += 1

    threads = [threading.Thread(target=body, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    return outcomes


def _slot_rows_match_live_bookings(lib: SpacesLibrary) -> None:
    """Every slot row belongs to a live booking and every live booking holds its slots."""
    with lib.services.db.read() as conn:
        orphans = conn.execute(
            text(
                "SELECT count(*) FROM space_slots s JOIN space_bookings b ON b.id = s.booking_id "
                "WHERE b.state NOT IN ('booked', 'checked_in', 'away')"
            )
        ).scalar_one()
        rows = conn.execute(
            text(
                "SELECT b.starts_at, b.ends_at, "
                "(SELECT count(*) FROM space_slots s WHERE s.booking_id = b.id) "
                "FROM space_bookings b WHERE b.state = 'booked'"
            )
        ).all()
    assert orphans == 0
    slot = timedelta(minutes=lib.services.spaces.policy.slot_minutes)
    for starts_at, ends_at, held in rows:
        span = _moment(ends_at) - _moment(starts_at)  # SQLite answers raw SQL with text
        assert held == span / slot


def _moment(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_64_readers_racing_for_10_seats_make_10_bookings_and_54_refusals(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    spaces = lib.services.spaces
    _, units = lib.services.rooms.room(lib.reading.id)
    seats = [u.id for u in units]
    assert len(seats) == 10
    cards = [lib.reader().card_number for _ in range(64)]

    def worker(card: str, order: list[int]) -> Callable[[], str]:
        def work() -> str:
            # A reader tries the seats in an order of their own until one is theirs.
            for seat in order:
                try:
                    spaces.book(card, seat, local(1, 10), local(1, 11), actor=reader_self(card))
                    return "ok"
                except ShelfwiseError as exc:
                    if exc.code != "spaces.unit_taken":
                        raise
            return "spaces.unit_taken"

        return work

    rng = random.Random(19)
    outcomes = race([worker(c, rng.sample(seats, len(seats))) for c in cards])
    assert outcomes == Counter({"ok": 10, "spaces.unit_taken": 54})
    with lib.services.db.read() as conn:
        per_seat = conn.execute(
            text("SELECT unit_id, count(*) FROM space_bookings GROUP BY unit_id")
        ).all()
    assert sorted(n for _, n in per_seat) == [1] * 10
    assert spaces.overlapping_pairs() == 0
    _slot_rows_match_live_bookings(lib)


def test_200_random_overlapping_bookings_in_parallel_leave_no_overlap(
    spaces_library: SpacesLibrary,
) -> None:
    lib = spaces_library
    spaces = lib.services.spaces
    lib.services.rooms.set_rule(BookingRule("*", 1440, 7, 20), actor=SYSTEM)
    _, units = lib.services.rooms.room(lib.reading.id)
    seats = [u.id for u in units[:6]]
    cards = [lib.reader().card_number for _ in range(40)]
    rng = random.Random(200)

    def worker(card: str, seat: int, start: int, slots: int) -> Callable[[], str]:
        starts_at = local(2, 10) + timedelta(minutes=30 * start)
        ends_at = starts_at + timedelta(minutes=30 * slots)

        def work() -> str:
            spaces.book(card, seat, starts_at, ends_at, actor=reader_self(card))
            return "ok"

        return work

    workers = [
        worker(cards[k % len(cards)], rng.choice(seats), rng.randrange(0, 16), rng.randint(1, 4))
        for k in range(200)
    ]
    outcomes = race(workers)
    assert set(outcomes) <= {"ok", "spaces.unit_taken"}, outcomes
    assert sum(outcomes.values()) == 200
    # The storm contended (refusals) and booked (successes): the check below means something.
    assert outcomes["ok"] > 20
    assert outcomes["spaces.unit_taken"] > 20
    assert spaces.overlapping_pairs() == 0
    _slot_rows_match_live_bookings(lib)
    with lib.services.db.read() as conn:
        booked = conn.execute(text("SELECT count(*) FROM space_bookings")).scalar_one()
    assert booked == outcomes["ok"]
