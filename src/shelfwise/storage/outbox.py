"""The transactional outbox.

A service that changes data and must cause a side effect (re-index a record,
send a notice, call a webhook) writes an event here *in the same transaction*.
The relay delivers events after commit, at least once, in id order per claim;
handlers must therefore be idempotent. A crash between delivery and marking
leaves the event to be delivered again, never lost.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, delete, func, insert, or_, select, update

from shelfwise.core.clock import Clock
from shelfwise.storage.bulk import bulk_insert
from shelfwise.storage.database import Database
from shelfwise.storage.tables import outbox

log = logging.getLogger(__name__)

MAX_BACKOFF = timedelta(hours=1)


@dataclass(frozen=True, slots=True)
class Event:
    id: int
    topic: str
    payload: dict[str, Any]
    attempts: int


Handler = Callable[[Event], None]


def enqueue(conn: Connection, clock: Clock, topic: str, payload: Mapping[str, Any]) -> None:
    """Record an event inside the caller's transaction."""
    now = clock.now()
    conn.execute(
        insert(outbox).values(
            topic=topic,
            payload=json.dumps(payload, ensure_ascii=False, sort_keys=True),
            created_at=now,
            available_at=now,
        )
    )


def enqueue_many(
    conn: Connection, clock: Clock, topic: str, payloads: list[Mapping[str, Any]]
) -> None:
    if not payloads:
        return
    now = clock.now()
    bulk_insert(
        conn,
        outbox,
        [
            {
                "topic": topic,
                "payload": json.dumps(p, ensure_ascii=False, sort_keys=True),
                "created_at": now,
                "available_at": now,
            }
            for p in payloads
        ],
    )


def enqueue_events(
    conn: Connection, clock: Clock, events: Sequence[tuple[str, Mapping[str, Any]]]
) -> None:
    """Record events of several topics in one statement (a checkout's shelf change and its
    activity: one INSERT, so the statement budget of a loan does not grow with listeners)."""
    if not events:
        return
    now = clock.now()
    bulk_insert(
        conn,
        outbox,
        [
            {
                "topic": topic,
                "payload": json.dumps(p, ensure_ascii=False, sort_keys=True),
                "created_at": now,
                "available_at": now,
            }
            for topic, p in events
        ],
    )


