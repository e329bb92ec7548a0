"""What circulation tells the statistics about a loan or a hold: one event per act, no reader.

Each checkout, return (a check-in or a kiosk's take-back of an open loan), renewal and hold
placed writes one :data:`LOAN_ACTIVITY` event *in its own transaction*, beside the shelf
change search follows (one INSERT for both, :func:`shelf_changed_with`, so a loan's statement
budget does not grow). The analytics domain keeps its counters from these events (P17 in
docs/requirements.md, docs/analytics.md).

The payload carries what the act was *at the moment it happened* — day (the library's
local date), branch, item type, reader category, the reader's birth year and the record —
and never the reader's id: a return's loan forgets its reader in the same transaction (P1),
so an id in the outbox would keep the link the loan just cut. In its place goes
``reader_mark``, one byte of a hash of the id: about one reader in 256 shares each value, so
it names nobody, and it is all the statistics need to bound how many *different* readers a
count is made of (the k rule of P17).

Loans moved in from another system (``migration_import``) and loans declared lost write no
activity: the first happened elsewhere, the second is not a return.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation.availability import AVAILABILITY_CHANGED
from shelfwise.core.clock import Clock
from shelfwise.storage.outbox import enqueue_events

LOAN_ACTIVITY = "circulation.loan_activity"
# A checkout by a reader who consents to recommendations (P11), for the recommend domain:
# the only circulation event naming a reader and a record together, and written only
# while the reader's consent holds (docs/recommendations.md).
BORROWED = "circulation.borrowed"
KINDS = ("checkout", "return", "renewal", "hold")


def reader_mark(reader_id: int | None) -> int | None:
    """One byte of a hash of the reader's id (0-255), None for a loan with no reader."""
    if reader_id is None:
        return None
    return hashlib.blake2b(str(int(reader_id)).encode(), digest_size=1).digest()[0]


def activity(
    kind: str,
    *,
    day: date,
    branch_id: int,
    item_type: str | None,
    category: str,
    record_id: int,
    reader_id: int | None,
    birth_year: int | None,
) -> dict[str, Any]:
    """The payload of one act (``kind`` one of :data:`KINDS`)."""
    if kind not in KINDS:
        raise ValueError(f"unknown loan activity {kind!r}")
    return {
        "kind": kind,
        "day": day.isoformat(),
        "branch_id": int(branch_id),
        "item_type": item_type or "",
        "category": category,
        "record_id": int(record_id),
        "birth_year": birth_year,
        "reader_mark": reader_mark(reader_id),
    }


def borrowed(reader_id: int, record_id: int, day: date) -> tuple[str, dict[str, Any]]:
    """The :data:`BORROWED` event of a consenting reader's checkout."""
    return BORROWED, {"reader_id": int(reader_id), "record_id": int(record_id), "day": str(day)}


def shelf_changed_with(
    conn: Connection,
    clock: Clock,
    record_ids: Iterable[int],
    act: dict[str, Any] | None,
    also: Iterable[tuple[str, dict[str, Any]]] = (),
) -> None:
    """The shelf change of these records, the act and ``also``, in one statement."""
    events: list[tuple[str, dict[str, Any]]] = [
        (AVAILABILITY_CHANGED, {"record_id": i}) for i in sorted({int(i) for i in record_ids})
    ]
    if act is not None:
        events.append((LOAN_ACTIVITY, act))
    events.extend(also)
    enqueue_events(conn, clock, events)


def record_activity(conn: Connection, clock: Clock, act: dict[str, Any]) -> None:
    """An act with no shelf change (a renewal, a hold placed)."""
    enqueue_events(conn, clock, [(LOAN_ACTIVITY, act)])
