"""Where one SIP2 kiosk cycle (11 checkout + 09 check-in) spends its time: cProfile and SQL counts.

    .venv/bin/python bench/sip2_profile.py --backend sqlite --cycles 300

The session is driven in-process (``Session.handle`` on the framed bytes, as the
server's worker thread calls it), so the profile holds the SIP2 door and the
services it calls, without sockets or the event loop (those are measured by
``sip2_bench.py``: status round trips run at half the echo ceiling). The first
cycle (terminal login and the Argon2 PIN check) is left out, as in the bench.
Prints the SQL statements per cycle by kind and the top functions by cumulative
and by own time.
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

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "sip2"))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--backend", default="sqlite")
    parser.add_argument("--cycles", type=int, default=300)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--show", action="store_true", help="print one cycle's statements")
    args = parser.parse_args()

    from sip2_server_helpers import TERMINAL, TERMINAL_PASSWORD, make_library
    from sqlalchemy import event

    from circulation_storms import fresh_shelf
    from shelfwise.app import sip2_server
    from shelfwise.sip2 import Message, encode
    from shelfwise.sip2.handlers import ANSWERS
    from shelfwise.sip2.session import Session
    from sip2_bench import _request

    with tempfile.TemporaryDirectory() as tmp, fresh_shelf(args.backend, Path(tmp)) as services:
        library = make_library(services, Path(tmp))
        barcodes = library.title("profile", copies=2)
        card = library.reader("profile reader")
        server = sip2_server(services)
        server.recent.window = server.recent.window * 0  # every check-in an ordinary return
        session = Session(
            server.services, "127.0.0.1", server.slots, server.backoff, server.recent, ANSWERS
        )
        login = encode(
            Message.of("93", {"uid_algorithm": "0", "pwd_algorithm": "0"},
                       [("CN", TERMINAL), ("CO", TERMINAL_PASSWORD), ("CP", "desk-1")]),
            sequence=0,
        )  # fmt: skip
        assert session.handle(login).data == b"941AY0AZFDFD\r"

        def cycle(i: int) -> None:
            barcode = barcodes[i % 2]
            lent = session.handle(_request("11", card, barcode, 2 * i)).data or b""
            back = session.handle(_request("09", card, barcode, 2 * i + 1)).data or b""
            if not (lent.startswith(b"121") and back.startswith(b"101")):
                raise RuntimeError(f"a kiosk cycle was refused: {lent!r} {back!r}")

        cycle(0)  # the PIN check (Argon2) happens here, outside the measurement
        statements: Counter[str] = Counter()

        def count(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
            statements[statement.split(None, 1)[0].upper()] += 1
            if args.show and sum(statements.values()) <= 40:
                print("  ", " ".join(statement.split())[:160])

        event.listen(services.db.engine, "before_cursor_execute", count)
        profile = cProfile.Profile()
        began = time.perf_counter()
        profile.enable()
        for i in range(1, args.cycles + 1):
            cycle(i)
        profile.disable()
        took = time.perf_counter() - began
        event.remove(services.db.engine, "before_cursor_execute", count)
    per = {k: round(v / args.cycles, 1) for k, v in statements.most_common()}
    print(f"{args.backend}: {args.cycles} cycles in {took:.2f} s under the profiler "
          f"({1000 * took / args.cycles:.1f} ms per cycle); SQL per cycle {per} "
          f"= {sum(per.values()):.0f}")  # fmt: skip
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        pstats.Stats(profile, stream=out).sort_stats(order).print_stats(args.top)
        print(out.getvalue())


if __name__ == "__main__":
    main()
