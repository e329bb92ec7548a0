"""``shelfwise verify-media`` (fixity) and ``shelfwise ingest-media`` (one file or a folder)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from shelfwise.cli.common import DataDir, DbUrl, console, err, open_app
from shelfwise.core.errors import ShelfwiseError


def verify_media(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Re-hash every stored digital-object file against its SHA-256 name (fixity check).

    Exits 1 and names each missing or changed file when any is found."""
    services = open_app(data_dir, database_url)
    report = services.media.verify_all()
    services.close()
    for sha in report.bad:
        err.print(f"[red]damaged or missing[/red] {sha}")
    console.print(f"checked {report.checked:,} files, {len(report.bad):,} bad")
    if report.bad:
        raise typer.Exit(1)


def ingest_media(
    paths: Annotated[list[Path], typer.Argument(help="Files to ingest.")],
    rights: Annotated[str, typer.Option(help="rightsstatements.org or Creative Commons URI.")],
    record: Annotated[int | None, typer.Option(help="Attach to this record id.")] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Ingest files as digital objects (open access); refusals are listed, the rest go on."""
    services = open_app(data_dir, database_url)
    refused = 0
    for path in paths:
        try:
            done = services.media.ingest_file(path, rights=rights, actor="cli", record_id=record)
        except ShelfwiseError as exc:
            refused += 1
            err.print(f"[red]{path}[/red]: {exc.message('en')}")
            continue
        state = "stored" if done.created else "already stored"
        console.print(f"{path}: {state} as object {done.object.id} ({done.object.kind})")
    services.close()
    if refused:
        raise typer.Exit(1)
