"""Where one client's checkout+check-in round trip spends its time: CPU, statements, cProfile.

    .venv/bin/python bench/circulation_profile.py --backend sqlite --trips 500

One client in process (``CirculationService`` called directly, as circulation_bench's
in-process rows do), after a warm-up round trip. Prints the statements per round trip
by kind, CPU seconds per round trip (process time, steadier than a rate on a shared
box: other processes' load shows in the wall clock, less in our own CPU), the wall
rate, and the top functions by own and by cumulative time. A profile, not a rate to
compare with a floor: bench/circulation_bench.py does that.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "circulation"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--trips", type=int, default=500)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--no-profile", dest="profile", action="store_false")
    args = parser.parse_args()

    from circ_helpers import make_library
    from sqlalchemy import event

    from circulation_storms import fresh_shelf
    from shelfwise.circulation.scope import SYSTEM

    with tempfile.TemporaryDirectory() as tmp, fresh_shelf(args.backend, Path(tmp)) as services:
        library = make_library(services, Path(tmp))
        _, barcodes = library.title("profile", copies=2)
        card = library.reader("profile reader").card_number
        circ = services.circulation

        def trip(i: int) -> None:
            barcode = barcodes[i % 2]
            circ.checkout(card, barcode, "CEN", actor=SYSTEM)
            circ.checkin(barcode, "CEN", actor=SYSTEM)

        trip(0)
        trip(1)  # warm: rules, calendars and compiled statements seen once
        statements: Counter[str] = Counter()

        def count(conn: Any, cursor: Any, statement: str, *rest: Any) -> None:
            statements[statement.split(None, 1)[0].upper()] += 1

        event.listen(services.db.engine, "before_cursor_execute", count)
        for i in range(2, 12):
            trip(i)
        event.remove(services.db.engine, "before_cursor_execute", count)
        per_trip = {k: v / 10 for k, v in sorted(statements.items())}
        print(
            f"statements per round trip ({args.backend}): {sum(per_trip.values()):.1f} {per_trip}"
        )

        cpu, wall = time.process_time(), time.perf_counter()
        for i in range(args.trips):
            trip(i)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        print(
            f"{args.trips} round trips: {args.trips / wall:.0f}/s wall, "
            f"{1000 * cpu / args.trips:.2f} ms CPU per round trip (process time, all threads)"
        )
        if not args.profile:
            return
        profile = cProfile.Profile()
        profile.enable()
        for i in range(args.trips):
            trip(i)
        profile.disable()
        for order in ("tottime", "cumulative"):
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
            print(out.getvalue())


if __name__ == "__main__":
    main()