class OutboxRelay:
    """Claims pending events and hands them to the handler registered for their topic."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        handlers: Mapping[str, Handler],
        *,
        batch_size: int = 200,
        claim_seconds: int = 60,
        worker_id: str | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self._handlers = dict(handlers)
        self._batch = batch_size
        self._claim = timedelta(seconds=claim_seconds)
        self.worker_id = worker_id or uuid.uuid4().hex[:16]

    def _claim_batch(self) -> list[Event]:
        now = self._clock.now()
        with self._db.write() as conn:
            ids = (
                conn.execute(
                    select(outbox.c.id)
                    .where(
                        outbox.c.delivered_at.is_(None),
                        outbox.c.available_at <= now,
                        outbox.c.topic.in_(list(self._handlers)),
                        or_(outbox.c.claimed_until.is_(None), outbox.c.claimed_until < now),
                    )
                    .order_by(outbox.c.id)
                    .limit(self._batch)
                    .with_for_update(skip_locked=True)
                )
                .scalars()
                .all()
            )
            if not ids:
                return []
            conn.execute(
                update(outbox)
                .where(outbox.c.id.in_(ids))
                .values(claimed_by=self.worker_id, claimed_until=now + self._claim)
            )
            rows = conn.execute(
                select(outbox.c.id, outbox.c.topic, outbox.c.payload, outbox.c.attempts)
                .where(outbox.c.id.in_(ids))
                .order_by(outbox.c.id)
            ).all()
        return [Event(r.id, r.topic, json.loads(r.payload), r.attempts) for r in rows]

    def deliver_pending(self) -> int:
        """Deliver one batch; returns how many events were delivered successfully."""
        delivered = 0
        for event in self._claim_batch():
            try:
                self._handlers[event.topic](event)
            except Exception as exc:  # a failing handler must not stop the others
                log.warning("outbox event %s (%s) failed: %s", event.id, event.topic, exc)
                self._record_failure(event, exc)
            else:
                self._mark_delivered(event)
                delivered += 1
        return delivered

    def drain(self, max_rounds: int = 1000) -> int:
        total = 0
        for _ in range(max_rounds):
            done = self.deliver_pending()
            total += done
            if done == 0:
                break
        return total

    def _mark_delivered(self, event: Event) -> None:
        with self._db.write() as conn:
            conn.execute(
                update(outbox)
                .where(and_(outbox.c.id == event.id, outbox.c.claimed_by == self.worker_id))
                .values(delivered_at=self._clock.now(), attempts=outbox.c.attempts + 1)
            )

    def _record_failure(self, event: Event, exc: Exception) -> None:
        backoff = min(timedelta(seconds=2 ** min(event.attempts, 12)), MAX_BACKOFF)
        with self._db.write() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.id == event.id)
                .values(
                    attempts=outbox.c.attempts + 1,
                    last_error=f"{type(exc).__name__}: {exc}"[:2000],
                    available_at=self._clock.now() + backoff,
                    claimed_by=None,
                    claimed_until=None,
                )
            )


def mark_consumed(
    db: Database, clock: Clock, topics: Collection[str], *, after: int, up_to: int
) -> int:
    """Mark the events of ``topics`` with ids in (``after``, ``up_to``] delivered, in one
    transaction: for a consumer that reads the outbox as a feed (search's follower) rather
    than through the relay, so that they leave the backlog without one transaction each."""
    if not topics or up_to <= after:
        return 0
    with db.write() as conn:
        return int(
            conn.execute(
                update(outbox)
                .where(
                    outbox.c.id > after,
                    outbox.c.id <= up_to,
                    outbox.c.topic.in_(list(topics)),
                    outbox.c.delivered_at.is_(None),
                )
                .values(delivered_at=clock.now(), attempts=outbox.c.attempts + 1)
            ).rowcount
        )


def prune_delivered(db: Database, before: datetime, *, chunk: int = 5000) -> int:
    """Delete the events delivered before ``before``; returns how many went.

    Only a prefix of the table goes: the events below the first one still kept (not yet
    delivered, or delivered since ``before``), and never the newest event. Search's
    follower reads the outbox as a feed and takes the lowest id kept as the line below
    which events are gone (``feed_floor``: a follower behind it rebuilds), so nothing may
    be missing above it; and SQLite numbers a new row after the highest id present, so the
    newest row stays to keep the ids rising. An event that is never delivered (a topic no
    process handles) therefore holds the pruning back, and shows as the outbox backlog's age.
    """
    gone = 0
    while True:
        with db.write() as conn:
            kept = or_(outbox.c.delivered_at.is_(None), outbox.c.delivered_at >= before)
            floor = conn.execute(
                select(outbox.c.id).where(kept).order_by(outbox.c.id).limit(1)
            ).scalar()
            newest = conn.execute(select(func.max(outbox.c.id))).scalar()
            limits = [int(x) for x in (floor, newest) if x is not None]
            if not limits:
                return gone
            ids = (
                conn.execute(
                    select(outbox.c.id)
                    .where(outbox.c.id < min(limits), outbox.c.delivered_at < before)
                    .order_by(outbox.c.id)
                    .limit(chunk)
                )
                .scalars()
                .all()
            )
            if ids:
                conn.execute(delete(outbox).where(outbox.c.id.in_(ids)))
        gone += len(ids)
        if len(ids) < chunk:
            return gone


def pending_count(db: Database) -> int:
    with db.read() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
            ).scalar_one()
        )


def backlog(db: Database) -> tuple[int, datetime | None]:
    """Undelivered events and when the oldest was written (for /metrics)."""
    with db.read() as conn:
        count, oldest = conn.execute(
            select(func.count(), func.min(outbox.c.created_at)).where(
                outbox.c.delivered_at.is_(None)
            )
        ).one()
    if isinstance(oldest, datetime) and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)  # SQLite keeps UTC without its offset
    return int(count), oldest
