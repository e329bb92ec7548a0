"""D4 (docs/requirements.md) on the live SIP2 server, SQLite and PostgreSQL.

Per-commit tier: 20 trials with 4 kiosks at once (8.5 s on SQLite and 13 s on
PostgreSQL on the shared 2-core box at load average 4-9); ``--runslow``: 100 trials with 8.
Every trial checks the invariants in the database (see ``sip2_storms``); the
assertion lists every violating trial. The 100-trial figures are in docs/sip2-server.md.
"""

from __future__ import annotations

import statistics
from contextlib import ExitStack
from pathlib import Path

import pytest
from sip2_server_helpers import Kiosk, live_sip2, make_library
from sip2_storms import d4_trial, prepare

from shelfwise.services import Services


def test_d4_resend_and_cancel_sequences_from_concurrent_kiosks(
    services: Services, tmp_path: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    slow = bool(request.config.getoption("--runslow"))
    trials, kiosks = (100, 8) if slow else (20, 4)
    library = make_library(services, tmp_path, require_pin=False)
    setup = prepare(library, kiosks)
    with (
        live_sip2(services, max_connections_per_terminal=kiosks + 1) as server,
        ExitStack() as stack,
    ):
        connections = []
        for _ in range(kiosks):  # each logs in as it connects, as a kiosk does
            kiosk = stack.enter_context(Kiosk(server.port))
            assert kiosk.login().fixed["ok"] == "1"
            connections.append(kiosk)
        results = [
            d4_trial(library, server.port, connections, setup, trial) for trial in range(trials)
        ]
    bad = [(i, r.violations) for i, r in enumerate(results) if r.violations]
    seconds = sorted(r.seconds for r in results)
    print(  # noqa: T201 - the figure docs/sip2-server.md records (pytest -s)
        f"\nD4 {backend}: {trials} trials x {kiosks} kiosks, violating trials {len(bad)}, "
        f"trial median {statistics.median(seconds):.2f} s, max {seconds[-1]:.2f} s, "
        f"total {sum(seconds):.1f} s"
    )
    assert bad == []
