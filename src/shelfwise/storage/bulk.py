"""Bulk inserts that go straight to the driver's ``executemany``.

SQLAlchemy's per-row parameter processing costs more than SQLite's own work
when an import writes a million rows; here the statement is compiled once per
(table, columns), type conversions are applied only to the columns that need
one, and the rows go to the driver as plain tuples.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Dialect, Table


@functools.lru_cache(maxsize=256)
def _compiled(
    dialect: Dialect, table: Table, columns: tuple[str, ...]
) -> tuple[str, tuple[str, ...], bool]:
    compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
    order = tuple(compiled.positiontup or ()) if compiled.positional else columns
    return str(compiled), order, bool(compiled.positional)


def _remembering(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert`` with its answers kept for the call: a batch repeats one timestamp thousands of times."""
    seen: dict[Any, Any] = {}

    def cached(value: Any) -> Any:
        try:
            return seen[value]
        except KeyError:
            seen[value] = result = convert(value)
            return result
        except TypeError:  # unhashable: convert every time
            return convert(value)

    return cached


def bulk_insert(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` (all with the same keys, which must be column names) in one executemany."""
    if not rows:
        return
    sql, order, positional = _compiled(conn.dialect, table, tuple(rows[0]))
    processors: list[tuple[int, str, Callable[[Any], Any]]] = []
    for index, name in enumerate(order):
        # The dialect's own implementation of the type: SQLite stores datetimes as
        # text in SQLAlchemy's format, and every writer must use the same one.
        processor = table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect)
        if processor is not None:
            processors.append((index, name, _remembering(processor)))
    if positional:
        params: list[Any] = []
        for row in rows:
            values = [row[name] for name in order]
            for index, _name, convert in processors:
                values[index] = convert(values[index])
            params.append(tuple(values))
    else:
        params = []
        for row in rows:
            mapped = dict(row)
            for _index, name, convert in processors:
                mapped[name] = convert(mapped[name])
            params.append(mapped)
    conn.exec_driver_sql(sql, params)
