"""SIP2 kiosk sessions doing checkout + check-in cycles, 8 and 32 connections at once.

    .venv/bin/python bench/sip2_bench.py --seconds 8

For each backend (SQLite, PostgreSQL) a fresh library is served by the real SIP2
server (``shelfwise.app.sip2_server``, asyncio listener in a thread, transactions on
its worker pool) on a loopback port. The load generator runs in a *separate process*
(one blocking socket per connection, one thread each): each connection logs in as a
kiosk, verifies its reader's PIN once (Argon2, as a real session does, outside the
measured time), then loops 11 checkout → 09 check-in over its own two copies, so the
figures measure the SIP2 path plus two circulation transactions, not contention on
one copy. A cycle is one checkout plus one check-in; latency is per cycle. A second
kind of cycle, two 99 SC Status round trips (no database work), is measured once on the
first backend for the issue's "status round trip against the echo ceiling" figure.

The ceiling is a bare asyncio line-echo server (no decoding, no database) driven by
the same client with the same bytes, in the same run. The check-in-after-checkout
cancel window (S-8) is set to 0 so every check-in is an ordinary return.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests" / "sip2"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

Work = tuple[str, list[str]]  # (card, barcodes) of one connection


def _request(command: str, card: str, barcode: str, n: int) -> bytes:
    """An 11 or a 09; AC differs per request: the server keys idempotency on the exact
    bytes (S-8), so a repeated identical checkout would be answered from the first one."""
    from datetime import datetime

    from shelfwise.sip2 import Message, encode
    from shelfwise.sip2.dates import format_sip_date

    td = format_sip_date(datetime.now())
    if command == "99":
        fixed = {"status_code": "0", "max_print_width": "080", "protocol_version": "2.00"}
        return encode(Message.of("99", fixed, []), sequence=n % 10)
    if command == "11":
        fixed = {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": td,
                 "nb_due_date": " " * 18}  # fmt: skip
        fields = [("AO", "SZLIB"), ("AA", card), ("AB", barcode), ("AC", str(n)),
                  ("AD", "739251")]  # fmt: skip
    else:
        fixed = {"no_block": "N", "transaction_date": td, "return_date": td}
        fields = [("AP", "desk-1"), ("AO", "SZLIB"), ("AB", barcode), ("AC", str(n))]
    return encode(Message.of(command, fixed, fields), sequence=n % 10)


class _Line:
    """A blocking connection that sends a message and reads one CR-terminated answer."""

    def __init__(self, port: int) -> None:
        import socket

        self.sock = socket.create_connection(("127.0.0.1", port), timeout=60)
        self.buffer = b""

    def ask(self, data: bytes) -> bytes:
        self.sock.sendall(data)
        while b"\r" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("server closed the connection")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\r")
        return line


def _client(
    port: int,
    card: str,
    barcodes: list[str],
    window: list[float],
    ready: threading.Barrier,
    login: bytes,
    out: list[float],
    status: bool,
) -> None:
    line = _Line(port)
    try:
        if login and not line.ask(login).startswith(b"941"):
            raise RuntimeError("login refused")
        i = 0
        while True:
            barcode = barcodes[i % len(barcodes)]
            i += 1
            began = time.perf_counter()
            if status:  # two 99 status round trips, no database work
                lent = line.ask(_request("99", card, barcode, 2 * i))
                back = line.ask(_request("99", card, barcode, 2 * i + 1))
                answered = lent.startswith(b"98Y") and back.startswith(b"98Y")
            else:
                lent = line.ask(_request("11", card, barcode, 2 * i))
                back = line.ask(_request("09", card, barcode, 2 * i + 1))
                answered = lent.startswith(b"121") and back.startswith(b"101")
            took = time.perf_counter() - began
            if login and not answered:
                raise RuntimeError(f"refused: {lent!r} {back!r}")
            if i == 1:  # the warm-up cycle (login, PIN check): wait until every client is ready
                ready.wait()
                continue
            if time.time() >= window[1]:
                break
            out.append(took)
    finally:
        line.sock.close()


def _load(port: int, work: list[Work], seconds: float, login: bytes, status: bool) -> list[float]:
    """One process: a thread (and a connection) per entry of ``work``; every latency.

    The measured window opens when every connection has logged in and made its first
    (warm-up) cycle, however long the logins and Argon2 PIN checks take on a busy box.
    """
    results: list[list[float]] = [[] for _ in work]
    window = [0.0, 0.0]

    def open_window() -> None:
        window[:] = [time.time(), time.time() + seconds]

    ready = threading.Barrier(len(work), action=open_window)
    threads = [
        threading.Thread(
            target=_client, args=(port, card, codes, window, ready, login, results[i], status)
        )
        for i, (card, codes) in enumerate(work)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return [x for r in results for x in r]


def drive(
    port: int, work: list[Work], seconds: float, login: bytes, *, status: bool = False
) -> tuple[float, float, int]:
    """(cycles/s, p99 ms, cycles) from a client process of its own."""
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        latencies = pool.apply(_load, (port, work, seconds, login, status))
    latencies.sort()
    rate = len(latencies) / seconds
    if len(latencies) >= 100:
        p99 = statistics.quantiles(latencies, n=100)[98]
    else:
        p99 = latencies[-1] if latencies else float("nan")
    return rate, p99 * 1000, len(latencies)


@contextmanager
def echo_server() -> Iterator[int]:
    """A bare asyncio server that sends each CR-terminated line back: the ceiling."""

    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while line := await reader.readuntil(b"\r"):
                writer.write(line)
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()

    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    started = asyncio.run_coroutine_threadsafe(asyncio.start_server(echo, "127.0.0.1", 0), loop)
    server = started.result()
    try:
        yield int(server.sockets[0].getsockname()[1])
    finally:
        loop.call_soon_threadsafe(server.close)
        loop.call_soon_threadsafe(loop.stop)
        thread.join(5)


def _row(backend: str, clients: int, rate: float, p99: float, cycles: int, load: str) -> None:
    print(f"| {backend} | {clients} | {rate:.0f} | {p99:.1f} | {cycles} | {load} |", flush=True)


def _loadavg() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def _login() -> bytes:
    from sip2_server_helpers import TERMINAL, TERMINAL_PASSWORD

    from shelfwise.sip2 import Message, encode

    return encode(
        Message.of(
            "93",
            {"uid_algorithm": "0", "pwd_algorithm": "0"},
            [("CN", TERMINAL), ("CO", TERMINAL_PASSWORD), ("CP", "desk-1")],
        ),
        sequence=0,
    )


def ceiling_ratios(seconds: float, clients: int) -> dict[str, float]:
    """SQLite kiosk cycles and status round trips against the echo ceiling, in one run
    (``bench/check.py`` calls this; the full table is :func:`main`'s)."""
    from sip2_server_helpers import live_sip2, make_library

    from circulation_storms import fresh_shelf

    with echo_server() as port:
        work = [(f"C{i}", [f"B{i}a", f"B{i}b"]) for i in range(clients)]
        echo = drive(port, work, seconds, b"")[0]
    with tempfile.TemporaryDirectory() as tmp, fresh_shelf("sqlite", Path(tmp)) as services:
        library = make_library(services, Path(tmp))
        config = {
            "max_connections_per_terminal": clients,
            "max_unauthenticated_per_address": clients,
            "cancel_window_seconds": 0,
        }
        with live_sip2(services, **config) as server:
            barcodes = library.title("bench check", copies=2 * clients)
            cards = [library.reader(f"kiosk reader {i}") for i in range(clients)]
            work = [(cards[i], barcodes[2 * i : 2 * i + 2]) for i in range(clients)]
            kiosk = drive(server.port, work, seconds, _login())[0]
            work = [(f"C{i}", ["-"]) for i in range(clients)]
            status = drive(server.port, work, seconds, _login(), status=True)[0]
    return {
        f"SIP2 sqlite 11+09, {clients} kiosks / echo": kiosk / echo,
        f"SIP2 99+99 status, {clients} kiosks / echo": status / echo,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=8.0)
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--clients", default="8,32")
    args = parser.parse_args()
    counts = [int(c) for c in args.clients.split(",")]

    from sip2_server_helpers import live_sip2, make_library

    from circulation_storms import fresh_shelf

    login = _login()
    print(f"load average before: {_loadavg()}; {os.cpu_count()} CPUs")
    print(
        "| server | connections | cycles/s (checkout+check-in) | p99 cycle (ms) | cycles | load avg |"
    )
    print("|---|---|---|---|---|---|")
    with echo_server() as port:
        for clients in counts:
            work = [(f"C{i}", [f"B{i}a", f"B{i}b"]) for i in range(clients)]
            rate, p99, cycles = drive(port, work, args.seconds, b"")
            _row("asyncio line echo (ceiling)", clients, rate, p99, cycles, _loadavg())
    for backend in args.backends.split(","):
        with tempfile.TemporaryDirectory() as tmp, fresh_shelf(backend, Path(tmp)) as services:
            library = make_library(services, Path(tmp))
            # Every client is one kiosk on 127.0.0.1, all connecting at once: as for a
            # library with that many kiosks behind one address (docs/sip2-server.md).
            config = {
                "max_connections_per_terminal": max(counts),
                "max_unauthenticated_per_address": max(counts),
                "cancel_window_seconds": 0,
            }
            with live_sip2(services, **config) as server:
                for clients in counts:
                    barcodes = library.title(f"bench {backend} {clients}", copies=2 * clients)
                    cards = [library.reader(f"kiosk reader {i}") for i in range(clients)]
                    work = [(cards[i], barcodes[2 * i : 2 * i + 2]) for i in range(clients)]
                    rate, p99, cycles = drive(server.port, work, args.seconds, login)
                    _row(f"SIP2 {backend}", clients, rate, p99, cycles, _loadavg())
                if backend == args.backends.split(",")[0]:
                    for clients in counts:  # the status round trip: no database work
                        work = [(f"C{i}", ["-"]) for i in range(clients)]
                        rate, p99, cycles = drive(
                            server.port, work, args.seconds, login, status=True
                        )
                        _row("SIP2 99+99 status", clients, rate, p99, cycles, _loadavg())
    print(f"load average after: {_loadavg()}")


if __name__ == "__main__":
    main()
