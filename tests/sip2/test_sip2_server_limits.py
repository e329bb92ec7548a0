"""TLS, idle timeout, connection caps and a fuzz run against the live SIP2 server."""

from __future__ import annotations

import logging
import random
import select
import socket
import ssl
import subprocess
from contextlib import ExitStack
from pathlib import Path

import pytest
from sip2_server_helpers import (
    TD,
    Kiosk,
    KioskLibrary,
    checkout,
    live_sip2,
    make_library,
    wait_until,
)

from shelfwise.services import Services
from shelfwise.sip2 import CATALOGUE, Message, encode
from shelfwise.testing import tools


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path)


def test_the_tls_listener_serves_tls_1_2_or_newer(library: KioskLibrary, tmp_path: Path) -> None:
    openssl = tools.require_tool("openssl", "the Debian package openssl")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    with live_sip2(
        library.services, tls_host="127.0.0.1", tls_port=0, tls_cert=str(cert), tls_key=str(key)
    ) as server:
        (tls_port,) = [port for _, port, tls in server.addresses if tls]
        context = ssl.create_default_context(cafile=str(cert))
        context.check_hostname = False
        with (
            socket.create_connection(("127.0.0.1", tls_port), timeout=20) as raw,
            context.wrap_socket(raw) as sock,
        ):
            assert sock.version() in ("TLSv1.2", "TLSv1.3")
            kiosk = Kiosk.__new__(Kiosk)
            kiosk.sock, kiosk.encoding, kiosk.sequence = sock, "utf-8", 0
            assert kiosk.login().fixed["ok"] == "1"


def test_an_idle_connection_is_closed(library: KioskLibrary) -> None:
    with live_sip2(library.services, idle_timeout=0.3) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        assert kiosk.closed()  # the server hung up on its own


def _closed_while_trickling(sock: socket.socket, data: bytes, gap: float = 0.05) -> bool:
    """Send ``data`` a byte at a time, ``gap`` seconds apart; True once the server hangs up.

    ``data`` never ends a message (no CR), as a slowloris client's never does.
    """
    for byte in data:
        try:
            sock.sendall(bytes([byte]))
            readable, _, _ = select.select([sock], [], [], gap)
            if readable and sock.recv(100) == b"":
                return True
        except (BrokenPipeError, ConnectionResetError):
            return True
    return False


def test_a_connection_that_does_not_log_in_in_time_is_closed(library: KioskLibrary) -> None:
    # S-9: the login deadline holds whether the socket stays silent or trickles bytes.
    with live_sip2(library.services, login_timeout=0.3) as server:
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as silent:
            assert silent.recv(1) == b""  # hung up by the server, long before the 10 s
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as slow:
            login = b"9300CNkiosk-01|CO" + b"x" * 300  # never finished
            assert _closed_while_trickling(slow, login)
        wait_until(lambda: server.active == 0)
        with Kiosk(server.port) as kiosk:  # a kiosk that logs in at once is served
            assert kiosk.login().fixed["ok"] == "1"


def test_idleness_is_timed_by_complete_messages_not_bytes(library: KioskLibrary) -> None:
    # Slowloris after login: a byte every 50 ms restarted the old per-read timeout.
    with live_sip2(library.services, idle_timeout=0.4) as server, Kiosk(server.port) as kiosk:
        assert kiosk.login().fixed["ok"] == "1"
        assert _closed_while_trickling(kiosk.sock, b"2300120260901    093000" + b"A" * 300)


def test_250_idle_sockets_from_loopback_do_not_keep_a_kiosk_out(library: KioskLibrary) -> None:
    # Done-when 3 of issue 12: 205 sockets that never logged in took every slot.
    (barcode,) = library.title("门外的人")
    card = library.reader("排队")
    # The defaults: 200 connections, 32 before login, 8 per address.
    before_login = library.services.settings.sip2_max_unauthenticated
    with live_sip2(library.services) as server, ExitStack() as held:
        for n in range(250):  # 25 loopback addresses, the kiosk's own among them
            source = f"127.0.0.{1 + n % 25}"
            idle = socket.create_connection(
                ("127.0.0.1", server.port), timeout=20, source_address=(source, 0)
            )
            held.callback(idle.close)
        wait_until(lambda: server.accepted >= 250)
        assert server.unauthenticated <= before_login
        with Kiosk(server.port, source="127.0.0.1") as kiosk:
            assert kiosk.login().fixed["ok"] == "1"
            loan = checkout(kiosk, card, barcode)
            assert (loan.fixed["ok"], loan.get("AB")) == ("1", barcode)
        assert server.unauthenticated <= before_login
        assert server.active <= before_login + 1
    assert [loan.barcode for loan in library.services.circulation.loans_of(card)] == [barcode]


