"""Kiosks' tables: SIP2 terminal accounts and kiosk alerts (written by kiosks/ only)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
)

from shelfwise.storage.tables.base import Id, metadata, ts

# One row per kiosk, return machine or locker that logs in with 93 (S-2): a hashed
# password, the branch it stands in, where it may connect from and what it may ask.
# Lists are comma-separated (empty = no restriction for networks and messages, no
# extra personal fields for ``fields``). The counters are the dashboard's statistics.
sip2_terminals = Table(
    "sip2_terminals",
    metadata,
    Column("id", Id, primary_key=True),
    Column("name", String(64), nullable=False, unique=True),
    Column("password_hash", Text, nullable=False),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("institution", String(64), nullable=False),
    Column("location", String(64), nullable=True),
    Column("networks", Text, nullable=False, server_default=""),
    Column("messages", Text, nullable=False, server_default=""),
    Column("fields", Text, nullable=False, server_default=""),
    Column("charset", String(16), nullable=False, server_default="utf-8"),
    Column("lenient", Integer, nullable=False, server_default="0"),
    Column("language", String(2), nullable=False, server_default="zh"),
    Column("require_pin", Integer, nullable=False, server_default="1"),
    # Offline (no_block) transactions are accepted only from terminals allowed to send them (S-8).
    Column("allow_offline", Integer, nullable=False, server_default="0"),
    Column("enabled", Integer, nullable=False, server_default="1"),
    Column("transactions", BigInteger, nullable=False, server_default="0"),
    Column("failures", BigInteger, nullable=False, server_default="0"),
    ts("last_seen_at", nullable=True),
    ts("created_at"),
)

# S-3 alerts for the staff (a login backoff started against a terminal account or an
# address): written by the ``sip2.alert`` outbox handler, once per event (``event_id``),
# shown on the administration page until someone acknowledges them. No reader data.
kiosk_alerts = Table(
    "kiosk_alerts",
    metadata,
    Column("id", Id, primary_key=True),
    Column("event_id", BigInteger, nullable=False, unique=True),
    Column("kind", String(32), nullable=False),
    Column("terminal", String(64), nullable=False),
    Column("subject", String(160), nullable=False),
    Column("peer", String(64), nullable=False),
    Column("failures", Integer, nullable=False),
    ts("until", nullable=True),
    ts("raised_at"),
    ts("acknowledged_at", nullable=True),
    Column("acknowledged_by", String(64), nullable=True),
)
Index("ix_kiosk_alerts_open", kiosk_alerts.c.acknowledged_at, kiosk_alerts.c.id)
