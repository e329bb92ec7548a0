"""SQL of readers (private to the domain: other domains call readers/reading.py).

Rows in, rows or ids out; the rules (what may change, what an error says) live in
readers/service.py.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, bindparam, delete, insert, select, update

from shelfwise.readers.models import Consent, Reader, ReaderStatus, SessionHolder
from shelfwise.storage.tables import (
    branches,
    reader_consents,
    reader_deletions,
    reader_search_keys,
    readers,
)

# A new PIN or password, or a block, moves the reader's session epoch (access refuses
# tokens made under an older one).
NEXT_EPOCH = readers.c.session_epoch + 1
NEXT_VERSION = readers.c.version + 1


# The reads asked at every checkout, SIP2 patron message and web request, built once:
# building and keying a select cost about as much as running it on SQLite.  A locked read
# takes FOR UPDATE on PostgreSQL only (SQLite writers are serialised already).
_BY_ID = select(readers).where(readers.c.id == bindparam("reader_id"))
_BY_CARD = select(readers).where(readers.c.card_number == bindparam("card_number"))
_BY_ID_LOCKED = _BY_ID.with_for_update()
_BY_CARD_LOCKED = _BY_CARD.with_for_update()
_ID_BY_CARD = select(readers.c.id).where(readers.c.card_number == bindparam("card_number"))
_HOLDER = select(
    readers.c.id, readers.c.name, readers.c.card_number, readers.c.session_epoch
).where(readers.c.id == bindparam("reader_id"))
_EPOCH = select(readers.c.session_epoch).where(readers.c.id == bindparam("reader_id"))


def _lock(conn: Connection, lock: bool) -> bool:
    return lock and conn.dialect.name == "postgresql"


def insert_reader(conn: Connection, **values: Any) -> int:
    return int(conn.execute(insert(readers).values(**values).returning(readers.c.id)).scalar_one())


def update_reader(conn: Connection, reader_id: int, **values: Any) -> None:
    conn.execute(update(readers).where(readers.c.id == reader_id).values(**values))


def row_by_id(conn: Connection, reader_id: int, *, lock: bool = False) -> Row[Any] | None:
    query = _BY_ID_LOCKED if _lock(conn, lock) else _BY_ID
    return conn.execute(query, {"reader_id": reader_id}).first()


def row_by_card(conn: Connection, card_number: str, *, lock: bool = False) -> Row[Any] | None:
    query = _BY_CARD_LOCKED if _lock(conn, lock) else _BY_CARD
    return conn.execute(query, {"card_number": card_number}).first()


def id_by_card(conn: Connection, card_number: str) -> int | None:
    found = conn.execute(_ID_BY_CARD, {"card_number": card_number}).scalar()
    return None if found is None else int(found)


def id_card_match(conn: Connection, lookups: list[str]) -> tuple[int, str] | None:
    """(id, id_card_hash) of the reader whose identity-card hash is one of ``lookups``."""
    row = conn.execute(
        select(readers.c.id, readers.c.id_card_hash).where(readers.c.id_card_hash.in_(lookups))
    ).first()
    return None if row is None else (int(row.id), str(row.id_card_hash))


def session_holder(conn: Connection, reader_id: int) -> SessionHolder | None:
    row = conn.execute(_HOLDER, {"reader_id": reader_id}).first()
    if row is None:
        return None
    return SessionHolder(int(row.id), row.name, row.card_number, int(row.session_epoch))


def session_epoch(conn: Connection, reader_id: int) -> int | None:
    found = conn.execute(_EPOCH, {"reader_id": reader_id}).scalar_one_or_none()
    return None if found is None else int(found)


def consenting_ids(conn: Connection, ids: list[int]) -> set[int]:
    """Those of ``ids`` whose reader has recommendations on (P11)."""
    query = select(readers.c.id).where(readers.c.id.in_(ids), readers.c.recommend_opt_in == 1)
    return {int(i) for i in conn.execute(query).scalars()}


def labels() -> Any:
    """A subquery of every reader's id, card number and name (for another domain's join)."""
    return select(
        readers.c.id, readers.c.card_number, readers.c.name.label("reader_name")
    ).subquery("reader_labels")


def insert_consent(
    conn: Connection,
    reader_id: int,
    purpose: str,
    *,
    granted: bool,
    notice_version: str,
    at: datetime,
) -> None:
    conn.execute(
        insert(reader_consents).values(
            reader_id=reader_id,
            purpose=purpose,
            granted=int(granted),
            notice_version=notice_version,
            at=at,
        )
    )


def consents(conn: Connection, reader_id: int) -> list[Consent]:
    rows = conn.execute(
        select(reader_consents)
        .where(reader_consents.c.reader_id == reader_id)
        .order_by(reader_consents.c.id)
    ).all()
    return [Consent(r.purpose, bool(r.granted), r.notice_version, r.at) for r in rows]


def delete_reader(conn: Connection, reader_id: int) -> None:
    conn.execute(delete(reader_consents).where(reader_consents.c.reader_id == reader_id))
    conn.execute(delete(reader_search_keys).where(reader_search_keys.c.reader_id == reader_id))
    conn.execute(delete(readers).where(readers.c.id == reader_id))


def insert_deletion(conn: Connection, *, category: str, loans: int, at: datetime) -> None:
    conn.execute(insert(reader_deletions).values(category=category, loans=loans, deleted_at=at))


def branch_id(conn: Connection, code: str) -> int | None:
    # The branch network is catalogue's, a sibling layer readers cannot import: a read of
    # its reference data by code, never a write.
    found = conn.execute(select(branches.c.id).where(branches.c.code == code)).scalar()
    return None if found is None else int(found)


def branch_code(conn: Connection, branch_id: int) -> str | None:
    found = conn.execute(select(branches.c.code).where(branches.c.id == branch_id)).scalar()
    return None if found is None else str(found)


def reader_of(row: Row[Any]) -> Reader:
    return Reader(
        id=row.id,
        card_number=row.card_number,
        category=row.category,
        status=ReaderStatus(row.status),
        name=row.name,
        email=row.email,
        phone=row.phone,
        birth_year=row.birth_year,
        home_branch_id=row.home_branch_id,
        id_card_last4=row.id_card_last4,
        expires_on=row.expires_on,
        manual_block=row.manual_block,
        history_opt_in=bool(row.history_opt_in),
        notices_email=bool(row.notices_email),
        recommend_opt_in=bool(row.recommend_opt_in),
        receipts_email=bool(row.receipts_email),
        has_pin=row.pin_hash is not None,
        has_password=row.password_hash is not None,
        created_at=row.created_at,
        version=row.version,
    )


def id_and_category(conn: Connection, card_number: str) -> tuple[int, str] | None:
    row = conn.execute(
        select(readers.c.id, readers.c.category).where(readers.c.card_number == card_number)
    ).first()
    return None if row is None else (int(row.id), str(row.category))


def id_card_known(conn: Connection, lookups: list[str]) -> bool:
    query = select(readers.c.id).where(readers.c.id_card_hash.in_(lookups)).limit(1)
    return conn.execute(query).first() is not None


def replace_search_keys(conn: Connection, reader_id: int, keys: set[str]) -> None:
    conn.execute(delete(reader_search_keys).where(reader_search_keys.c.reader_id == reader_id))
    if keys:
        conn.execute(
            insert(reader_search_keys), [{"key": k, "reader_id": reader_id} for k in sorted(keys)]
        )


def rows_by_key_prefix(conn: Connection, prefix: str, limit: int) -> list[Row[Any]]:
    """Readers with a search key starting with ``prefix``: a range over the key index
    (``prefix`` ≤ key < ``prefix`` followed by the last code point), in one statement."""
    ids = (
        select(reader_search_keys.c.reader_id)
        .where(reader_search_keys.c.key >= prefix, reader_search_keys.c.key < prefix + "\U0010ffff")
        .distinct()
        .limit(limit)
        .scalar_subquery()
    )
    return list(conn.execute(select(readers).where(readers.c.id.in_(ids))).all())
