"""``shelfwise backup`` and ``shelfwise restore``: the library's database and data folder state."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from shelfwise import app as composition
from shelfwise.cli.common import DataDir, DbUrl, console, err
from shelfwise.config import Settings, SettingsError
from shelfwise.storage.backup import NOT_INCLUDED, BackupError
from shelfwise.storage.backup_digest import Progress as Report
from shelfwise.storage.backup_postgres import ToolError


def backup(
    output: Annotated[Path, typer.Argument(help="Backup file to write (a tar file).")],
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Back up the database and the data folder's keys and import reports, while Shelfwise runs."""
    service = composition.backup_service(_settings(data_dir, database_url))
    try:
        with _failing_clearly(), _stages() as report:
            manifest, removed = service.create(output, progress=report)
    finally:
        service.close()
    console.print(
        f"[green]backup written[/green]: {output} ({output.stat().st_size / 1e6:,.1f} MB, "
        f"{manifest.engine}, {len(manifest.tables)} tables, {manifest.rows:,} rows, "
        f"{len(manifest.files) - 1} data-folder files)"
    )
    for path in removed:
        console.print(f"deleted {path.name}: older than backup_retention_days")
    console.print("not in the backup: " + "; ".join(NOT_INCLUDED))


def restore(
    archive: Annotated[
        Path, typer.Argument(help="Backup file to restore.", exists=True, dir_okay=False)
    ],
    replace: Annotated[
        bool,
        typer.Option(
            help="Overwrite a database that holds data and key files that differ "
            "(stop every Shelfwise process first)."
        ),
    ] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Restore a backup into an empty database and data folder, then check every row against it."""
    service = composition.backup_service(_settings(data_dir, database_url))
    try:
        with _failing_clearly(), _stages() as report:
            done = service.restore(archive, replace=replace, progress=report)
    finally:
        service.close()
    manifest = done.manifest
    console.print(
        f"[green]restored and verified[/green]: {manifest.rows:,} rows in "
        f"{len(manifest.tables)} tables match the backup of "
        f"{manifest.created_at:%Y-%m-%d %H:%M:%S} UTC (schema {manifest.revision})"
    )
    for name in done.files:
        console.print(f"  {name}")
    console.print(
        "the search index is rebuilt when Shelfwise next starts (or run `shelfwise reindex`)"
        if done.index_removed
        else "no search index here: it is built when Shelfwise next starts"
    )


def _settings(data_dir: Path | None, database_url: str | None) -> Settings:
    try:
        return Settings.load({"data_dir": data_dir, "database_url": database_url})
    except SettingsError as exc:
        err.print(f"[red]settings:[/red] {exc}")
        raise typer.Exit(2) from exc


@contextmanager
def _failing_clearly() -> Iterator[None]:
    try:
        yield
    except (BackupError, ToolError) as exc:
        err.print(f"[red]failed:[/red] {exc}")
        raise typer.Exit(1) from exc


@contextmanager
def _stages() -> Iterator[Report]:
    """One progress bar per stage (hashing rows, copying pages, writing the archive…)."""
    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("ETA"),
        TimeRemainingColumn(),
        console=console,
    ) as bar:

        def report(stage: str, done: int, total: int) -> None:
            if stage not in tasks:
                tasks[stage] = bar.add_task(stage, total=total or None)
            bar.update(tasks[stage], completed=done, total=total or None)

        yield report
