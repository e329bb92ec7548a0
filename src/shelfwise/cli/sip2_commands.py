"""``shelfwise sip2`` and the terminal-account commands: the self-check kiosk door."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from shelfwise import app as composition
from shelfwise.cli.common import (
    DataDir,
    DbUrl,
    console,
    err,
    open_app,
    start_logging,
    stop_on_sigterm,
)
from shelfwise.core.errors import ShelfwiseError
from shelfwise.runtime import Runtime


def sip2(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Run the SIP2 server alone, with the background work (plain TCP on loopback or
    allow-listed networks, TLS if set up)."""
    services = open_app(data_dir, database_url)
    start_logging(services.settings)
    try:
        server = composition.sip2_server(services)
    except ValueError as exc:
        err.print(f"[red]sip2:[/red] {exc}")
        raise typer.Exit(2) from exc

    async def main() -> None:
        await server.start()
        for host, port, tls in server.addresses:
            console.print(f"SIP2 {'TLS  ' if tls else 'plain'} {host}:{port}")
        await server.serve_forever()

    # The notices its check-ins queue are sent, and holds expire, without an HTTP server;
    # it answers no searches, so it keeps no search index (docs/operations.md).
    runtime = Runtime(services, follow_search=False)
    stop_on_sigterm()
    try:
        with runtime:
            asyncio.run(main())
    except KeyboardInterrupt:
        pass
    finally:
        services.close()


def sip2_terminal(
    name: Annotated[str, typer.Argument(help="Login user id (CN) of the kiosk.")],
    branch: Annotated[str, typer.Option(help="Branch code the kiosk stands in.")],
    institution: Annotated[str, typer.Option(help="Institution id (AO) the kiosk sends.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="Login password (CO)."
        ),
    ],
    location: Annotated[str, typer.Option(help="Location code (CP); empty: any.")] = "",
    networks: Annotated[str, typer.Option(help="Allowed source CIDRs, comma-separated.")] = "",
    messages: Annotated[
        str, typer.Option(help="Allowed requests, e.g. 93,99,63,11,09 (empty: all but 01).")
    ] = "",
    fields: Annotated[
        str, typer.Option(help="Personal fields it may receive: AE (full name), BE, BF.")
    ] = "",
    charset: Annotated[str, typer.Option(help="utf-8, gb18030, gbk, latin-1 or cp850.")] = "utf-8",
    lenient: Annotated[bool, typer.Option(help="Accept common checksum mistakes.")] = False,
    language: Annotated[str, typer.Option(help="Screen messages: zh, ko or en.")] = "zh",
    require_pin: Annotated[
        bool, typer.Option(help="Reader PIN (AD) needed for reader data and transactions.")
    ] = True,
    allow_offline: Annotated[
        bool,
        typer.Option(help="Accept its offline (no_block) checkouts and check-ins (S-8)."),
    ] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Add a SIP2 terminal account, or replace one's settings and password."""
    services = open_app(data_dir, database_url)
    try:
        terminal = services.terminals.create(
            name=name,
            password=password,
            branch=branch,
            institution=institution,
            location=location or None,
            networks=networks,
            messages=messages,
            fields=fields,
            charset=charset,
            lenient=lenient,
            language=language,
            require_pin=require_pin,
            allow_offline=allow_offline,
        )
    except ShelfwiseError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message('en')}")
        raise typer.Exit(2) from exc
    finally:
        services.close()
    console.print(f"terminal {terminal.name} at {terminal.branch_code} saved")


def sip2_terminals(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """List SIP2 terminal accounts with their statistics (transactions, failures, last seen)."""
    services = open_app(data_dir, database_url)
    for t in services.terminals.all():
        seen = t.last_seen_at.isoformat(timespec="seconds") if t.last_seen_at else "never"
        state = "" if t.enabled else " (disabled)"
        offline = " offline-allowed" if t.allow_offline else ""
        # S-3: a login backoff against the account (sip2-terminal:<name> in login_attempts).
        until = services.access.lockout.locked_until(f"sip2-terminal:{t.name}")
        backoff = f" login backoff until {until:%Y-%m-%d %H:%M:%S} UTC" if until else ""
        console.print(
            f"{t.name}{state}: {t.branch_code} AO={t.institution} {t.charset}{offline} "
            f"transactions={t.transactions} failures={t.failures} last seen {seen}{backoff}"
        )
    services.close()


def sip2_terminal_disable(
    name: Annotated[str, typer.Argument(help="Login user id (CN) of the kiosk.")],
    enable: Annotated[
        bool, typer.Option("--enable", help="Enable the account again instead.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Disable a SIP2 terminal account: its logins fail and a connected kiosk is refused at
    its next message (--enable turns it back on)."""
    services = open_app(data_dir, database_url)
    try:
        terminal = services.terminals.set_enabled(name, enable)
    except ShelfwiseError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message('en')}")
        raise typer.Exit(1) from exc
    finally:
        services.close()
    console.print(f"terminal {terminal.name} {'enabled' if terminal.enabled else 'disabled'}")
