"""Checkout+check-in round trips: 1, 8 and 32 concurrent clients, in-process and over HTTP,
on SQLite and PostgreSQL, each beside its floor in the same run. Prints a markdown table
(figures in docs/benchmarks.md).

    .venv/bin/python bench/circulation_bench.py --seconds 5

The floor of an in-process row is the hand-written round trip of ``circulation_floor.py``
(the same checks with the driver alone, same commit discipline, same clients); the floor
of an HTTP row is ``GET /api/v1/health`` from as many clients on the same server (the
door's own cost), and its ratio is how many health calls a round trip costs (issue 15
asks for at most 4). ``--no-floor`` leaves the floors out (a before/after comparison of
the project alone).

Each client has its own reader and its own copies and loops checkout → check-in,
so the figures measure the transaction path, not contention on one copy (that
is the storms' job). Over HTTP the server is uvicorn (one process, in a thread)
and the load generator runs in the same process: both share the GIL and the
two cores, so HTTP figures are a lower bound. The ``serve1`` and ``serve2`` doors run
``shelfwise serve --workers 1`` or ``2`` in a process of its own instead (issue 15 item 5:
two workers by default on two cores), the load generator alone in this one.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "circulation"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from circ_helpers import LendingLibrary, make_library

import circulation_floor
from circulation_storms import fresh_shelf
from shelfwise.circulation.scope import SYSTEM
from shelfwise.services import Services
from shelfwise.testing.access import staff_headers
from shelfwise.testing.servers import live_server


def _client_loop(
    library: LendingLibrary,
    card: str,
    barcodes: list[str],
    base: str | None,
    auth: dict[str, str],
    stop: threading.Event,
    latencies: list[float],
) -> None:
    circ = library.services.circulation
    http = httpx.Client(base_url=base, timeout=60, headers=auth) if base else None
    i = 0
    while not stop.is_set():
        barcode = barcodes[i % len(barcodes)]
        i += 1
        start = time.perf_counter()
        if http is None:
            circ.checkout(card, barcode, "CEN", actor=SYSTEM)
            circ.checkin(barcode, "CEN", actor=SYSTEM)
        else:
            r = http.post(
                "/api/v1/checkout", json={"card_number": card, "barcode": barcode, "branch": "CEN"}
            )
            assert r.status_code == 201, r.text
            r = http.post("/api/v1/checkin", json={"barcode": barcode, "branch": "CEN"})
            assert r.status_code == 200, r.text
        latencies.append(time.perf_counter() - start)
    if http is not None:
        http.close()


def measure(
    library: LendingLibrary, clients: int, seconds: float, base: str | None
) -> tuple[float, float]:
    _, barcodes = library.same_title(f"bench{clients}", clients * 2)
    cards = [library.reader(f"bench{clients}-{i}").card_number for i in range(clients)]
    # One desk API token, made before the clock starts (the account's password hash is
    # slow on purpose); each request then costs one SHA-256 lookup of the token.
    auth = staff_headers(library.services, "desk") if base else {}
    stop = threading.Event()
    latencies: list[list[float]] = [[] for _ in range(clients)]
    threads = [
        threading.Thread(
            target=_client_loop,
            args=(library, cards[i], barcodes[2 * i : 2 * i + 2], base, auth, stop, latencies[i]),
        )
        for i in range(clients)
    ]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    merged = sorted(x for lat in latencies for x in lat)
    rate = len(merged) / seconds
    if not merged:
        return 0.0, float("nan")
    p99 = statistics.quantiles(merged, n=100)[98] if len(merged) >= 100 else merged[-1]
    return rate, p99 * 1000


def health(base: str, clients: int, seconds: float) -> float:
    """``GET /api/v1/health`` calls per second from ``clients`` threads (the door's floor)."""
    stop = threading.Event()
    counts = [0] * clients

    def client(i: int) -> None:
        with httpx.Client(base_url=base, timeout=60) as http:
            while not stop.is_set():
                assert http.get("/api/v1/health").status_code == 200
                counts[i] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    time.sleep(seconds)
    stop.set()
    for t in threads:
        t.join()
    return sum(counts) / seconds


@contextlib.contextmanager
def served(services: Services, workers: int) -> Iterator[str]:
    """``shelfwise serve --workers N`` over the bench's database, in its own process (the
    load generator here no longer shares a GIL with the server); yields its base URL."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings = services.settings
    env = {**os.environ, "SHELFWISE_SIP2_PORT": "-1", "SHELFWISE_SIP2_TLS_PORT": "-1"}
    env["SHELFWISE_LOG_LEVEL"] = "WARNING"
    command = [sys.executable, "-m", "shelfwise", "serve", "--port", str(port)]
    command += ["--host", "127.0.0.1", "--workers", str(workers)]
    command += ["--data-dir", str(settings.data_dir)]
    command += ["--database-url", settings.resolved_database_url]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if httpx.get(base + "/api/v1/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"shelfwise serve did not start ({server.returncode})")
            time.sleep(0.2)
        time.sleep(2 * workers)  # every worker up, not only the first to answer
        yield base
    finally:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def _row(
    library: LendingLibrary, tmp: Path, door: str, clients: int, seconds: float, floor: bool
) -> str:
    services = library.services
    if door.startswith("serve"):  # serve1, serve2: shelfwise serve with that many workers
        with served(services, int(door.removeprefix("serve") or 2)) as base:
            rate, p99 = measure(library, clients, seconds, base)
            if not floor:
                return f"{rate:.0f} | {p99:.0f} |"
            calls = health(base, clients, seconds)
        return f"{rate:.0f} | {p99:.0f} | health {calls:.0f}/s | {calls / rate:.1f} calls |"
    if door == "http":
        with live_server(services) as base:
            rate, p99 = measure(library, clients, seconds, base)
            if not floor:
                return f"{rate:.0f} | {p99:.0f} |"
            calls = health(base, clients, seconds)
        return f"{rate:.0f} | {p99:.0f} | health {calls:.0f}/s | {calls / rate:.1f} calls |"
    writer = getattr(services.db, "group_commit", None)  # None before group commit
    stats = dataclasses.replace(writer.stats) if writer else None
    rate, p99 = measure(library, clients, seconds, None)
    p99_text = f"{p99:.0f}"
    if writer is not None and stats is not None and writer.stats.commits > stats.commits:
        batch = (writer.stats.transactions - stats.transactions) / (
            writer.stats.commits - stats.commits
        )
        held = writer.stats.held_seconds - stats.held_seconds
        fsync = (writer.stats.commit_seconds - stats.commit_seconds) / held
        p99_text += f" ({batch:.1f} per COMMIT; writer busy {held / seconds:.0%}, COMMIT {fsync:.0%} of that)"
    if not floor:
        return f"{rate:.0f} | {p99_text} |"
    floor_rate, floor_p99 = circulation_floor.measure(services.db.url, tmp, clients, seconds)
    floor_text = f"{floor_rate:.0f} (p99 {floor_p99:.0f})"
    return f"{rate:.0f} | {p99_text} | {floor_text} | {rate / floor_rate:.2f} |"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", default="1,8,32")
    parser.add_argument("--doors", default="in-process,http")
    parser.add_argument("--no-floor", dest="floor", action="store_false")
    args = parser.parse_args()
    head = "| backend | door | clients | round trips/s (checkout+check-in) | p99 round trip (ms) |"
    print(head + (" floor /s | ratio to floor |" if args.floor else ""))
    print("|---|---|---|---|---|" + ("---|---|" if args.floor else ""))
    for backend in args.backends.split(","):
        for door in args.doors.split(","):
            with tempfile.TemporaryDirectory() as tmp, fresh_shelf(backend, Path(tmp)) as services:
                library = make_library(services, Path(tmp))
                for clients in (int(c) for c in args.clients.split(",")):
                    row = _row(library, Path(tmp), door, clients, args.seconds, args.floor)
                    print(f"| {backend} | {door} | {clients} | {row}", flush=True)


if __name__ == "__main__":
    main()
