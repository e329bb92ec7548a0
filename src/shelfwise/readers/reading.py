"""What readers publish to the domains above them (circulation, access, SIP2 through them).

Each function runs inside the caller's transaction (``conn``) so that a checkout reads and
locks its reader in the same transaction as the loan it writes; none of them writes. Other
domains never touch the readers tables: they call these.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, NamedTuple

from sqlalchemy import Connection

from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers import repo
from shelfwise.readers.models import Consent, Reader, SessionHolder


def lock_reader(conn: Connection, card_number: str) -> Reader:
    """The reader, row-locked (FOR UPDATE) on PostgreSQL; SQLite writers are serialised."""
    row = repo.row_by_card(conn, card_number, lock=True)
    if row is None:
        raise ShelfwiseError("readers.not_found", card=card_number)
    return repo.reader_of(row)


def reader_by_id(conn: Connection, reader_id: int, *, lock: bool = False) -> Reader:
    row = repo.row_by_id(conn, reader_id, lock=lock)
    if row is None:
        raise ShelfwiseError("readers.not_found", card="#" + str(reader_id))
    return repo.reader_of(row)


def reader_if_present(conn: Connection, reader_id: int) -> Reader | None:
    """The reader, or None once deleted."""
    row = repo.row_by_id(conn, reader_id)
    return None if row is None else repo.reader_of(row)


def load_reader(conn: Connection, reader_id: int) -> Reader:
    """The reader the caller knows exists (a missing one is a programming error)."""
    row = repo.row_by_id(conn, reader_id)
    if row is None:
        raise LookupError(f"reader {reader_id} does not exist")
    return repo.reader_of(row)


def reader_id_of(conn: Connection, card_number: str) -> int:
    found = repo.id_by_card(conn, card_number)
    if found is None:
        raise ShelfwiseError("readers.not_found", card=card_number)
    return found


def find_reader_id(conn: Connection, card_number: str) -> int | None:
    return repo.id_by_card(conn, card_number)


def consents(conn: Connection, reader_id: int) -> list[Consent]:
    return repo.consents(conn, reader_id)


def recommendation_consents(conn: Connection, reader_ids: Iterable[int]) -> set[int]:
    """Which of these readers consent to recommendations now (P11): training keeps only
    their data, so a withdrawal takes effect at the next training."""
    ids = sorted({int(i) for i in reader_ids})
    found: set[int] = set()
    for start in range(0, len(ids), 500):
        found |= repo.consenting_ids(conn, ids[start : start + 500])
    return found


def session_holder(conn: Connection, reader_id: int) -> SessionHolder | None:
    return repo.session_holder(conn, reader_id)


def session_epoch(conn: Connection, reader_id: int) -> int:
    """The reader's session epoch (0 for a reader who is gone)."""
    return repo.session_epoch(conn, reader_id) or 0


def reader_labels() -> Any:
    """A subquery of (id, card_number, reader_name) for every reader, for another domain
    to join in one query (a hold-shelf list): the join stays one statement, the columns
    stay the ones readers chose to show."""
    return repo.labels()


class IdAndCategory(NamedTuple):
    id: int
    category: str


def id_and_category(conn: Connection, card_number: str) -> IdAndCategory | None:
    """The reader's id and category, or None (moving in: a loan row names its reader)."""
    found = repo.id_and_category(conn, card_number)
    return None if found is None else IdAndCategory(*found)
