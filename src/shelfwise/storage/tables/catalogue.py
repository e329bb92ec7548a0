"""Catalogue's tables: the branch network, bibliographic records and items, and the
tombstones and import runs the catalogue writes (written by catalogue/ only)."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from shelfwise.storage.tables.base import Id, metadata, ts

BRANCH_KINDS = ("central", "branch", "unattended", "kiosk")
ITEM_LIFECYCLES = (
    "on_order",
    "in_processing",
    "in_service",  # on the shelf or on loan: circulation decides which
    "missing",
    "lost",
    "damaged",
    "in_repair",
    "withdrawn",
)
RECORD_STATES = ("active", "merged", "withdrawn")

# --- catalogue: the branch network -------------------------------------------------

branches = Table(
    "branches",
    metadata,
    Column("id", Id, primary_key=True),
    Column("code", String(32), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("name_zh", Text, nullable=False),
    Column("name_ko", Text, nullable=False, server_default=""),
    Column("name_en", Text, nullable=False, server_default=""),
    Column("address", Text, nullable=False, server_default=""),
    ts("created_at"),
    ts("updated_at"),
    CheckConstraint(f"kind IN {BRANCH_KINDS!r}", name="kind"),
)

locations = Table(
    "locations",
    metadata,
    Column("id", Id, primary_key=True),
    Column("branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("code", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("kind", String(32), nullable=False, server_default="stacks"),
    ts("created_at"),
    UniqueConstraint("branch_id", "code", name="uq_locations_branch_code"),
)

# --- catalogue: bibliographic records ----------------------------------------------

records = Table(
    "records",
    metadata,
    Column("id", Id, primary_key=True),
    Column("state", String(16), nullable=False, server_default="active"),
    Column("merged_into_id", Id, ForeignKey("records.id"), nullable=True),
    Column("dialect", String(16), nullable=False),
    # The master MARC record, decoded and editable, in the compact stored form of
    # shelfwise.marc.compact (read and written only through the catalogue's repo);
    # the normalised columns below are derived from it and never edited on their own.
    Column("master", LargeBinary, nullable=False),
    Column("title", Text, nullable=False),
    Column("title_romanised", Text, nullable=True),
    Column("main_author", Text, nullable=True),
    Column("responsibility", Text, nullable=True),
    Column("publisher", Text, nullable=True),
    Column("place", Text, nullable=True),
    Column("year", Integer, nullable=True),
    Column("edition", Text, nullable=True),
    Column("languages", Text, nullable=False, server_default=""),
    Column("material_type", String(32), nullable=False, server_default="book"),
    # The whole normalised description (agents with roles, subjects, series...) as JSON.
    Column("description", Text, nullable=False),
    Column("match_key", String(64), nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    ts("created_at"),
    ts("updated_at"),
    CheckConstraint(f"state IN {RECORD_STATES!r}", name="state"),
    CheckConstraint("(state = 'merged') = (merged_into_id IS NOT NULL)", name="merged_has_target"),
    CheckConstraint("merged_into_id IS NULL OR merged_into_id <> id", name="not_merged_into_self"),
)
Index("ix_records_match_key", records.c.match_key)
Index("ix_records_updated_at", records.c.updated_at)

record_isbns = Table(
    "record_isbns",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("isbn", String(13), primary_key=True),
)
Index("ix_record_isbns_isbn", record_isbns.c.isbn)

record_classes = Table(
    "record_classes",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("scheme", String(8), primary_key=True),
    Column("number", String(64), primary_key=True),
    Column("sort_key", String(160), nullable=False),
)
Index("ix_record_classes_scheme_sort", record_classes.c.scheme, record_classes.c.sort_key)

# Every MARC record that arrived, with its provenance and original bytes. A
# merged duplicate keeps its source row, now pointing at the surviving record.
sources = Table(
    "sources",
    metadata,
    Column("id", Id, primary_key=True),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False),
    Column("source_key", String(200), nullable=False, unique=True),
    Column("agency", String(64), nullable=True),
    Column("control_number", String(100), nullable=True),
    Column("format", String(16), nullable=False),
    Column("dialect", String(16), nullable=False),
    Column("encoding", String(32), nullable=False),
    Column("raw", LargeBinary, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("is_master", Integer, nullable=False, server_default="0"),
    Column("matched_on", String(16), nullable=False),
    Column("origin", Text, nullable=False),  # file name and byte offset
    ts("created_at"),
    ts("updated_at"),
    CheckConstraint(
        "matched_on IN ('new', 'source', 'isbn', 'title_key', 'manual')", name="matched_on"
    ),
)
Index("ix_sources_record_id", sources.c.record_id)

# --- catalogue: items ---------------------------------------------------------------

items = Table(
    "items",
    metadata,
    Column("id", Id, primary_key=True),
    Column("record_id", Id, ForeignKey("records.id"), nullable=False),
    Column("barcode", String(64), nullable=False, unique=True),
    Column("rfid", String(64), nullable=True, unique=True),
    Column("call_number", Text, nullable=False, server_default=""),
    Column("call_number_sort", String(200), nullable=False, server_default=""),
    Column("home_branch_id", Id, ForeignKey("branches.id"), nullable=False),
    Column("location_id", Id, ForeignKey("locations.id"), nullable=True),
    Column("lifecycle", String(16), nullable=False, server_default="in_service"),
    Column("item_type", String(32), nullable=False, server_default="book"),
    Column("price_cents", BigInteger, nullable=True),
    Column("currency", String(3), nullable=True),
    Column("acquired_on", Date, nullable=True),
    Column("version", Integer, nullable=False, server_default="1"),
    ts("created_at"),
    ts("updated_at"),
    CheckConstraint(f"lifecycle IN {ITEM_LIFECYCLES!r}", name="lifecycle"),
    CheckConstraint("price_cents IS NULL OR price_cents >= 0", name="price_not_negative"),
)
Index("ix_items_record_id", items.c.record_id)
Index("ix_items_home_branch_call", items.c.home_branch_id, items.c.call_number_sort)
# The staff search finds copies by the start of a call number, at any branch.
Index("ix_items_call_number", items.c.call_number)


# The versions of a record's master MARC the editor saved, with who saved each (issue 20).
# The first save of a record also keeps the version it replaced (staff_name NULL: as it
# was imported). staff_id names an access.staff row, without a foreign key: the
# catalogue sits below access and never reads its tables.
record_versions = Table(
    "record_versions",
    metadata,
    Column("record_id", Id, ForeignKey("records.id", ondelete="CASCADE"), primary_key=True),
    Column("version", Integer, primary_key=True),
    Column("dialect", String(16), nullable=False),
    Column("master", LargeBinary, nullable=False),
    Column("staff_id", BigInteger, nullable=True),
    Column("staff_name", Text, nullable=True),
    Column("restored_from", Integer, nullable=True),
    ts("saved_at"),
    CheckConstraint("version >= 1", name="version"),
)

# Deleted or merged things, remembered so that harvesters (OAI-PMH) learn of them.
tombstones = Table(
    "tombstones",
    metadata,
    Column("id", Id, primary_key=True),
    Column("kind", String(32), nullable=False),
    Column("entity_id", BigInteger, nullable=False),
    Column("replaced_by", BigInteger, nullable=True),
    Column("reason", String(32), nullable=False),
    ts("deleted_at"),
    UniqueConstraint("kind", "entity_id", name="uq_tombstones_kind_entity"),
)
Index("ix_tombstones_deleted_at", tombstones.c.deleted_at)

# Each import run, with its summary, so an operator can see what a file did.
import_runs = Table(
    "import_runs",
    metadata,
    Column("id", Id, primary_key=True),
    Column("path", Text, nullable=False),
    Column("summary", Text, nullable=False),
    ts("started_at"),
    ts("finished_at", nullable=True),
)


# Staged imports (catalogue/staging.py): a MARC file read and placed but not yet applied,
# each record with what it would become, and, once applied, what to undo.
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
