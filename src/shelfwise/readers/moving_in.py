"""Readers arriving from another system (circulation's moving-in import), in the caller's
transaction: the import decides what a row means, readers write their own rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Connection

from shelfwise.readers import repo
from shelfwise.readers.finding import search_keys


@dataclass(frozen=True, slots=True)
class MovedInReader:
    card_number: str
    category: str
    name: str
    email: str | None
    phone: str | None
    birth_year: int | None
    home_branch_id: int | None
    id_card_hash: str | None
    id_card_last4: str | None
    pin_hash: str | None
    expires_on: date
    manual_block: str | None
    created_at: datetime


def card_known(conn: Connection, card_number: str) -> bool:
    return repo.id_by_card(conn, card_number) is not None


def id_card_known(conn: Connection, lookups: list[str]) -> bool:
    """Whether a reader has an identity card with one of these hashes (any key's)."""
    return repo.id_card_known(conn, lookups)


def add_reader(
    conn: Connection, reader: MovedInReader, *, notice_version: str, at: datetime
) -> int:
    """Insert an active reader and, as at registration, a reading-history consent that is
    off until the reader opts in (P10)."""
    reader_id = repo.insert_reader(
        conn,
        card_number=reader.card_number,
        category=reader.category,
        status="active",
        name=reader.name,
        email=reader.email,
        phone=reader.phone,
        birth_year=reader.birth_year,
        home_branch_id=reader.home_branch_id,
        id_card_hash=reader.id_card_hash,
        id_card_last4=reader.id_card_last4,
        pin_hash=reader.pin_hash,
        expires_on=reader.expires_on,
        manual_block=reader.manual_block,
        created_at=reader.created_at,
        updated_at=at,
    )
    repo.replace_search_keys(conn, reader_id, search_keys(reader.name, reader.phone, reader.email))
    repo.insert_consent(
        conn,
        reader_id,
        "reading_history",
        granted=False,
        notice_version=notice_version,
        at=at,
    )
    return reader_id
