"""S-3 beyond one connection: login backoff per source address and per terminal account, alerts.

Other source addresses are other loopback addresses (127.0.0.2, 127.0.0.3): the
server sees each as a different kiosk IP.
"""

from __future__ import annotations

import json
import logging
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sip2_server_helpers import (
    INSTITUTION,
    TERMINAL,
    TERMINAL_PASSWORD,
    Kiosk,
    KioskLibrary,
    live_sip2,
    make_library,
)
from sqlalchemy import select

from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.storage.tables import outbox

BACKOFF = {"login_failures": 3, "login_backoff_seconds": 60, "login_backoff_max_seconds": 200}


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path)


def _login(port: int, source: str, password: str = TERMINAL_PASSWORD, name: str = TERMINAL) -> str:
    with Kiosk(port, source=source) as kiosk:
        return kiosk.login(password, name).fixed["ok"]


def _fail(port: int, source: str, times: int, name: str = "no-such-kiosk") -> None:
    with Kiosk(port, source=source) as kiosk:
        for n in range(times):
            assert kiosk.login(f"wrong-{n}", name).fixed["ok"] == "0"


def test_failures_from_an_address_back_off_its_logins_for_longer_each_time(
    library: KioskLibrary, clock: FrozenClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="shelfwise.sip2")
    with live_sip2(library.services, **BACKOFF) as server:
        port = server.port
        _fail(port, "127.0.0.2", 3)  # one connection, closed after the third
        # Refused without a password check, even the right one, from that address only.
        assert _login(port, "127.0.0.2") == "0"
        assert _login(port, "127.0.0.3") == "1"
        clock.advance(timedelta(seconds=59))
        assert _login(port, "127.0.0.2") == "0"
        clock.advance(timedelta(seconds=1))
        # Open again; three more failures: twice as long.
        _fail(port, "127.0.0.2", 2)
        _fail(port, "127.0.0.2", 1)  # counted across connections
        clock.advance(timedelta(seconds=119))
        assert _login(port, "127.0.0.2") == "0"
        clock.advance(timedelta(seconds=1))
        assert _login(port, "127.0.0.2") == "1"  # and a right login clears the count
        _fail(port, "127.0.0.2", 3)
        clock.advance(timedelta(seconds=60))
        assert _login(port, "127.0.0.2") == "1"
    alerts = [r for r in caplog.records if getattr(r, "alert", False)]
    failed = [r for r in alerts if r.getMessage().startswith("sip2 failed login")]
    assert [(r.levelname, r.peer, r.count) for r in failed[:3]] == [  # type: ignore[attr-defined]
        ("WARNING", "127.0.0.2", n) for n in (1, 2, 3)
    ]
    assert any("login backoff sip2-ip:127.0.0.2" in r.getMessage() for r in alerts)
    assert all("wrong-" not in r.getMessage() for r in caplog.records)
    with library.services.db.read() as conn:
        events = conn.execute(select(outbox.c.payload).where(outbox.c.topic == "sip2.alert")).all()
    payloads = [json.loads(e.payload) for e in events]
    assert [p["subject"] for p in payloads] == ["sip2-ip:127.0.0.2"] * 3
    assert payloads[0]["count"] == 3
    assert "wrong" not in events[0].payload


def test_failures_against_an_account_back_off_its_logins_from_every_address(
    library: KioskLibrary, clock: FrozenClock
) -> None:
    services = library.services
    for name, networks in (("kiosk-02", ""), ("kiosk-03", "127.0.0.1/32")):
        services.terminals.create(name=name, password="Second-Kiosk-22", branch="CEN",
                               institution=INSTITUTION, networks=networks)  # fmt: skip
    with live_sip2(services, **BACKOFF) as server:
        port = server.port
        _fail(port, "127.0.0.2", 3, name=TERMINAL)
        assert _login(port, "127.0.0.3") == "0"  # the account is locked, at every address
        assert _login(port, "127.0.0.3", "Second-Kiosk-22", "kiosk-02") == "1"  # not the others
        # Failures from an address the account may not log in from do not lock it: a
        # stranger cannot lock a kiosk out by guessing at its name.
        _fail(port, "127.0.0.3", 3, name="kiosk-03")
        assert _login(port, "127.0.0.1", "Second-Kiosk-22", "kiosk-03") == "1"
        # The statistics: failed logins counted, the account's backoff in login_attempts.
        assert services.terminals.get(TERMINAL).failures == 3  # type: ignore[union-attr]
        assert services.access.lockout.locked_until(f"sip2-terminal:{TERMINAL}") is not None
        assert services.access.lockout.locked_until("sip2-terminal:kiosk-03") is None
        clock.advance(timedelta(seconds=60))
        assert _login(port, "127.0.0.3") == "1"


def test_concurrent_first_failures_from_one_address_are_all_counted(library: KioskLibrary) -> None:
    """Eight kiosks at one new address fail at once: each gets its 940, none a dropped line."""
    answers: list[str] = []
    barrier = threading.Barrier(8)
    with live_sip2(library.services, login_failures=100) as server:

        def attempt() -> None:
            with Kiosk(server.port, source="127.0.0.4") as kiosk:
                barrier.wait(30)
                answers.append(kiosk.login("wrong-password", "no-such-kiosk").fixed["ok"])

        threads = [threading.Thread(target=attempt) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
    assert answers == ["0"] * 8
    assert library.services.access.lockout.failures("sip2-ip:127.0.0.4") == 8


def test_two_servers_share_the_backoff(library: KioskLibrary) -> None:
    """Two server instances (as two worker processes would be) over one database."""
    with (
        live_sip2(library.services, **BACKOFF) as one,
        live_sip2(library.services, **BACKOFF) as two,
    ):
        _fail(one.port, "127.0.0.5", 2)
        _fail(two.port, "127.0.0.5", 1)  # the third failure, at the other server
        assert _login(one.port, "127.0.0.5") == "0"
        assert _login(two.port, "127.0.0.5") == "0"
        assert _login(two.port, "127.0.0.6") == "1"
