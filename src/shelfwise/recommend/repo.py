"""The recommend domain's SQL (private): consenting readers' borrowings, co-borrowing pairs
and trained models (storage/tables/recommend.py says what each holds)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, Row, delete, func, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from shelfwise.recommend.models import Training
from shelfwise.storage.bulk import bulk_insert
from shelfwise.storage.tables.recommend import (
    recommend_borrowings,
    recommend_factors,
    recommend_models,
    recommend_pairs,
)

_B = recommend_borrowings.c
_CHUNK = 500


def _insert(conn: Connection) -> Any:
    return (postgresql.insert if conn.dialect.name == "postgresql" else sqlite.insert)(
        recommend_borrowings
    )


def add_borrowing(conn: Connection, reader_id: int, record_id: int, day: date) -> None:
    """One borrowing (a redelivery or a second loan of the same title moves ``last_on``)."""
    statement = _insert(conn).values(
        reader_id=reader_id, record_id=record_id, first_on=day, last_on=day
    )
    # the later day: SQLite's two-argument max(), PostgreSQL's greatest()
    pick = func.greatest if conn.dialect.name == "postgresql" else func.max
    later: Any = pick(_B.last_on, statement.excluded.last_on)
    conn.execute(
        statement.on_conflict_do_update(
            index_elements=[_B.reader_id, _B.record_id], set_={"last_on": later}
        )
    )


def borrowings_of(conn: Connection, reader_id: int) -> list[tuple[int, date]]:
    """(record id, last day borrowed) of one reader, most recent first."""
    query = (
        select(_B.record_id, _B.last_on)
        .where(_B.reader_id == reader_id)
        .order_by(_B.last_on.desc(), _B.record_id)
    )
    return [(int(r), d) for r, d in conn.execute(query).all()]


def borrower_ids(conn: Connection) -> list[int]:
    return [int(i) for i in conn.execute(select(_B.reader_id).distinct()).scalars()]


def forget_readers(conn: Connection, reader_ids: Iterable[int]) -> int:
    ids = sorted({int(i) for i in reader_ids})
    gone = 0
    for start in range(0, len(ids), _CHUNK):
        part = ids[start : start + _CHUNK]
        gone += int(
            conn.execute(delete(recommend_borrowings).where(_B.reader_id.in_(part))).rowcount
        )
    return gone


def all_borrowings(conn: Connection) -> Iterator[list[tuple[int, int]]]:
    """Every (reader id, record id) pair, in parts (a training reads them once)."""
    query = select(_B.reader_id, _B.record_id)
    result = conn.execution_options(yield_per=100_000).execute(query)
    for part in result.partitions():
        yield [(int(a), int(b)) for a, b in part]


def replace_pairs(conn: Connection, rows: Sequence[dict[str, int]]) -> None:
    conn.execute(delete(recommend_pairs))
    for start in range(0, len(rows), 20_000):
        bulk_insert(conn, recommend_pairs, rows[start : start + 20_000])


def pairs_of(conn: Connection, record_id: int, limit: int) -> list[tuple[int, int]]:
    """(other record id, readers who borrowed both), most readers first."""
    t = recommend_pairs.c
    query = (
        select(t.other_id, t.readers)
        .where(t.record_id == record_id)
        .order_by(t.readers.desc(), t.other_id)
        .limit(limit)
    )
    return [(int(o), int(n)) for o, n in conn.execute(query).all()]


def all_pairs(conn: Connection) -> list[tuple[int, int, int]]:
    t = recommend_pairs.c
    query = select(t.record_id, t.other_id, t.readers).order_by(t.record_id, t.other_id)
    return [(int(a), int(b), int(n)) for a, b, n in conn.execute(query).all()]


def insert_model(conn: Connection, done: Training) -> int:
    figures = {c.name: getattr(done, c.name) for c in recommend_models.c if c.name != "id"}
    statement = insert(recommend_models).values(**figures)
    return int(conn.execute(statement.returning(recommend_models.c.id)).scalar_one())


def insert_factors(conn: Connection, model_id: int, vectors: Iterable[tuple[int, bytes]]) -> None:
    rows = [{"model_id": model_id, "record_id": r, "vector": v} for r, v in vectors]
    for start in range(0, len(rows), 20_000):
        bulk_insert(conn, recommend_factors, rows[start : start + 20_000])


def drop_models_before(conn: Connection, model_id: int) -> None:
    older = recommend_models.c.id < model_id
    conn.execute(delete(recommend_factors).where(recommend_factors.c.model_id < model_id))
    conn.execute(delete(recommend_models).where(older))


def latest_model(conn: Connection) -> Row[Any] | None:
    query = select(recommend_models).order_by(recommend_models.c.id.desc()).limit(1)
    return conn.execute(query).first()


def factors_of(conn: Connection, model_id: int) -> list[tuple[int, bytes]]:
    t = recommend_factors.c
    query = select(t.record_id, t.vector).where(t.model_id == model_id).order_by(t.record_id)
    return [(int(r), bytes(v)) for r, v in conn.execute(query).all()]
