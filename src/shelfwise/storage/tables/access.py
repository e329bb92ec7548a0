"""Access's tables: staff, sessions and API tokens, lockouts and the audit trail
(written by access/ only)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
)

from shelfwise.storage.tables.base import Id, metadata, ts

STAFF_ROLES = ("admin", "cataloguer", "desk")
TOKEN_KINDS = ("session", "api")

staff = Table(
    "staff",
    metadata,
    Column("id", Id, primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("name", Text, nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(16), nullable=False),
    # Branch codes, comma-separated; empty means every branch.
    Column("branches", Text, nullable=False, server_default=""),
    Column("enabled", Integer, nullable=False, server_default="1"),
    ts("created_at"),
    ts("updated_at"),
    CheckConstraint(f"role IN {STAFF_ROLES!r}", name="role"),
)

# Only the SHA-256 of a token is stored; a reader's tokens go with the reader.
access_tokens = Table(
    "access_tokens",
    metadata,
    Column("id", Id, primary_key=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("staff_id", Id, ForeignKey("staff.id", ondelete="CASCADE"), nullable=True),
    Column("reader_id", Id, ForeignKey("readers.id", ondelete="CASCADE"), nullable=True),
    Column("label", Text, nullable=False, server_default=""),
    ts("created_at"),
    ts("expires_at", nullable=True),
    ts("last_used_at", nullable=True),
    ts("revoked_at", nullable=True),
    # The reader's session_epoch when the token was made (readers' tokens only).
    Column("reader_epoch", Integer, nullable=True),
    CheckConstraint(f"kind IN {TOKEN_KINDS!r}", name="kind"),
    CheckConstraint("(staff_id IS NULL) <> (reader_id IS NULL)", name="one_principal"),
)

# Failed attempts per subject ("staff:NAME", "reader:CARD", "sip2-ip:ADDRESS", ...),
# shared by every door so a PIN cannot be guessed by switching doors.
login_attempts = Table(
    "login_attempts",
    metadata,
    Column("subject", String(128), primary_key=True),
    Column("failures", Integer, nullable=False, server_default="0"),
    ts("locked_until", nullable=True),
    ts("updated_at"),
)

# P7: who read which reader's data, and which fields: ids and names, never values.
# No foreign key to readers: erasing a reader leaves the trail, which holds nothing of theirs.
audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Id, primary_key=True),
    ts("at"),
    Column("actor_kind", String(16), nullable=False),
    Column("actor_id", BigInteger, nullable=True),
    Column("door", String(16), nullable=False),
    Column("action", String(32), nullable=False),
    Column("reader_id", BigInteger, nullable=True, index=True),
    Column("fields", Text, nullable=False, server_default=""),
)
