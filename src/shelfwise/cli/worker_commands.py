"""``shelfwise worker``: the background work alone, without a door."""

from __future__ import annotations

import threading

import typer

from shelfwise.cli.common import (
    DataDir,
    DbUrl,
    console,
    err,
    open_app,
    start_logging,
    stop_on_sigterm,
)
from shelfwise.runtime import Runtime


def worker(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Run the background work alone (scheduled jobs, outbox delivery): no HTTP, no SIP2."""
    services = open_app(data_dir, database_url)
    # It answers no searches, so it keeps no search index (docs/operations.md).
    runtime = Runtime(services, follow_search=False)
    if not runtime.enabled:
        services.close()
        err.print("[red]worker:[/red] scheduler_enabled is off: there is nothing to run")
        raise typer.Exit(2)
    start_logging(services.settings)
    stop_on_sigterm()
    try:
        with runtime:
            console.print("Shelfwise worker: scheduled jobs and outbox delivery (Ctrl-C stops)")
            threading.Event().wait()  # until Ctrl-C or SIGTERM
    except KeyboardInterrupt:
        pass
    finally:
        services.close()
