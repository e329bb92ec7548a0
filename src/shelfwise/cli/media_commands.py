"""``shelfwise verify-media`` (fixity), ``shelfwise ingest-media`` (files) and
``shelfwise ingest-batch`` (a folder of scans with a CSV of their metadata, a progress bar
with rate and time left, and a rejects file saying why)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from shelfwise.cli.common import DataDir, DbUrl, console, err, open_app
from shelfwise.cli.progress import count_progress
from shelfwise.core.errors import ShelfwiseError
from shelfwise.media import batch


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


def ingest_batch(
    folder: Annotated[Path, typer.Argument(help="The folder of files (scans, PDF, sound).")],
    metadata: Annotated[
        Path,
        typer.Option(
            "--csv",
            help="One row per file: file, record, rights, access, branch, caption_zh/ko/en, "
            "alt_zh/ko/en, transcript_zh/ko/en.",
        ),
    ],
    rejects: Annotated[
        Path | None, typer.Option(help="Where rejected rows go (default: <csv>.rejects.csv).")
    ] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Ingest a folder of files with their metadata from a CSV, each attached to its record.

    Rows that cannot be ingested go to the rejects file with the reason; the rest go on.
    Exits 1 when any row was rejected or a file in the folder has no row."""
    if not folder.is_dir():
        err.print(f"[red]{folder}[/red] is not a folder")
        raise typer.Exit(2)
    try:
        rows = batch.read_rows(metadata.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ShelfwiseError) as exc:
        reason = exc.message("en") if isinstance(exc, ShelfwiseError) else str(exc)
        err.print(f"[red]{metadata}[/red]: {reason}")
        raise typer.Exit(2) from None
    services = open_app(data_dir, database_url)
    started = time.monotonic()
    with count_progress(console) as progress:
        task = progress.add_task("ingest", total=len(rows), rate=0.0)

        def step(row: batch.BatchRow, error: str | None) -> None:
            if error is not None:
                progress.console.print(f"[yellow]line {row.line}[/yellow]: {error}")
            done = progress.tasks[task].completed + 1
            rate = done / max(time.monotonic() - started, 1e-6)
            progress.update(task, advance=1, rate=rate)

        report = batch.ingest_rows(services.media, folder, rows, "cli", step)
    services.close()
    target = rejects or metadata.with_suffix(".rejects.csv")
    console.print(
        f"stored {report.stored:,}, already stored {report.already:,}, "
        f"rejected {len(report.rejected):,}, files without a row {len(report.unlisted):,}"
    )
    if report.rejected or report.unlisted:
        target.write_text(batch.rejects_csv(report), encoding="utf-8")
        console.print(f"rejects and reasons: {target}")
        raise typer.Exit(1)
