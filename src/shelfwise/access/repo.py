"""Rows of the access tables (private to the access domain)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, delete, insert, or_, select, update

from shelfwise.access.lockout import aware
from shelfwise.access.models import AuditEntry, Principal, Role, StaffAccount
from shelfwise.readers.reading import session_holder
from shelfwise.storage.tables import (
    access_tokens,
    audit_log,
    branches,
    login_attempts,
    staff,
)


def staff_account(row: Row[Any]) -> StaffAccount:
    return StaffAccount(
        id=int(row.id),
        username=row.username,
        name=row.name,
        role=_role(row.role),
        branches=split_branches(row.branches),
        enabled=bool(row.enabled),
        created_at=aware(row.created_at),
    )


def staff_principal(account: StaffAccount) -> Principal:
    return Principal(
        kind="staff",
        id=account.id,
        name=account.name,
        role=account.role,
        branches=account.branches,
    )


@dataclass(frozen=True, slots=True)
class LiveToken:
    id: int
    last_used_at: datetime | None
    principal: Principal


def principal_of_token(
    conn: Connection, digest: str, now: datetime, *, sessions_only: bool = False
) -> LiveToken | None:
    """The live token with this digest, when it was last used, and its principal; or None.

    ``sessions_only``: a login session, never an API token (the web's cookie). A reader's
    token lives only while the reader's session epoch is the one it was made in."""
    token = conn.execute(select(access_tokens).where(access_tokens.c.token_hash == digest)).first()
    if token is None or token.revoked_at is not None:
        return None
    if sessions_only and token.kind != "session":
        return None
    if token.expires_at is not None and aware(token.expires_at) <= now:
        return None
    if token.staff_id is not None:
        row = conn.execute(select(staff).where(staff.c.id == token.staff_id)).first()
        if row is None or not row.enabled:
            return None
        principal = staff_principal(staff_account(row))
    else:
        reader = session_holder(conn, int(token.reader_id))
        if reader is None or reader.session_epoch != (token.reader_epoch or 0):
            return None
        principal = Principal(
            kind="reader", id=reader.id, name=reader.name, card_number=reader.card_number
        )
    last = None if token.last_used_at is None else aware(token.last_used_at)
    return LiveToken(int(token.id), last, principal)


def audit_entry(row: Row[Any]) -> AuditEntry:
    return AuditEntry(
        id=int(row.id),
        at=aware(row.at),
        actor_kind=row.actor_kind,
        actor_id=None if row.actor_id is None else int(row.actor_id),
        door=row.door,
        action=row.action,
        reader_id=None if row.reader_id is None else int(row.reader_id),
        fields=tuple(f for f in row.fields.split(",") if f),
    )


def audit_rows(conn: Connection, *, reader_id: int | None, limit: int) -> list[AuditEntry]:
    query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
    if reader_id is not None:
        query = query.where(audit_log.c.reader_id == reader_id)
    return [audit_entry(r) for r in conn.execute(query)]


def unknown_branches(conn: Connection, codes: Iterable[str]) -> list[str]:
    wanted = set(codes)
    if not wanted:
        return []
    known = set(conn.execute(select(branches.c.code).where(branches.c.code.in_(wanted))).scalars())
    return sorted(wanted - known)


def prune_login_attempts(conn: Connection, *, now: datetime, idle_since: datetime) -> int:
    """Delete counters untouched since ``idle_since`` that hold no lock at ``now``."""
    done = conn.execute(
        delete(login_attempts)
        .where(login_attempts.c.updated_at < idle_since)
        .where(or_(login_attempts.c.locked_until.is_(None), login_attempts.c.locked_until <= now))
    )
    return int(done.rowcount or 0)


def split_branches(value: str) -> tuple[str, ...]:
    return tuple(b for b in (part.strip() for part in value.split(",")) if b)


def _role(value: str) -> Role:
    if value == "admin":
        return "admin"
    if value == "cataloguer":
        return "cataloguer"
    return "desk"


def delete_reader_tokens(conn: Connection, reader_id: int) -> None:
    conn.execute(delete(access_tokens).where(access_tokens.c.reader_id == reader_id))


def staff_row(conn: Connection, username: str) -> Row[Any] | None:
    return conn.execute(select(staff).where(staff.c.username == username)).first()


def staff_rows(conn: Connection) -> list[StaffAccount]:
    return [staff_account(r) for r in conn.execute(select(staff).order_by(staff.c.username))]


def insert_staff(conn: Connection, **values: Any) -> None:
    conn.execute(insert(staff).values(**values))


def update_staff(conn: Connection, staff_id: int, **values: Any) -> None:
    conn.execute(update(staff).where(staff.c.id == staff_id).values(**values))


def insert_token(conn: Connection, **values: Any) -> int:
    return int(
        conn.execute(
            insert(access_tokens).values(**values).returning(access_tokens.c.id)
        ).scalar_one()
    )


def touch_token(conn: Connection, token_id: int, at: datetime) -> None:
    conn.execute(
        update(access_tokens).where(access_tokens.c.id == token_id).values(last_used_at=at)
    )


def revoke_by_digest(conn: Connection, token_hash: str, at: datetime) -> None:
    conn.execute(
        update(access_tokens).where(access_tokens.c.token_hash == token_hash).values(revoked_at=at)
    )


def revoke_staff_sessions(conn: Connection, staff_id: int, at: object) -> None:
    conn.execute(
        update(access_tokens)
        .where(access_tokens.c.staff_id == staff_id)
        .where(access_tokens.c.kind == "session")
        .where(access_tokens.c.revoked_at.is_(None))
        .values(revoked_at=at)
    )


def revoke_api_token(conn: Connection, token_id: int, at: datetime) -> bool:
    done = conn.execute(
        update(access_tokens)
        .where(access_tokens.c.id == token_id)
        .where(access_tokens.c.kind == "api")
        .values(revoked_at=at)
    )
    return bool(done.rowcount)


def api_token_rows(conn: Connection) -> list[Any]:
    """API tokens with their staff account's user name, oldest first."""
    query = (
        select(access_tokens, staff.c.username)
        .join(staff, staff.c.id == access_tokens.c.staff_id)
        .where(access_tokens.c.kind == "api")
        .order_by(access_tokens.c.id)
    )
    return list(conn.execute(query))


def insert_audit(conn: Connection, **values: Any) -> None:
    conn.execute(insert(audit_log).values(**values))


def insert_audits(conn: Connection, rows: list[dict[str, Any]]) -> None:
    conn.execute(insert(audit_log), rows)
