"""Per-table row counts and an ordered hash of every row (D16): what a backup promises.

A backup's manifest records, for every table of the database, how many rows it held
at the backup's point and a SHA-256 over every row in primary-key order; a restore
computes the same over the restored database and compares. The hash is over a
canonical text of each row (JSON of the column values, times in ISO 8601, bytes in
base64), so it depends on the data and not on how a driver happens to return it.

The connection passed in must hold the snapshot the digests describe: the backup
computes them inside the very transaction its copy is made from.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Connection, MetaData, Table, func, inspect, select

from shelfwise.storage.tables import metadata

# (stage, done, total): long work reports what it has done; total 0 = not known.
Progress = Callable[[str, int, int], None]


@dataclass(frozen=True, slots=True)
class TableDigest:
    rows: int
    sha256: str

    def as_json(self) -> dict[str, object]:
        return {"rows": self.rows, "sha256": self.sha256}


def table_digests(conn: Connection, progress: Progress | None = None) -> dict[str, TableDigest]:
    """Every table's row count and ordered row hash, as the connection's snapshot sees it."""
    tables = [_table(conn, name) for name in sorted(inspect(conn).get_table_names())]
    counts = {
        t.name: int(conn.execute(select(func.count()).select_from(t)).scalar_one()) for t in tables
    }
    total, done = sum(counts.values()), 0
    digests: dict[str, TableDigest] = {}
    for table in tables:
        hasher, rows = hashlib.sha256(), 0
        order = list(table.primary_key.columns) or list(table.columns)
        result = conn.execution_options(yield_per=2000).execute(select(table).order_by(*order))
        for row in result:
            hasher.update(canonical_row(row))
            rows += 1
            if progress is not None and (done + rows) % 5000 == 0:
                progress("hashing rows", done + rows, total)
        done += rows
        digests[table.name] = TableDigest(rows, hasher.hexdigest())
    if progress is not None:
        progress("hashing rows", done, total)
    return digests


def differences(expected: dict[str, TableDigest], found: dict[str, TableDigest]) -> list[str]:
    """What differs between two sets of digests, one line per table (empty: equal)."""
    lines = []
    for name in sorted(set(expected) | set(found)):
        want, got = expected.get(name), found.get(name)
        if want is None:
            lines.append(f"{name}: not in the backup, {got.rows if got else 0} rows restored")
        elif got is None:
            lines.append(f"{name}: {want.rows} rows in the backup, table missing after restore")
        elif want.rows != got.rows:
            lines.append(f"{name}: {want.rows} rows in the backup, {got.rows} restored")
        elif want.sha256 != got.sha256:
            lines.append(f"{name}: same {want.rows} rows counted, but their contents differ")
    return lines


def canonical_row(values: Iterable[Any]) -> bytes:
    """One row as the bytes that are hashed: JSON of its values, one line."""
    text = json.dumps([_plain(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    return text.encode("utf-8") + b"\n"


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return "b64:" + base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, Decimal):
        return str(value)
    return value


def _table(conn: Connection, name: str) -> Table:
    """The declared table (typed columns), or the reflected one (alembic_version)."""
    declared = metadata.tables.get(name)
    return declared if declared is not None else Table(name, MetaData(), autoload_with=conn)
