"""What the wall hears from acquisitions and events, through the outbox.

A book wish moves with its order (``acquisitions.line_ordered`` → ordered,
``line_received`` → received). When a copy is put in service (``item_in_service``) a
hold is placed through circulation's own ``place_hold`` — its rules apply, nothing is
bypassed — for the wisher, then for each supporter who asked, in the order they came,
at the pickup branch each chose; each hold or refusal is kept on the wish and the reader
told. The copy is then checked in at its branch, so it is trapped for the first hold in
the title's queue by the usual routing. An event wish is answered by the events domain's
``events.published`` (its ``wish_ref``). Neither side imports the other: the topics are the contract.
Handlers are idempotent (the outbox delivers at least once).
"""

from __future__ import annotations

import logging
from typing import Any

from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.service import CirculationService
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.reading import reader_if_present
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event, Handler
from shelfwise.wishes import repo
from shelfwise.wishes.models import (
    EVENT_PUBLISHED,
    ITEM_IN_SERVICE,
    LINE_ORDERED,
    LINE_RECEIVED,
    NOTE_MAX,
    WishKind,
    WishStatus,
)
from shelfwise.wishes.service import move_status, record_change

log = logging.getLogger(__name__)
S = WishStatus


class WishArrivals:
    def __init__(self, db: Database, clock: Clock, circulation: CirculationService) -> None:
        self._db = db
        self._clock = clock
        self._circulation = circulation

    def handlers(self) -> dict[str, Handler]:
        return {
            LINE_ORDERED: self.ordered,
            LINE_RECEIVED: self.received,
            ITEM_IN_SERVICE: self.in_service,
            EVENT_PUBLISHED: self.event_published,
        }

    def _walk(self, wish_id: int, path: list[WishStatus], note: str | None, **values: Any) -> bool:
        """Move the wish along ``path`` from wherever it is on it; False when it is not on
        it (closed, merged, gone): then nothing changes."""
        with self._db.write() as conn:
            row = repo.load_wish(conn, wish_id, lock=True)
            if row is None or row.moderation == "merged" or S(row.status) not in path:
                return False
            for target in path[path.index(S(row.status)) + 1 :]:
                move_status(conn, self._clock, row, target, "system", note, **values)
                row = repo.load_wish(conn, wish_id, lock=True)
                assert row is not None
            return True

    def ordered(self, event: Event) -> None:
        p = event.payload
        self._walk(
            int(p["wish_id"]),
            [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.ORDERED],
            None,
            record_id=int(p["record_id"]),
        )

    def received(self, event: Event) -> None:
        self._walk(int(event.payload["wish_id"]), [S.ORDERED, S.RECEIVED], None)

    def event_published(self, event: Event) -> None:
        p = event.payload
        if p.get("wish_ref") is None:
            return  # an event no wish asked for
        note = f"event {p.get('event_id', '')} {p.get('starts_at', '')}".strip()[:NOTE_MAX]
        with self._db.read() as conn:
            row = repo.load_wish(conn, int(p["wish_ref"]))
        if row is not None and row.kind == WishKind.EVENT:
            self._walk(row.id, [S.SUBMITTED, S.IN_REVIEW, S.ACCEPTED, S.FULFILLED], note)

    def in_service(self, event: Event) -> None:
        p = event.payload
        wish_id, record_id = int(p["wish_id"]), int(p["record_id"])
        if not self._walk(wish_id, [S.ORDERED, S.RECEIVED], None):
            return
        for reader_id, pickup in self._waiting_for_holds(wish_id):
            self._hold_for(wish_id, reader_id, record_id, pickup)
        try:  # onto the hold shelf (or in transit) for the first in the title's queue
            self._circulation.checkin(str(p["barcode"]), str(p["branch"]), actor=SYSTEM)
        except ShelfwiseError as exc:
            log.warning("wish %s: the new copy was not checked in: %s", wish_id, exc.code)
        self._walk(wish_id, [S.RECEIVED, S.FULFILLED], None)

    def _waiting_for_holds(self, wish_id: int) -> list[tuple[int, str | None]]:
        """The wisher, then supporters who asked, in the order they came; without those
        a hold was already placed or refused for (a redelivered event)."""
        with self._db.read() as conn:
            row = repo.load_wish(conn, wish_id)
            if row is None:
                return []
            done = {
                h.reader_id
                for h in repo.history_of(conn, wish_id, public_only=False)
                if h.kind in ("hold_placed", "hold_refused")
            }
            wanted: list[tuple[int, int | None]] = []
            if row.reader_id is not None:
                wanted.append((int(row.reader_id), row.pickup_branch_id))
            wanted += [
                (int(s.reader_id), s.pickup_branch_id or row.pickup_branch_id)
                for s in repo.supports_of(conn, wish_id)
                if s.wants_hold
            ]
            return [
                (reader, repo.branch_code(conn, pickup) or repo.branch_code(conn, row.branch_id))
                for reader, pickup in wanted
                if reader not in done
            ]

    def _hold_for(self, wish_id: int, reader_id: int, record_id: int, pickup: str | None) -> None:
        with self._db.read() as conn:
            reader = reader_if_present(conn, reader_id)
            central = repo.branch_code(conn, repo.central_branch(conn))
        if reader is None:
            return
        kind, note = "hold_placed", ""
        try:
            hold = self._circulation.place_hold(
                reader.card_number, record_id, pickup or central or "", actor=SYSTEM
            )
            note = str(hold.id)
        except ShelfwiseError as exc:  # the rules said no: kept on the wish, the reader told
            kind, note = "hold_refused", f"{exc.code}: {exc.message('en')}"[:NOTE_MAX]
            if exc.code == "circ.hold_exists":
                # The reader already holds the title (placed on the record "on order", or by
                # a second copy's delivery at the same moment): the hold is there, no refusal.
                kind, note = "hold_placed", "circ.hold_exists"
        with self._db.write() as conn:
            record_change(
                conn,
                self._clock,
                wish_id,
                kind,
                "system",
                note=note,
                reader_id=reader_id,
                public=False,
            )
