"""Staged imports (catalogue/staging.py): a MARC file read and placed but not yet applied,
each record with what it would become, and, once applied, what to undo."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
)

from shelfwise.storage.tables.base import Id, metadata, ts

STAGING_STATES = ("staged", "applied", "undone", "discarded")
DECISIONS = ("add", "update", "merge", "unchanged", "reject")

import_stagings = Table(
    "import_stagings",
    metadata,
    Column("id", Id, primary_key=True),
    Column("filename", Text, nullable=False),
    Column("format", String(16), nullable=False),
    Column("state", String(16), nullable=False),
    Column("staff_name", Text, nullable=True),
    Column("plan", Text, nullable=False),  # JSON: counts, unknown branches, new locations
    Column("undo_log", Text, nullable=True),  # JSON, once applied: what the apply did
    ts("staged_at"),
    ts("applied_at", nullable=True),
    ts("undo_until", nullable=True),
    CheckConstraint("state IN ('staged', 'applied', 'undone', 'discarded')", name="state"),
)

import_staged = Table(
    "import_staged",
    metadata,
    Column(
        "staging_id",
        Id,
        ForeignKey("import_stagings.id", ondelete="CASCADE"),
        primary_key=True,
    ),
    Column("seq", Integer, primary_key=True),
    Column("decision", String(16), nullable=False),
    Column("title", Text, nullable=False),
    Column("matched_on", String(16), nullable=False),
    Column("record_id", BigInteger, nullable=True),  # the record it would update or join
    Column("reason", Text, nullable=True),  # why it is rejected
    Column("copies", Integer, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("encoding", String(32), nullable=True),
    Column("dialect", String(16), nullable=True),
    Column("outcome", String(16), nullable=True),  # once applied: added, merged, ...
    CheckConstraint(
        "decision IN ('add', 'update', 'merge', 'unchanged', 'reject')", name="decision"
    ),
)
