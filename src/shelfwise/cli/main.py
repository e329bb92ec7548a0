"""``shelfwise``: every command calls services from the composition root, never another command."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from shelfwise import app as composition
from shelfwise.catalogue.importing import Importer, StrictImportError
from shelfwise.catalogue.models import ImportSummary
from shelfwise.cli.access_commands import api_token, staff_add, staff_list
from shelfwise.cli.acquisitions_commands import import_funds, import_vendors
from shelfwise.cli.backup_commands import backup, restore
from shelfwise.cli.common import DataDir, DbUrl, console, err, open_app, start_logging
from shelfwise.cli.media_commands import ingest_batch, ingest_media, verify_media
from shelfwise.cli.migration_commands import import_readers
from shelfwise.cli.progress import byte_progress, count_progress
from shelfwise.cli.search_commands import reindex, search
from shelfwise.cli.sip2_commands import (
    sip2,
    sip2_terminal,
    sip2_terminal_disable,
    sip2_terminals,
)
from shelfwise.cli.worker_commands import worker
from shelfwise.config import Settings, settings_markdown
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.description import Dialect
from shelfwise.marc.reading import MarcFormat
from shelfwise.runtime import Runtime

cli = typer.Typer(
    name="shelfwise",
    help="Shelfwise: catalogue, search, circulation and kiosks for a public-library network.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@cli.command()
def migrate(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Bring the database schema up to date (safe to run at any time)."""
    services = open_app(data_dir, database_url)
    console.print(f"schema up to date on {services.db.dialect}")
    services.close()


