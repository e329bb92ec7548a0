"""Disabling a kiosk account (issue 14): by the API, the CLI or the administration page.

A disabled terminal cannot log in, and a kiosk already connected with it is refused at
its next message (the negative response with a screen message, then the connection
closes), so switching a stolen or misbehaving kiosk off takes effect at once.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sip2_server_helpers import TERMINAL, Kiosk, KioskLibrary, checkout, live_sip2, make_library
from sqlalchemy import event
from typer.testing import CliRunner

from shelfwise.app import asgi_app
from shelfwise.cli.main import cli
from shelfwise.kiosks import terminals
from shelfwise.services import Services
from shelfwise.testing.access import staff_token


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path, language="en")


def test_a_disabled_terminal_cannot_log_in_and_its_live_session_is_refused_at_its_next_message(
    library: KioskLibrary,
) -> None:
    services = library.services
    card = library.reader("读者")
    first, second = library.title("停用", copies=2)
    admin = {"Authorization": f"Bearer {staff_token(services, 'admin')}"}
    with (
        live_sip2(services) as server,
        Kiosk(server.port) as kiosk,
        TestClient(asgi_app(services)) as api,
    ):
        assert kiosk.login().fixed["ok"] == "1"
        assert checkout(kiosk, card, first).fixed["ok"] == "1"

        off = api.patch(
            f"/api/v1/sip2-terminals/{TERMINAL}", json={"enabled": False}, headers=admin
        )
        assert off.status_code == 200
        assert off.json()["enabled"] is False
        listed = api.get("/api/v1/sip2-terminals", headers=admin).json()
        assert [(t["name"], t["enabled"]) for t in listed] == [(TERMINAL, False)]

        refused = checkout(kiosk, card, second)
        assert refused.command == "12"
        assert refused.fixed["ok"] == "0"
        assert "switched off by the library" in refused.get_all("AF")[0]
        assert kiosk.closed()
        assert services.circulation.item_status(second).availability == "on_shelf"
        with Kiosk(server.port) as again:
            assert again.login().fixed["ok"] == "0"

        unknown = api.patch(
            "/api/v1/sip2-terminals/no-such", json={"enabled": False}, headers=admin
        )
        assert unknown.status_code == 404
        assert unknown.json()["error"]["code"] == "sip2.unknown_terminal"

        # The command line turns it back on.
        args = [
            "--data-dir",
            str(services.settings.data_dir),
            "--database-url",
            services.settings.resolved_database_url,
        ]
        done = CliRunner().invoke(cli, ["sip2-terminal-disable", TERMINAL, "--enable", *args])
        assert done.exit_code == 0, done.output
        assert f"terminal {TERMINAL} enabled" in done.output
        with Kiosk(server.port) as back:
            assert back.login().fixed["ok"] == "1"
            assert checkout(back, card, second).fixed["ok"] == "1"
        done = CliRunner().invoke(cli, ["sip2-terminal-disable", TERMINAL, *args])
        assert f"terminal {TERMINAL} disabled" in done.output
        assert services.terminals.get(TERMINAL).enabled is False  # type: ignore[union-attr]
        missing = CliRunner().invoke(cli, ["sip2-terminal-disable", "no-such", *args])
        assert missing.exit_code == 1
        assert "sip2.unknown_terminal" in missing.output


def test_a_disable_by_another_process_refuses_the_next_message(
    library: KioskLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The session keeps what it read of its terminal's flag; the command line (its own
    services, sharing only the database and the data folder, as another process does)
    disables the terminal, and the live session's very next message is refused — with
    the session's clock stopped, so the change stamp, not the recheck time, tells it."""
    monkeypatch.setattr(terminals, "_monotonic", lambda: 1000.0)
    services = library.services
    card = library.reader("读者")
    first, second = library.title("别处停用", copies=2)
    args = [
        "--data-dir",
        str(services.settings.data_dir),
        "--database-url",
        services.settings.resolved_database_url,
    ]
    status = {"status_code": "0", "max_print_width": "080", "protocol_version": "2.00"}
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        assert kiosk.login().fixed["ok"] == "1"
        assert checkout(kiosk, card, first).fixed["ok"] == "1"
        assert kiosk.ask("99", status, []).command == "98"  # the flag is cached now
        done = CliRunner().invoke(cli, ["sip2-terminal-disable", TERMINAL, *args])
        assert done.exit_code == 0, done.output
        refused = checkout(kiosk, card, second)
        assert refused.fixed["ok"] == "0"
        assert "switched off by the library" in refused.get_all("AF")[0]
        assert kiosk.closed()
    assert services.circulation.item_status(second).availability == "on_shelf"


def test_the_enabled_flag_is_read_once_per_session_until_it_changes(
    library: KioskLibrary, monkeypatch: pytest.MonkeyPatch
) -> None:
    """What an SC Status costs the database: nothing after the session's first message.
    The flag is read (one prebuilt statement, no BEGIN on SQLite) at the first message,
    then again only after a change of any terminal's flag (the change stamp) or after
    ``ENABLED_RECHECK_SECONDS`` (a row changed straight in the database)."""
    services = library.services
    statements: list[str] = []

    def seen(*args: object) -> None:
        statements.append(str(args[2]).split(None, 1)[0].upper() + " " + str(args[2]))

    now = [1000.0]
    monkeypatch.setattr(terminals, "_monotonic", lambda: now[0])
    status = {"status_code": "0", "max_print_width": "080", "protocol_version": "2.00"}
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        assert kiosk.login().fixed["ok"] == "1"
        event.listen(services.db.engine, "before_cursor_execute", seen)
        try:
            for _ in range(3):
                assert kiosk.ask("99", status, []).command == "98"
            assert len(statements) == 1, statements
            services.terminals.stamp.bump()  # as set_enabled does (here: of no terminal)
            assert kiosk.ask("99", status, []).command == "98"
            assert len(statements) == 2, statements
            now[0] += terminals.ENABLED_RECHECK_SECONDS + 0.1
            assert kiosk.ask("99", status, []).command == "98"
            assert len(statements) == 3, statements
            assert kiosk.ask("99", status, []).command == "98"
        finally:
            event.remove(services.db.engine, "before_cursor_execute", seen)
    assert len(statements) == 3, statements
    assert all(s.startswith("SELECT ") and "sip2_terminals.enabled" in s for s in statements)