def test_connections_before_login_never_displace_logged_in_terminals(library: KioskLibrary) -> None:
    status = {"status_code": "0", "max_print_width": "080", "protocol_version": "2.00"}
    with (
        live_sip2(library.services, max_connections=3, max_unauthenticated=1) as server,
        ExitStack() as held,
    ):
        terminals = []
        for _ in range(2):
            kiosk = held.enter_context(Kiosk(server.port))
            assert kiosk.login().fixed["ok"] == "1"
            terminals.append(kiosk)
        for _ in range(5):  # each newer idle socket closes the older one
            held.enter_context(socket.create_connection(("127.0.0.1", server.port)))
        wait_until(lambda: server.accepted == 7)
        assert (server.active, server.unauthenticated) == (3, 1)
        third = held.enter_context(Kiosk(server.port))  # takes the idle socket's place
        assert third.login().fixed["ok"] == "1"
        terminals.append(third)
        with Kiosk(server.port) as fourth:  # three terminals: nothing left to displace
            assert fourth.closed()
        for kiosk in terminals:  # the logged-in terminals were never touched
            assert kiosk.ask("99", status, []).command == "98"


def test_sessions_per_terminal_are_capped(library: KioskLibrary) -> None:
    with live_sip2(library.services, max_connections_per_terminal=2) as server:
        with Kiosk(server.port) as one, Kiosk(server.port) as two, Kiosk(server.port) as three:
            assert one.login().fixed["ok"] == "1"
            assert two.login().fixed["ok"] == "1"
            assert three.login().fixed["ok"] == "0"
            assert three.closed()
        wait_until(lambda: server.active == 0)
        with Kiosk(server.port) as again:  # slots are freed when sessions end
            assert again.login().fixed["ok"] == "1"


def test_the_total_connection_cap(library: KioskLibrary) -> None:
    with live_sip2(library.services, max_connections=1) as server, Kiosk(server.port) as one:
        assert one.login().fixed["ok"] == "1"
        with Kiosk(server.port) as two:  # the one slot holds a logged-in terminal
            assert two.closed()


def _mutations(rng: random.Random) -> list[bytes]:
    """Valid requests of every type, then truncated, bit-flipped, spliced and mis-encoded."""
    base = []
    for spec in CATALOGUE.values():
        if spec.direction.value != "SC→ACS" or spec.command in ("93",):
            continue
        fixed = {f.key: _filler(f.length, f.kind.value, f.choices) for f in spec.fixed}
        fields = [(v.fid, "SZLIB" if v.fid == "AO" else "x1") for v in spec.fields if v.required]
        base.append(encode(Message.of(spec.command, fixed, fields), sequence=1))
    out = list(base)
    for _ in range(150):
        data = bytearray(rng.choice(base))
        kind = rng.randrange(5)
        if kind == 0:
            data = data[: rng.randrange(1, len(data))] + b"\r"
        elif kind == 1:
            data[rng.randrange(2, len(data) - 1)] = rng.randrange(256)
        elif kind == 2:
            data = data[:-1] + "中文|AA".encode("gb18030") + b"\r"
        elif kind == 3:
            data = data[:-1] + bytes(rng.randrange(256) for _ in range(20)) + b"\r"
        else:
            data = data.replace(b"|", b"", 1)
        out.append(bytes(data))
    return out


def _filler(length: int, kind: str, choices: str) -> str:
    if kind == "date":
        return TD
    if kind in ("flag", "flag-or-unknown"):
        return "N"
    if kind == "char":
        return (choices or "0")[0]
    if kind == "version":
        return "2.00"
    if kind == "currency":
        return "CNY"
    if kind in ("number", "count", "bit"):
        return "0" * length
    return " " * length


def test_fuzz_the_server_answers_or_closes_and_stays_up(
    library: KioskLibrary, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="shelfwise")
    messages = _mutations(random.Random(5))
    answered = closed = 0
    with live_sip2(library.services) as server:
        kiosk = Kiosk(server.port)
        kiosk.login()
        for data in messages:
            reply = kiosk.send_raw(data)
            if reply:
                answered += 1
                assert reply[:2].isdigit()
                continue
            closed += 1
            kiosk.sock.close()
            kiosk = Kiosk(server.port)
            assert kiosk.login().fixed["ok"] == "1"
        kiosk.sock.close()
    assert answered > 100
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert errors == []
