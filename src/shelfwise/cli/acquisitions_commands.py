"""``shelfwise import-vendors`` and ``shelfwise import-funds``: acquisitions' lists from
CSV files (UTF-8, a header row). Every row is checked first; one bad row stores nothing
and each bad row is named, so a file is fixed and run again whole."""

from __future__ import annotations

import csv
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Annotated

import typer

from shelfwise.circulation.scope import SYSTEM
from shelfwise.cli.common import DataDir, DbUrl, console, err, open_app
from shelfwise.core.errors import ShelfwiseError

CsvFile = Annotated[Path, typer.Argument(help="A UTF-8 CSV file with a header row.")]


def _rows(path: Path, columns: tuple[str, ...]) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in columns if c not in (reader.fieldnames or [])]
        if missing:
            err.print(f"[red]{path}[/red]: missing columns {', '.join(missing)}")
            raise typer.Exit(1)
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


def fen_of(text: str) -> int:
    """Yuan as written ("1,234.50") to fen; refuses anything but a non-negative amount
    with at most two decimals."""
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:
        raise ValueError(f"{text!r} is not an amount in yuan") from exc
    if amount < 0 or amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"{text!r}: yuan, not negative, at most two decimals (fen)")
    return int(amount * 100)


def _run(rows: list[dict[str, str]], check: Callable[[dict[str, str]], None]) -> list[str]:
    return [f"row {n}: {e}" for n, e in enumerate(_errors(rows, check), start=2) if e]


def _errors(rows: list[dict[str, str]], check: Callable[[dict[str, str]], None]) -> list[str]:
    found = []
    for row in rows:
        try:
            check(row)
            found.append("")
        except (ValueError, ShelfwiseError) as exc:
            found.append(exc.message("en") if isinstance(exc, ShelfwiseError) else str(exc))
    return found


def import_vendors(path: CsvFile, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Vendors from CSV (columns code, name, email): new ones added, known codes updated."""
    rows = _rows(path, ("code", "name"))
    bad = [
        f"row {n}: code and name are needed"
        for n, r in enumerate(rows, start=2)
        if not r.get("code") or not r.get("name") or len(r["code"]) > 32
    ]
    if bad:
        for line in bad:
            err.print(f"[red]{path}[/red] {line}")
        raise typer.Exit(1)
    services = open_app(data_dir, database_url)
    for row in rows:
        services.acquisitions.save_vendor(
            row["code"], row["name"], row.get("email") or None, actor=SYSTEM
        )
    services.close()
    console.print(f"{len(rows):,} vendors imported")


def import_funds(path: CsvFile, data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """Funds from CSV (columns code, year, branch, name, allocated in yuan): a budget may
    not fall below what is already committed and spent."""
    rows = _rows(path, ("code", "year", "branch", "name", "allocated"))
    services = open_app(data_dir, database_url)
    branches = {b.code for b in services.catalogue.list_branches()}

    def check(row: dict[str, str]) -> None:
        if row["branch"] not in branches:
            raise ValueError(f"there is no branch {row['branch']!r}")
        if not row["year"].isdigit() or not 2000 <= int(row["year"]) <= 2200:
            raise ValueError(f"{row['year']!r} is not a year")
        if not row["code"] or not row["name"]:
            raise ValueError("code and name are needed")
        fen_of(row["allocated"])

    bad = _run(rows, check)
    if bad:
        services.close()
        for line in bad:
            err.print(f"[red]{path}[/red] {line}")
        raise typer.Exit(1)
    for row in rows:
        services.acquisitions.save_fund(
            row["code"],
            int(row["year"]),
            row["branch"],
            row["name"],
            fen_of(row["allocated"]),
            actor=SYSTEM,
        )
    services.close()
    console.print(f"{len(rows):,} funds imported")