@cli.command("import")
def import_(
    files: Annotated[
        list[Path],
        typer.Argument(
            help="MARC files: ISO 2709, MARCXML (also SRU/OAI-PMH responses) or MARC-in-JSON.",
            exists=True,
            dir_okay=False,
        ),
    ],
    format: Annotated[
        MarcFormat | None, typer.Option(help="Force the format instead of detecting it.")
    ] = None,
    dialect: Annotated[
        Dialect | None, typer.Option(help="Force the dialect (marc21, unimarc, kormarc).")
    ] = None,
    encoding: Annotated[
        str | None,
        typer.Option(
            help="Force the character set (utf-8, marc-8, gb18030, euc-kr, cp1251, cp866)."
        ),
    ] = None,
    strict: Annotated[bool, typer.Option(help="Stop at the first rejected record.")] = False,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Import MARC records: idempotent, batched, bad records go to a rejects file."""
    services = open_app(data_dir, database_url)
    importer = services.importer()
    failed = False
    for path in files:
        try:
            _import_one(
                importer, path, format=format, dialect=dialect, encoding=encoding, strict=strict
            )
        except StrictImportError as exc:
            err.print(f"[red]{path}: {exc}[/red]")
            failed = True
    services.close()
    if failed:
        raise typer.Exit(1)


def _import_one(
    importer: Importer,
    path: Path,
    *,
    format: MarcFormat | None,
    dialect: Dialect | None,
    encoding: str | None,
    strict: bool,
) -> ImportSummary:
    started = time.monotonic()
    size = path.stat().st_size
    with byte_progress(console) as bar:
        task = bar.add_task(path.name, total=size, records=0, rate=0.0)

        def show(done: int, offset: int) -> None:
            elapsed = max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=offset, records=done, rate=done / elapsed)

        summary = importer.import_file(
            path, format=format, dialect=dialect, encoding=encoding, strict=strict, progress=show
        )
        bar.update(task, completed=size)
    _print_summary(summary, time.monotonic() - started)
    return summary


def _print_summary(summary: ImportSummary, seconds: float) -> None:
    table = Table(title=f"Import of {summary.path}", show_header=False)
    rate = (summary.read + summary.rejected) / seconds if seconds > 0 else 0.0
    rows = [
        ("format", summary.format or "?"),
        ("read", f"{summary.read:,}"),
        ("added", f"{summary.added:,}"),
        ("updated", f"{summary.updated:,}"),
        ("unchanged", f"{summary.unchanged:,}"),
        ("duplicates merged", f"{summary.merged:,}"),
        ("rejected", f"{summary.rejected:,}"),
        ("repaired", f"{summary.repairs:,}"),
        ("items added / skipped", f"{summary.items_added:,} / {summary.items_skipped:,}"),
        ("encodings", ", ".join(f"{k} {v:,}" for k, v in sorted(summary.encodings.items())) or "-"),
        ("dialects", ", ".join(f"{k} {v:,}" for k, v in sorted(summary.dialects.items())) or "-"),
        (
            "matched on",
            ", ".join(f"{k} {v:,}" for k, v in sorted(summary.matched_on.items())) or "-",
        ),
        (
            "items rejected (unknown branch)",
            f"{summary.items_rejected:,} ({', '.join(b or '(none)' for b in summary.unknown_branches)})"
            if summary.items_rejected
            else "-",
        ),
        ("time", f"{seconds:,.1f} s ({rate:,.0f} records/s)"),
        ("rejects file", summary.rejects_path or "-"),
        ("match report", summary.report_path or "-"),
    ]
    for name, value in rows:
        table.add_row(name, value)
    console.print(table)


_ExportFormat = Annotated[MarcFormat, typer.Option(help="iso2709, marcxml or marcjson.")]
_ExportEncoding = Annotated[
    str,
    typer.Option(
        help="utf-8 (default), gb18030 or euc-kr (ISO 2709 only); characters the set "
        "lacks are written as &#xXXXX;."
    ),
]
_ExportDialect = Annotated[
    Dialect | None, typer.Option(help="Only records catalogued in this dialect.")
]
_AsCatalogued = Annotated[
    bool,
    typer.Option(
        "--as-catalogued",
        help="Write each record in the dialect it was catalogued in (CNMARC, KORMARC) "
        "instead of MARC 21.",
    ),
]
_Original = Annotated[
    bool,
    typer.Option(
        help="Write every source record's original bytes as they arrived (ISO 2709 sources only)."
    ),
]
_Since = Annotated[
    str | None,
    typer.Option(
        help="Incremental: only records changed at or after this UTC time "
        "(YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ), deleted ones with leader/05 'd' "
        "(what OAI-PMH serves with from=)."
    ),
]


@cli.command()
def export(
    output: Annotated[Path, typer.Argument(help="File to write.")],
    format: _ExportFormat = MarcFormat.ISO2709,
    encoding: _ExportEncoding = "utf-8",
    dialect: _ExportDialect = None,
    as_catalogued: _AsCatalogued = False,
    original: _Original = False,
    since: _Since = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Export the catalogue's records as MARC 21 (or as catalogued); never a partial file."""
    from shelfwise.catalogue.exporting import ExportError, ExportRequest

    request = ExportRequest(
        format=format,
        encoding=encoding,
        dialect=str(dialect) if dialect else None,
        as_catalogued=as_catalogued,
        original=original,
        since=_utc_time(since) if since is not None else None,
    )
    services = open_app(data_dir, database_url)
    started = time.monotonic()
    try:
        with count_progress(console) as bar:
            task = bar.add_task(output.name, total=None, rate=0.0)

            def show(done: int, total: int) -> None:
                rate = done / max(time.monotonic() - started, 1e-6)
                bar.update(task, completed=done, total=total, rate=rate)

            summary = services.exporter().export(output, request, progress=show)
    except ExportError as exc:
        err.print(f"[red]export: {exc}[/red]")
        raise typer.Exit(2) from exc
    finally:
        services.close()
    what = "as catalogued" if as_catalogued else "MARC 21"
    console.print(
        f"wrote {summary.written:,} records to {output} ({format}, {encoding}, {what}) "
        f"in {time.monotonic() - started:.1f} s"
        + (f"; {summary.deleted:,} deleted" if summary.deleted else "")
        + (f"; {summary.escaped:,} with characters as &#xXXXX;" if summary.escaped else "")
    )
    if summary.rejected:
        err.print(
            f"[yellow]{summary.rejected:,} records could not be written: "
            f"{summary.rejects_path}[/yellow]"
        )


def _utc_time(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError as exc:
        raise typer.BadParameter(f"{text!r}: use YYYY-MM-DD or YYYY-MM-DDThh:mm:ssZ") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


@cli.command()
def generate(
    output: Annotated[Path, typer.Argument(help="ISO 2709 file to write.")],
    records: Annotated[int, typer.Option(help="How many records.")] = 5000,
    seed: Annotated[int, typer.Option(help="Seed: the same seed gives the same records.")] = 42,
) -> None:
    """Write realistic multilingual demo records (Chinese, Korean, English) as UTF-8 ISO 2709."""
    from shelfwise.marc.iso2709 import encode
    from shelfwise.testing.records import generate_records

    started = time.monotonic()
    with count_progress(console) as bar, output.open("wb") as handle:
        task = bar.add_task(output.name, total=records, rate=0.0)
        for done, record in enumerate(generate_records(records, seed=seed), start=1):
            handle.write(encode(record))
            if done % 5000 == 0 or done == records:
                bar.update(task, completed=done, rate=done / max(time.monotonic() - started, 1e-6))
    size = output.stat().st_size
    console.print(
        f"wrote {records:,} records ({size / 1e6:,.1f} MB) to {output} in {time.monotonic() - started:.1f} s"
    )


@cli.command()
def demo(
    records: Annotated[int, typer.Option(help="How many demo records to generate.")] = 5000,
    serve_after: Annotated[
        bool, typer.Option("--serve/--no-serve", help="Start the server afterwards.")
    ] = True,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Set up a demo library (branches, records, items) and start the server."""
    from shelfwise.testing.demo import (
        seed_branches,
        seed_circulation,
        seed_sip2_terminal,
        seed_staff,
    )

    services = open_app(data_dir, database_url)
    seed_branches(services.catalogue)
    demo_file = services.settings.data_dir / f"demo-{records}.mrc"
    if not demo_file.exists():
        generate(demo_file, records=records, seed=42)
    _import_one(
        services.importer(), demo_file, format=None, dialect=None, encoding=None, strict=False
    )
    cards = seed_circulation(services)
    if cards:
        console.print(f"demo readers (PIN 1234): {', '.join(cards)}")
    name, password, institution = seed_sip2_terminal(services)
    console.print(f"demo SIP2 terminal: CN {name}, CO {password}, AO {institution}")
    for username, password, role in seed_staff(services):
        console.print(f"demo staff login ({role}): {username} / {password}")
    from shelfwise.testing.stories_demo import seed_stories

    console.print(f"demo stories: {', '.join(seed_stories(services))} (/stories)")
    counts = services.catalogue.counts()
    console.print(
        f"[green]demo library ready[/green]: {counts['records']:,} records, {counts['items']:,} items, "
        f"{counts['branches']} branches ({services.settings.resolved_database_url.split('://')[0]})"
    )
    services.close()
    if serve_after:
        serve(data_dir=data_dir, database_url=database_url)


@cli.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Listen address.")] = None,
    port: Annotated[int | None, typer.Option(help="HTTP port.")] = None,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
    workers: Annotated[
        int | None,
        typer.Option(help="HTTP worker processes (default: 2 on two cores or more, else 1)."),
    ] = None,
) -> None:
    """Run the HTTP server (web, API, SRU, OAI-PMH), the SIP2 listener and the background work."""
    import uvicorn

    services = open_app(data_dir, database_url)
    level = start_logging(services.settings)
    host = host or services.settings.http_host
    port = port or services.settings.http_port
    base = f"http://{host}:{port}"
    console.print(
        f"Shelfwise is up:\n  catalogue [bold]{base}/[/bold]   staff client {base}/staff/\n"
        f"  API      [bold]{base}/api/v1/[/bold]  (documentation: {base}/docs)"
    )
    console.print(
        f"  search   {base}/api/v1/search?q=lishi\n  SRU      {base}/sru\n  OAI-PMH  {base}/oai"
    )
    # The process's background work, once: the HTTP app's lifespan starts and stops it,
    # or, with worker processes, this process around them (the workers run none).
    runtime = Runtime(services)
    count = composition.http_workers(workers)
    with composition.sip2_server(services).in_thread() as sip:
        for sip_host, sip_port, tls in sip.addresses:
            console.print(f"  SIP2     {sip_host}:{sip_port} ({'TLS' if tls else 'plain'})")
        if count == 1:
            # uvicorn's own loggers go through the process's handler (log_format), not its.
            uvicorn.run(
                composition.asgi_app(services, runtime),
                host=host,
                port=port,
                log_level=level,
                log_config=None,
            )
            return
        console.print(f"  HTTP     {count} worker processes")
        # The workers load the settings this process did: its flags go to them as the
        # SHELFWISE_* variables they stand for (the environment is inherited).
        os.environ["SHELFWISE_DATA_DIR"] = os.fspath(services.settings.data_dir)
        os.environ["SHELFWISE_DATABASE_URL"] = services.settings.resolved_database_url
        with runtime:
            uvicorn.run(
                composition.WORKER_APP,
                factory=True,
                workers=count,
                host=host,
                port=port,
                log_level=level,
                log_config=None,
            )


@cli.command()
def stats(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Counts of records, sources, items and branches."""
    services = open_app(data_dir, database_url)
    for name, value in services.catalogue.counts().items():
        console.print(f"{name:>10}: {value:,}")
    services.close()


@cli.command()
def settings(
    markdown: Annotated[bool, typer.Option(help="Print docs/settings.md.")] = False,
) -> None:
    """Show every setting with its current value (secrets masked)."""
    if markdown:
        typer.echo(settings_markdown(), nl=False)
        return
    for name, value in Settings.load().public_items():
        console.print(f"{name:>24} = {value}")


cli.command()(reindex)
cli.command()(search)
cli.command()(sip2)
cli.command()(worker)
cli.command("sip2-terminal")(sip2_terminal)
cli.command("sip2-terminals")(sip2_terminals)
cli.command("sip2-terminal-disable")(sip2_terminal_disable)
cli.command("import-readers")(import_readers)
cli.command("staff-add")(staff_add)
cli.command("staff-list")(staff_list)
cli.command("api-token")(api_token)
cli.command()(backup)
cli.command()(restore)
cli.command("verify-media")(verify_media)
cli.command("ingest-media")(ingest_media)
cli.command("ingest-batch")(ingest_batch)
cli.command("import-vendors")(import_vendors)
cli.command("import-funds")(import_funds)


def run() -> None:
    try:
        cli()
    except ShelfwiseError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message('en')}")
        raise SystemExit(1) from exc
