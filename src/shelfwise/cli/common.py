"""What every command shares: the consoles, the --data-dir/--database-url options, opening the app."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from shelfwise import app as composition
from shelfwise.config import Settings, SettingsError
from shelfwise.core import log_format
from shelfwise.services import Services

console = Console()
err = Console(stderr=True)

DataDir = Annotated[Path | None, typer.Option("--data-dir", help="Data folder (default: ./data).")]
DbUrl = Annotated[
    str | None,
    typer.Option("--database-url", help="Database URL (default: SQLite in the data folder)."),
]


def open_app(data_dir: Path | None, database_url: str | None) -> Services:
    """Build the application from settings plus the command's flags; exit 2 on bad settings."""
    try:
        settings = Settings.load({"data_dir": data_dir, "database_url": database_url})
    except SettingsError as exc:
        err.print(f"[red]settings:[/red] {exc}")
        raise typer.Exit(2) from exc
    return composition.build(settings)


def start_logging(settings: Settings) -> str:
    """The process's log handler in ``log_format`` at ``log_level`` (for the servers); the
    level's name in lower case, as uvicorn takes it. Exit 2 on a bad setting."""
    level = settings.log_level.upper()
    try:
        log_format.configure(settings.log_format, level)
    except ValueError as exc:
        err.print(f"[red]settings:[/red] {exc}")
        raise typer.Exit(2) from exc
    return level.lower()


def stop_on_sigterm() -> None:
    """SIGTERM (what ``systemctl stop`` and ``docker stop`` send) stops a long-running
    command as Ctrl-C does, so that it stops its background work and closes its database."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)
