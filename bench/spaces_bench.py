"""Seats (issue 19): bookings per second at the storm, and the seat-map page of a 300-seat
room — its weight and the server's time — beside the SVG alone as the floor. SQLite in a
temporary folder (``--pg URL``: an empty PostgreSQL database, both figures there too). Prints a markdown table for
docs/benchmarks.md.

    .venv/bin/python bench/spaces_bench.py --rounds 5

The storm is the test's: 64 readers released together at 10 seats of one slot, each
trying the seats in its own order until one is its own or all are taken (10 bookings,
54 refusals); a round's rate is its 64 answers over its wall time. The page is
``GET /spaces/rooms/{id}`` through Starlette's TestClient (no network), a 20 x 15 room
with every other seat booked; its floor is ``seatmap.render`` of the same map.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.catalogue.models import BranchKind
from shelfwise.circulation.rules import Hours
from shelfwise.circulation.scope import SYSTEM, reader_self
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.services import Services
from shelfwise.spaces import seatmap

MORNING = datetime(2026, 9, 1, 0, 0, tzinfo=UTC)  # 08:00 in Shanghai


def _services(folder: Path, url: str) -> Services:
    config = Settings.load(
        {"data_dir": folder / "data", "database_url": url, "password_hash_time_cost": 1},
        environ={},
    )
    services = composition.build(config, clock=FrozenClock(MORNING))
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="CEN")
    services.calendars.set_hours(
        "CEN", weekly_hours={d: [Hours(0, 1440)] for d in range(7)}, special_hours={}, actor=SYSTEM
    )
    return services


def storm_rate(services: Services, rounds: int) -> list[float]:
    rates = []
    for n in range(rounds):
        room = services.rooms.create_room(
            "CEN", code=f"S{n}", name="storm", kind="reading", grid="SSSSSSSSSS", actor=SYSTEM
        )
        seats = [u.id for u in services.rooms.room(room.id)[1]]
        cards = [
            services.readers.register(name=f"r{n}-{k}", category="adult").reader.card_number
            for k in range(64)
        ]
        start = MORNING + timedelta(hours=2 + n)
        barrier = threading.Barrier(65)
        done: list[str] = []

        def work(
            card: str,
            order: list[int],
            start: datetime = start,
            barrier: threading.Barrier = barrier,
            done: list[str] = done,
        ) -> None:
            barrier.wait()
            for seat in order:
                try:
                    services.spaces.book(
                        card, seat, start, start + timedelta(minutes=30), actor=reader_self(card)
                    )
                    done.append("ok")
                    return
                except ShelfwiseError:
                    continue
            done.append("refused")

        rng = random.Random(n)
        threads = [threading.Thread(target=work, args=(c, rng.sample(seats, 10))) for c in cards]
        for t in threads:
            t.start()
        barrier.wait()
        began = time.perf_counter()
        for t in threads:
            t.join()
        elapsed = time.perf_counter() - began
        assert done.count("ok") == 10, done
        assert len(done) == 64, done
        rates.append(64 / elapsed)
    return rates


def seat_map_page(services: Services, requests: int) -> tuple[int, float, float]:
    grid = "\n".join(["S" * 20] * 15)
    room = services.rooms.create_room(
        "CEN", code="BIG", name="三百座阅览室", kind="reading", grid=grid, actor=SYSTEM
    )
    units = services.rooms.room(room.id)[1]
    assert len(units) == 300
    lo, hi = services.rooms.now_window()
    for k, unit in enumerate(units[::2]):
        card = services.readers.register(name=f"p{k}", category="adult").reader.card_number
        services.spaces.book(card, unit.id, lo, hi, actor=SYSTEM)
    path = f"/spaces/rooms/{room.id}"
    page_ms, floor_ms = [], []
    with TestClient(composition.asgi_app(services)) as client:
        body = client.get(path).content
        for _ in range(requests):
            began = time.perf_counter()
            client.get(path)
            page_ms.append((time.perf_counter() - began) * 1000)
            began = time.perf_counter()
            found = services.rooms.seat_map(room.id, lo, hi)
            seatmap.render(found, lambda s: "/x", "map")
            floor_ms.append((time.perf_counter() - began) * 1000)
    return len(body), statistics.median(page_ms), statistics.median(floor_ms)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument(
        "--pg", default="", help="an empty PostgreSQL database's URL: both figures there too"
    )
    args = parser.parse_args()
    engines = [("SQLite", "")] + ([("PostgreSQL", args.pg)] if args.pg else [])
    storms, pages = [], []
    for name, url in engines:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            services = _services(folder, url or f"sqlite:///{folder / 'b.sqlite'}")
            try:
                rates = storm_rate(services, args.rounds)
                storms.append(
                    f"| {name} | {statistics.median(rates):.0f} | {min(rates):.0f} "
                    f"| {max(rates):.0f} |"
                )
                size, page, floor = seat_map_page(services, args.requests)
                pages.append(
                    f"| {name} | {size:,} | {page:.1f} | {floor:.1f} | {page / floor:.1f} |"
                )
            finally:
                services.close()
    print("| engine | storm answers/s (median of rounds) | min | max |")
    print("|---|---|---|---|")
    print("\n".join(storms))
    print()
    print("| engine | 300-seat map page, bytes | server ms (median) | map + SVG alone ms | ratio |")
    print("|---|---|---|---|---|")
    print("\n".join(pages))
    return 0


if __name__ == "__main__":
    sys.exit(main())
