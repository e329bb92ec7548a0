"""What the wall tells the statistics (issue 21): one ``wishes.activity`` outbox event per
wish posted and per move of its status, in the transaction of the change, never with the
wisher's id — only the one-byte reader mark circulation's events carry (P17,
docs/analytics.md), so the counters can bound how many readers a count is made of.

A wish is *answered* by its first move out of submitted or in review into accepted or
declined; that event carries the seconds it waited, so "how fast wishes are answered" is a
sum and a count, kept as it happens.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation.activity import reader_mark
from shelfwise.core.clock import Clock
from shelfwise.storage.outbox import enqueue

ACTIVITY_TOPIC = "wishes.activity"
WAITING = frozenset({"submitted", "in_review"})
ANSWERS = frozenset({"accepted", "declined"})


def wish_activity(
    conn: Connection,
    clock: Clock,
    wish: Mapping[str, Any],
    *,
    moved: tuple[str, str] | None,
) -> None:
    """The event of a wish posted (``moved`` None) or moved ``(from, to)``; ``wish`` holds
    its ``kind``, ``branch_code`` (None: the network), ``reader_id`` and ``created_at``."""
    payload: dict[str, Any] = {
        "act": "moved" if moved else "posted",
        "day": clock.today().isoformat(),
        "branch": wish["branch_code"],
        "wish_kind": str(wish["kind"]),
        "to": moved[1] if moved else "submitted",
        "reader_mark": reader_mark(wish["reader_id"]),
        "answered_seconds": None,
    }
    if moved is not None and moved[0] in WAITING and moved[1] in ANSWERS:
        posted: datetime = wish["created_at"]
        if posted.tzinfo is None:  # SQLite hands back naive UTC
            posted = posted.replace(tzinfo=UTC)
        payload["answered_seconds"] = max(0, int((clock.now() - posted).total_seconds()))
    enqueue(conn, clock, ACTIVITY_TOPIC, payload)
