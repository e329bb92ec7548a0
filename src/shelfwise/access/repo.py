"""Rows of the access tables (private to the access domain)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Row, select

from shelfwise.access.lockout import aware
from shelfwise.access.models import AuditEntry, Principal, Role, StaffAccount
from shelfwise.storage.tables import access_tokens, audit_log, readers, staff


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


def principal_of_token(conn: Connection, digest: str, now: datetime) -> LiveToken | None:
    """The live token with this digest, when it was last used, and its principal; or None."""
    token = conn.execute(select(access_tokens).where(access_tokens.c.token_hash == digest)).first()
    if token is None or token.revoked_at is not None:
        return None
    if token.expires_at is not None and aware(token.expires_at) <= now:
        return None
    if token.staff_id is not None:
        row = conn.execute(select(staff).where(staff.c.id == token.staff_id)).first()
        if row is None or not row.enabled:
            return None
        principal = staff_principal(staff_account(row))
    else:
        reader = conn.execute(
            select(readers.c.id, readers.c.name, readers.c.card_number).where(
                readers.c.id == token.reader_id
            )
        ).first()
        if reader is None:
            return None
        principal = Principal(
            kind="reader", id=int(reader.id), name=reader.name, card_number=reader.card_number
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


def split_branches(value: str) -> tuple[str, ...]:
    return tuple(b for b in (part.strip() for part in value.split(",")) if b)


def _role(value: str) -> Role:
    if value == "admin":
        return "admin"
    if value == "cataloguer":
        return "cataloguer"
    return "desk"
