"""The shared machinery's tables: the outbox, the scheduler's job runs and the versions of
settings processes cache (storage/outbox.py, storage/scheduler.py,
storage/settings_version.py)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

from shelfwise.storage.tables.base import Id, metadata, ts

# Side effects leave through here, written in the same transaction as the change.
outbox = Table(
    "outbox",
    metadata,
    Column("id", Id, primary_key=True),
    Column("topic", String(64), nullable=False),
    Column("payload", Text, nullable=False),
    ts("created_at"),
    ts("available_at"),
    ts("delivered_at", nullable=True),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("last_error", Text, nullable=True),
    Column("claimed_by", String(64), nullable=True),
    ts("claimed_until", nullable=True),
)
Index(
    "ix_outbox_pending",
    outbox.c.available_at,
    sqlite_where=text("delivered_at IS NULL"),
    postgresql_where=text("delivered_at IS NULL"),
)

# One row per (job, time slot): the unique key is what stops two processes
# from running the same scheduled job twice.
job_runs = Table(
    "job_runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("job", String(64), nullable=False),
    Column("slot", BigInteger, nullable=False),
    Column("owner", String(64), nullable=False),
    ts("started_at"),
    ts("finished_at", nullable=True),
    Column("outcome", String(16), nullable=True),
    Column("detail", Text, nullable=True),
    UniqueConstraint("job", "slot", name="uq_job_runs_job_slot"),
)


# One counter per group of settings that processes keep in memory (loan rules, branches
# and calendars: "lending"). Every write to the group adds one in its own transaction; a
# process whose cached copy carries another number reads the group again.
settings_versions = Table(
    "settings_versions",
    metadata,
    Column("name", String(32), primary_key=True),
    Column("version", BigInteger, nullable=False),
)
