"""``shelfwise import-readers``: move readers, open loans, holds and fees in from another system."""

from __future__ import annotations

import codecs
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from shelfwise.circulation.migration_csv import ColumnsError, parse_offset
from shelfwise.circulation.migration_import import KINDS, MigrationImporter, MigrationSummary
from shelfwise.cli.common import DataDir, DbUrl, console, err, open_app
from shelfwise.cli.progress import byte_progress


def _file_option(kind: str, what: str) -> object:
    return typer.Option(f"--{kind}", help=what, exists=True, dir_okay=False)


ReadersCsv = Annotated[
    Path | None, _file_option("readers", "Readers CSV (card_number, name, category, ...).")
]
LoansCsv = Annotated[
    Path | None,
    _file_option("loans", "Open loans CSV (card_number, item_barcode, checked_out, due, ...)."),
]
HoldsCsv = Annotated[
    Path | None,
    _file_option("holds", "Holds CSV (card_number, pickup_branch, placed, and a title)."),
]
FeesCsv = Annotated[
    Path | None, _file_option("fees", "Open fees CSV (card_number, amount, date, ...).")
]


def import_readers(
    readers: ReadersCsv = None,
    loans: LoansCsv = None,
    holds: HoldsCsv = None,
    fees: FeesCsv = None,
    encoding: Annotated[
        str | None,
        typer.Option(help="Force the character set (utf-8, gb18030); detected by default."),
    ] = None,
    utc_offset: Annotated[
        str, typer.Option(help="The library's local time, for dates and times in the files.")
    ] = "+08:00",
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Move in from another system: readers, their open loans, holds and fees from CSV files.

    Files are imported in that order: loans, holds and fees need their readers.
    A second run adds nothing; bad rows go to a rejects file and the import goes on.
    Columns and examples: docs/migration.md.
    """
    files = dict(zip(KINDS, (readers, loans, holds, fees), strict=True))
    if not any(files.values()):
        raise typer.BadParameter("give at least one of --readers, --loans, --holds, --fees")
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise typer.BadParameter(f"unknown encoding {encoding!r}") from exc
    try:
        offset = parse_offset(utc_offset)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from exc
    services = open_app(data_dir, database_url)
    importer = services.migration_importer(local_offset=offset)
    done: list[tuple[MigrationSummary, float]] = []
    failed = False
    for kind, path in files.items():
        if path is None:
            continue
        started = time.monotonic()
        try:
            summary = _import_one(importer, kind, path, encoding)
        except ColumnsError as exc:
            err.print(f"[red]{kind}:[/red] {exc}")
            failed = True
            continue
        done.append((summary, time.monotonic() - started))
    services.close()
    if done:
        _print_summary(done)
    if failed:
        raise typer.Exit(1)


def _import_one(
    importer: MigrationImporter, kind: str, path: Path, encoding: str | None
) -> MigrationSummary:
    started = time.monotonic()
    size = path.stat().st_size
    with byte_progress(console) as bar:
        task = bar.add_task(f"{kind} {path.name}", total=size, records=0, rate=0.0)

        def show(rows: int, offset: int) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=offset, records=rows, rate=rows / elapsed)

        summary = importer.import_file(kind, path, encoding=encoding, progress=show)
        bar.update(task, completed=size)
    return summary


def _print_summary(done: list[tuple[MigrationSummary, float]]) -> None:
    table = Table(title="Moving in")
    for column in ("file", "encoding", "read", "added", "already there", "rejected", "time"):
        table.add_column(column, justify="left" if column in ("file", "encoding") else "right")
    for summary, seconds in done:
        rate = summary.read / seconds if seconds > 0 else 0.0
        table.add_row(
            f"{summary.kind}: {Path(summary.path).name}",
            summary.encoding,
            f"{summary.read:,}",
            f"{summary.added:,}",
            f"{summary.unchanged:,}",
            f"{summary.rejected:,}",
            f"{seconds:,.1f} s ({rate:,.0f}/s)",
        )
    console.print(table)
    for summary, _ in done:
        if summary.rejected:
            reasons = ", ".join(f"{k} {v:,}" for k, v in sorted(summary.reasons.items()))
            console.print(
                f"{summary.kind} rejected: {reasons}; rejects file {summary.rejects_path}"
            )
        if summary.ignored_columns:
            console.print(f"{summary.kind}: ignored columns {', '.join(summary.ignored_columns)}")
