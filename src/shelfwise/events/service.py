"""Library events: registration with a waitlist promoted in arrival order, reminders and
promotions through the outbox, attendance by the event's door QR code.

Every change to who holds a place runs under the event row's lock (``FOR UPDATE`` on
PostgreSQL; SQLite's writers are one at a time) and moves the ``registered`` counter in
the same transaction, whose check refuses going past the capacity: a race can make a
registration wait, never overfill the event or promote anyone twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any
from uuid import uuid4

from sqlalchemy import Connection

from shelfwise.circulation.scope import Actor, authorise
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.events import repo
from shelfwise.events.models import (
    AUDIENCES,
    EVENT_KINDS,
    HOLDING_STATES,
    LANGUAGES,
    Attendee,
    LibraryEvent,
    NewEvent,
    Registration,
)
from shelfwise.readers import reading
from shelfwise.readers.models import Reader, ReaderStatus
from shelfwise.spaces.qr import QrSigner
from shelfwise.spaces.service import SpaceService
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue, enqueue_many

# Published for whoever listens (the wish wall answers an event wish with it): ids only.
EVENT_PUBLISHED = "events.published"
PROMOTED_TOPIC = "events.promoted"
REMINDER_TOPIC = "events.reminder"
EVENT_QR = "event"
# Issue 21: one per change of an event's seats, registrations or attendance, for the
# statistics' fill rates (counts only; the day is the event's local start day).
ACTIVITY_TOPIC = "events.activity"


class EventService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        spaces: SpaceService,
        signer: QrSigner,
        *,
        remind_hours: int = 24,
    ) -> None:
        self._db = db
        self._clock = clock
        self._spaces = spaces
        self._signer = signer
        self._remind = timedelta(hours=remind_hours)

    # --- the events themselves ---------------------------------------------------------------

    def create(self, new: NewEvent, *, actor: Actor) -> LibraryEvent:
        """Publish an event; its room, when it has one, is booked through spaces first
        (all or nothing: a room taken at that time refuses the event)."""
        authorise(actor, at=[new.branch])
        self._check(new)
        hold = None
        if new.room_id is not None:
            hold = f"event:{uuid4().hex[:16]}"
            if self._spaces.room(new.room_id).branch != new.branch:
                raise ShelfwiseError("events.invalid", detail="the room is in another branch")
            self._spaces.reserve_room(
                new.room_id, new.starts_at, new.ends_at, purpose=hold, actor=actor
            )
        try:
            with self._db.write() as conn:
                event_id = repo.insert_event(conn, self._row(conn, new, hold))
                enqueue(
                    conn,
                    self._clock,
                    EVENT_PUBLISHED,
                    {
                        "event_id": event_id,
                        "branch": new.branch,
                        "kind": new.kind,
                        "starts_at": new.starts_at.astimezone(UTC).isoformat(),
                        "story_ref": new.story_ref,
                        "wish_ref": new.wish_ref,
                    },
                )
                created = repo.event(conn, event_id)
                self._tally(conn, created, "seats", created.capacity)
                return created
        except Exception:
            if hold is not None:
                self._spaces.release_purpose(hold)
            raise

    def _row(self, conn: Connection, new: NewEvent, hold: str | None) -> dict[str, object]:
        return {
            "branch_id": repo.branch_id(conn, new.branch),
            "room_id": new.room_id,
            "room_hold": hold,
            "kind": new.kind,
            "title": new.title.strip()[:300],
            "description": new.description.strip(),
            "starts_at": new.starts_at,
            "ends_at": new.ends_at,
            "capacity": new.capacity,
            "audience": ",".join(new.audience),
            "languages": ",".join(new.languages),
            "registration_opens_at": new.registration_opens_at,
            "registration_closes_at": new.registration_closes_at,
            "story_ref": new.story_ref,
            "wish_ref": new.wish_ref,
            "created_at": self._clock.now(),
        }

    def _check(self, new: NewEvent) -> None:
        problems = []
        if new.kind not in EVENT_KINDS:
            problems.append(f"kind: one of {', '.join(EVENT_KINDS)}")
        if not new.title.strip():
            problems.append("a title")
        if new.ends_at <= new.starts_at:
            problems.append("the end after the start")
        if new.starts_at <= self._clock.now():
            problems.append("a start in the future")
        if not 0 <= new.capacity <= 100_000:
            problems.append("capacity 0 to 100000")
        if not new.registration_opens_at < new.registration_closes_at <= new.starts_at:
            problems.append("registration opening, then closing no later than the start")
        if set(new.audience) - set(AUDIENCES) or set(new.languages) - set(LANGUAGES):
            problems.append(f"audience in {AUDIENCES}, languages in {LANGUAGES}")
        if problems:
            raise ShelfwiseError("events.invalid", detail="; ".join(problems))

    def cancel_event(self, event_id: int, *, actor: Actor) -> LibraryEvent:
        """Call an event off: its room is given back; registrations stay to be read."""
        with self._db.write() as conn:
            event = repo.event(conn, event_id, lock=True)
            authorise(actor, at=[event.branch])
            repo.update_event(conn, event_id, {"state": "cancelled"})
            hold = repo.room_hold(conn, event_id)
        if hold is not None:
            self._spaces.release_purpose(hold)
        return self.event(event_id)

    def event(self, event_id: int) -> LibraryEvent:
        with self._db.read() as conn:
            return repo.event(conn, event_id)

    def upcoming(self, branch: str | None = None, *, days: int = 90) -> list[LibraryEvent]:
        now = self._clock.now()
        with self._db.read() as conn:
            return repo.upcoming(conn, now, now + timedelta(days=days), branch)

    # --- registration ------------------------------------------------------------------------

    def register(self, event_id: int, card_number: str, *, actor: Actor) -> Registration:
        """A place if one is free and nobody waits before the reader, else the waitlist."""
        now = self._clock.now()
        with self._db.write() as conn:
            event = repo.event(conn, event_id, lock=True)
            authorise(actor, at=[event.branch], reader_card=card_number)
            self._open_for_registration(event, now)
            reader = reading.lock_reader(conn, card_number)
            if reader.status is not ReaderStatus.ACTIVE or reader.manual_block:
                raise ShelfwiseError(
                    "spaces.reader_blocked", reason=reader.manual_block or "pending"
                )
            existing = repo.registration(conn, event_id, reader.id)
            if existing is not None and existing.state != "cancelled":
                raise ShelfwiseError("events.already_registered", state=existing.state)
            free = event.registered < event.capacity and event.waitlisted == 0
            values = {
                "state": "registered" if free else "waitlisted",
                "arrival": repo.take_arrival(conn, event_id),
                "created_at": now,
            }
            if existing is None:
                repo.insert_registration(
                    conn, {"event_id": event_id, "reader_id": reader.id, **values}
                )
            else:
                repo.set_registration(
                    conn,
                    existing.id,
                    ["cancelled"],
                    {**values, "promoted_at": None, "closed_at": None},
                )
            if free:
                repo.add_registered(conn, event_id, 1)
                self._tally(conn, event, "registered", 1)
            found = repo.registration(conn, event_id, reader.id)
            assert found is not None
            return found

    def _open_for_registration(self, event: LibraryEvent, now: datetime) -> None:
        if event.state != "published":
            raise ShelfwiseError("events.cancelled")
        zone = self._clock.zone
        if not event.registration_opens_at <= now < event.registration_closes_at:
            raise ShelfwiseError(
                "events.registration_closed",
                opens=event.registration_opens_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
                closes=event.registration_closes_at.astimezone(zone).strftime("%Y-%m-%d %H:%M"),
            )

    def cancel(self, event_id: int, card_number: str, *, actor: Actor) -> Registration:
        """The reader gives up their place (the first in the waitlist gets it) or leaves
        the waitlist."""
        now = self._clock.now()
        with self._db.write() as conn:
            event = repo.event(conn, event_id, lock=True)
            authorise(actor, at=[event.branch], reader_card=card_number)
            reader_id = reading.reader_id_of(conn, card_number)
            mine = repo.registration(conn, event_id, reader_id)
            if mine is None or mine.state not in ("registered", "waitlisted"):
                raise ShelfwiseError("events.not_registered")
            repo.set_registration(
                conn, mine.id, [mine.state], {"state": "cancelled", "closed_at": now}
            )
            if mine.state == "registered":
                repo.add_registered(conn, event_id, -1)
                self._tally(conn, event, "registered", -1)
                self._promote(conn, event_id, now)
            found = repo.registration(conn, event_id, reader_id)
            assert found is not None
            return found

    def _promote(self, conn: Connection, event_id: int, now: datetime) -> None:
        """Fill free places from the waitlist, first come first served (event locked)."""
        event = repo.event(conn, event_id)
        promoted: list[Mapping[str, Any]] = []
        for _ in range(event.capacity - event.registered):
            nxt = repo.first_waiting(conn, event_id)
            if nxt is None:
                break
            if repo.set_registration(
                conn, nxt.id, ["waitlisted"], {"state": "registered", "promoted_at": now}
            ):
                repo.add_registered(conn, event_id, 1)
                promoted.append({"event_id": event_id, "reader_id": nxt.reader_id})
        if promoted:
            self._tally(conn, event, "registered", len(promoted))
        enqueue_many(conn, self._clock, PROMOTED_TOPIC, promoted)

    def _tally(self, conn: Connection, event: LibraryEvent, what: str, delta: int) -> None:
        """The statistics' event of a change of ``what`` (seats, registered, attended)."""
        day = event.starts_at.astimezone(self._clock.zone).date()
        payload = {
            "event_id": event.id,
            "branch": event.branch,
            "day": day.isoformat(),
            "what": what,
            "delta": delta,
        }
        enqueue(conn, self._clock, ACTIVITY_TOPIC, payload)

    def reader_of(self, reader_id: int) -> Reader | None:
        """The reader a reminder or promotion goes to (None: erased meanwhile)."""
        with self._db.read() as conn:
            return reading.reader_if_present(conn, reader_id)

    def registration_of(self, event_id: int, card_number: str) -> Registration | None:
        with self._db.read() as conn:
            reader_id = reading.find_reader_id(conn, card_number)
            return None if reader_id is None else repo.registration(conn, event_id, reader_id)

    def registrations_of(
        self, card_number: str, *, actor: Actor
    ) -> list[tuple[LibraryEvent, Registration]]:
        authorise(actor, reader_card=card_number)
        with self._db.read() as conn:
            reader_id = reading.reader_id_of(conn, card_number)
            return [
                (repo.event(conn, r.event_id), r)
                for r in repo.reader_registrations(conn, reader_id)
            ]

    # --- attendance, reminders, lists ---------------------------------------------------------

    def door_token(self, event_id: int) -> str:
        return self._signer.token(EVENT_QR, event_id)

    def attend(
        self, token: str, card_number: str, *, actor: Actor, event_id: int | None = None
    ) -> Registration:
        """A registered reader scanned the event's door code: present. ``event_id``: the
        event the code must be for (a page or route of one event)."""
        coded, _ = self._signer.read(EVENT_QR, token)
        if event_id is not None and coded != event_id:
            raise ShelfwiseError("spaces.qr_invalid")
        event_id = coded
        now = self._clock.now()
        with self._db.write() as conn:
            event = repo.event(conn, event_id, lock=True)
            authorise(actor, at=[event.branch], reader_card=card_number)
            if now < event.starts_at - timedelta(hours=1) or now >= event.ends_at:
                raise ShelfwiseError("events.not_now")
            reader_id = reading.reader_id_of(conn, card_number)
            mine = repo.registration(conn, event_id, reader_id)
            if mine is None or mine.state not in HOLDING_STATES:
                raise ShelfwiseError("events.not_registered")
            if mine.state == "attended":
                raise ShelfwiseError("events.already_attended")
            repo.set_registration(
                conn, mine.id, ["registered"], {"state": "attended", "attended_at": now}
            )
            self._tally(conn, event, "attended", 1)
            found = repo.registration(conn, event_id, reader_id)
            assert found is not None
            return found

    def attendance(self, event_id: int, *, actor: Actor) -> list[Attendee]:
        """The printable list: who holds a place (and who came), then the waitlist."""
        with self._db.read() as conn:
            event = repo.event(conn, event_id)
            authorise(actor, at=[event.branch], desk_only=True)
            out = []
            for reg in repo.attendees(conn, event_id):
                reader = reading.reader_by_id(conn, reg.reader_id)
                out.append(Attendee(reg, reader.card_number, reader.name))
            return out

    def remind(self) -> int:
        """The scheduler's hour: one reminder per registered reader of each event starting
        within the reminder window, once per event."""
        now = self._clock.now()
        sent = 0
        with self._db.write() as conn:
            for event_id in repo.due_reminders(conn, now, now + self._remind):
                readers = repo.holders(conn, event_id, ["registered"])
                enqueue_many(
                    conn,
                    self._clock,
                    REMINDER_TOPIC,
                    [{"event_id": event_id, "reader_id": r} for r in readers],
                )
                repo.update_event(conn, event_id, {"reminded": 1})
                sent += len(readers)
        return sent

    def prune(self, retention_days: int) -> int:
        """P3: registrations of events that ended more than ``retention_days`` ago."""
        if retention_days <= 0:
            return 0
        with self._db.write() as conn:
            return repo.purge_registrations(
                conn, self._clock.now() - timedelta(days=retention_days)
            )
