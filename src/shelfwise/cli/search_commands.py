"""``shelfwise reindex`` and ``shelfwise search``: the search index from the command line."""

from __future__ import annotations

import time
from typing import Annotated

import typer

from shelfwise.cli.common import DataDir, DbUrl, console, open_app
from shelfwise.cli.progress import count_progress
from shelfwise.search.models import SearchRequest, Sort


def reindex(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Build a new search index beside the live one and swap it in atomically.

    Searches (also in a running server) go on against the old index until the swap.
    """
    services = open_app(data_dir, database_url)
    started = time.monotonic()
    with count_progress(console) as bar:
        task = bar.add_task("reindex", total=None, rate=0.0)

        def show(done: int, total: int) -> None:
            rate = done / max(time.monotonic() - started, 1e-6)
            bar.update(task, completed=done, total=total, rate=rate)

        report = services.search.rebuild(progress=show)
    console.print(
        f"indexed {report.records:,} records in {report.seconds:,.1f} s "
        f"({report.records / max(report.seconds, 1e-6):,.0f} records/s), "
        f"{report.size_bytes / 1e6:,.1f} MB; live index is now {report.generation}"
    )
    services.close()


def search(
    q: Annotated[str, typer.Argument(help="Query, as a reader would type it.")],
    sort: Annotated[Sort, typer.Option(help="relevance, newest, title or author")] = Sort.RELEVANCE,
    size: Annotated[int, typer.Option(help="Results to show.")] = 10,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Search the catalogue (catches the index up first)."""
    services = open_app(data_dir, database_url)
    console.print(services.search.check())
    result = services.search.search(SearchRequest(q=q, sort=sort, size=size, facets=False))
    console.print(f"{result.total_records:,} records")
    if result.message:
        console.print(f"[yellow]{result.message}[/yellow]")
    if result.did_you_mean:
        console.print(f"did you mean: [bold]{result.did_you_mean}[/bold]")
    for work in result.works:
        best = work.records[0]
        more = f" (+{len(work.records) - 1} editions)" if len(work.records) > 1 else ""
        console.print(
            f"{best.record_id:>8}  {best.title} / {best.author or '-'} {best.year or ''}{more}"
        )
    services.close()
