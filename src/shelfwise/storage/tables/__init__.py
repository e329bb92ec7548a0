"""The tables, as SQLAlchemy Core metadata: one schema for SQLite and PostgreSQL.

Invariants live here as constraints, not in service code alone: unique
barcodes, the allowed lifecycle states of an item, one source record per
(agency, control number). Timestamps are UTC to the second. The migration
history in ``migrations/versions`` creates exactly this schema; a test compares
the two.

Each module of this package holds the tables of the one domain that owns them
(catalogue, readers, circulation, access, kiosks, and the shared machinery in
system.py); only that domain writes them, and other domains read them through what it
publishes. This package re-exports them all, so migrations and
``from shelfwise.storage.tables import loans`` keep working.
"""

from __future__ import annotations

from shelfwise.storage.tables import events as events  # events/ imports its tables from there
from shelfwise.storage.tables import recommend as recommend  # recommend/ imports from there
from shelfwise.storage.tables import spaces as spaces  # spaces/ imports its tables from there
from shelfwise.storage.tables.access import (
    STAFF_ROLES,
    TOKEN_KINDS,
    access_tokens,
    audit_log,
    login_attempts,
    staff,
)
from shelfwise.storage.tables.acquisitions import (
    LINE_STATUSES,
    ORDER_STATUSES,
    funds,
    invoices,
    line_items,
    order_lines,
    orders,
    vendors,
)
from shelfwise.storage.tables.analytics import (
    ACTIVITY_DIMENSIONS,
    ACTIVITY_KINDS,
    analytics_activity,
    analytics_applied,
    analytics_idle_copies,
    analytics_stock,
    analytics_tallies,
    analytics_wanted,
)
from shelfwise.storage.tables.base import NAMING, Id, metadata, ts
from shelfwise.storage.tables.catalogue import (  # staged imports
    BRANCH_KINDS,
    DECISIONS,
    ITEM_LIFECYCLES,
    RECORD_STATES,
    STAGING_STATES,
    branches,
    import_runs,
    import_staged,
    import_stagings,
    items,
    locations,
    record_classes,
    record_isbns,
    record_versions,
    records,
    sources,
    tombstones,
)
from shelfwise.storage.tables.circulation import (
    DEPOSIT_STATUSES,
    FEE_KINDS,
    FEE_STATUSES,
    HOLD_STATUSES,
    LOAN_STATUSES,
    branch_closures,
    branch_hours,
    deposits,
    fees,
    holds,
    idempotency_keys,
    late_returns,
    loan_rules,
    loans,
    notice_templates,
    notices,
    transits,
)
from shelfwise.storage.tables.kiosks import (
    kiosk_alerts,
    sip2_terminals,
)
from shelfwise.storage.tables.media import (
    MEDIA_ACCESS,
    MEDIA_KINDS,
    MEDIA_LANGUAGES,
    media_files,
    media_objects,
    media_search_keys,
    media_texts,
)
from shelfwise.storage.tables.readers import (
    READER_STATUSES,
    reader_consents,
    reader_deletions,
    reader_search_keys,
    readers,
)
from shelfwise.storage.tables.stories import (
    STORY_STATUSES,
    stories,
    story_records,
    story_revisions,
    story_tags,
)
from shelfwise.storage.tables.system import (
    job_runs,
    outbox,
    settings_versions,
)
from shelfwise.storage.tables.wishes import (
    WISH_KINDS,
    WISH_MODERATIONS,
    WISH_STATUSES,
    wish_history,
    wish_notices,
    wish_reports,
    wish_supports,
    wish_words,
    wishes,
)

__all__ = [
    "ACTIVITY_DIMENSIONS",
    "ACTIVITY_KINDS",
    "BRANCH_KINDS",
    "DECISIONS",
    "DEPOSIT_STATUSES",
    "FEE_KINDS",
    "FEE_STATUSES",
    "HOLD_STATUSES",
    "ITEM_LIFECYCLES",
    "LINE_STATUSES",
    "LOAN_STATUSES",
    "MEDIA_ACCESS",
    "MEDIA_KINDS",
    "MEDIA_LANGUAGES",
    "NAMING",
    "ORDER_STATUSES",
    "READER_STATUSES",
    "RECORD_STATES",
    "STAFF_ROLES",
    "STAGING_STATES",
    "STORY_STATUSES",
    "TOKEN_KINDS",
    "WISH_KINDS",
    "WISH_MODERATIONS",
    "WISH_STATUSES",
    "Id",
    "access_tokens",
    "analytics_activity",
    "analytics_applied",
    "analytics_idle_copies",
    "analytics_stock",
    "analytics_tallies",
    "analytics_wanted",
    "audit_log",
    "branch_closures",
    "branch_hours",
    "branches",
    "deposits",
    "fees",
    "funds",
    "holds",
    "idempotency_keys",
    "import_runs",
    "import_staged",
    "import_stagings",
    "invoices",
    "items",
    "job_runs",
    "kiosk_alerts",
    "late_returns",
    "line_items",
    "loan_rules",
    "loans",
    "locations",
    "login_attempts",
    "media_files",
    "media_objects",
    "media_search_keys",
    "media_texts",
    "metadata",
    "notice_templates",
    "notices",
    "order_lines",
    "orders",
    "outbox",
    "reader_consents",
    "reader_deletions",
    "reader_search_keys",
    "readers",
    "record_classes",
    "record_isbns",
    "record_versions",
    "records",
    "settings_versions",
    "sip2_terminals",
    "sources",
    "staff",
    "stories",
    "story_records",
    "story_revisions",
    "story_tags",
    "tombstones",
    "transits",
    "ts",
    "vendors",
    "wish_history",
    "wish_notices",
    "wish_reports",
    "wish_supports",
    "wish_words",
    "wishes",
]
