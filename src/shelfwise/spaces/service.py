"""Bookings: a reader books a seat for slots within the opening hours and the rules,
checks in by the seat's QR code, steps away, releases; no-shows are released by the
scheduler and counted towards a suspension.

The one guarantee that must hold under any race — a unit is never booked twice for
overlapping time — is the database's: each booking claims its slots in ``space_slots``
(key: unit, slot start) in the transaction that writes it; a conflict rolls the whole
booking back and is answered ``spaces.unit_taken``. The reader's row is locked first, so
one reader's bookings are counted against the rules one at a time.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from shelfwise.circulation.calendars import CalendarService
from shelfwise.circulation.scope import Actor, authorise
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers import reading
from shelfwise.readers.models import Reader, ReaderStatus
from shelfwise.spaces import repo, timing
from shelfwise.spaces.models import (
    ACTIVE_STATES,
    COUNTED_STATES,
    DEFAULT_RULE,
    VISITS_TOPIC,
    Booking,
    Room,
    Scan,
    SpacePolicy,
    Suspension,
    Sweep,
    UnitPlace,
)
from shelfwise.spaces.qr import QrSigner
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue

UNIT_QR = "unit"
DOOR_QR = "door"


class _SlotTaken(Exception):
    """A slot's key refused the insert: someone holds it."""


class SpaceService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        calendars: CalendarService,
        policy: SpacePolicy,
        signer: QrSigner,
    ) -> None:
        self._db = db
        self._clock = clock
        self._calendars = calendars
        self.policy = policy
        self.signer = signer

    # --- booking ---------------------------------------------------------------------------

    def book(
        self,
        card_number: str,
        unit_id: int,
        starts_at: datetime,
        ends_at: datetime,
        *,
        actor: Actor,
        walk_in: bool = False,
    ) -> Booking:
        """Book the unit for [starts_at, ends_at) for the reader, or refuse with why."""
        now = self._clock.now()
        place = self._place(unit_id)
        authorise(actor, at=[place.room.branch], reader_card=card_number)
        starts = self._checked_slots(place, starts_at, ends_at, now)
        try:
            with self._db.write() as conn:
                reader = self._bookable_reader(conn, card_number, now)
                self._within_rules(conn, reader, starts_at, ends_at, now)
                booking_id = repo.insert_booking(
                    conn,
                    {
                        "unit_id": unit_id,
                        "reader_id": reader.id,
                        "starts_at": starts_at,
                        "ends_at": ends_at,
                        "state": "checked_in" if walk_in else "booked",
                        "walk_in": int(walk_in),
                        "created_at": now,
                        "checked_in_at": now if walk_in else None,
                    },
                )
                self._claim(conn, unit_id, starts, booking_id)
                return repo.booking(conn, booking_id)
        except _SlotTaken:
            raise ShelfwiseError("spaces.unit_taken") from None

    def reserve_room(
        self, room_id: int, starts_at: datetime, ends_at: datetime, *, purpose: str, actor: Actor
    ) -> int:
        """Hold every unit of the room for [starts_at, ends_at) (an event's room): the
        bookings have no reader and are never no-shows; all or nothing."""
        now = self._clock.now()
        with self._db.read() as conn:
            room = repo.room(conn, room_id)
            units = [u for u in repo.units(conn, room_id) if u.enabled]
        authorise(actor, at=[room.branch])
        if not units:
            raise ShelfwiseError("spaces.unit_not_found")
        starts = self._checked_slots(UnitPlace(units[0], room), starts_at, ends_at, now)
        try:
            with self._db.write() as conn:
                for unit in units:
                    booking_id = repo.insert_booking(
                        conn,
                        {
                            "unit_id": unit.id,
                            "reader_id": None,
                            "purpose": purpose[:64],
                            "starts_at": starts_at,
                            "ends_at": ends_at,
                            "state": "booked",
                            "created_at": now,
                        },
                    )
                    self._claim(conn, unit.id, starts, booking_id)
        except _SlotTaken:
            raise ShelfwiseError("spaces.room_busy") from None
        return len(units)

    def place_of(self, unit_id: int) -> UnitPlace:
        """The unit and its room (a booking page shows where)."""
        return self._place(unit_id)

    def room(self, room_id: int) -> Room:
        with self._db.read() as conn:
            return repo.room(conn, room_id)

    def release_purpose(self, purpose: str) -> int:
        """Give back what :meth:`reserve_room` held for ``purpose`` (an event cancelled)."""
        now = self._clock.now()
        with self._db.write() as conn:
            ids = repo.purpose_bookings(conn, purpose)
            repo.free_slots(conn, ids, self._floor(now))
            repo.close_many(conn, ids, "cancelled", now)
        return len(ids)

    def _claim(self, conn: Connection, unit_id: int, starts: list[datetime], booking: int) -> None:
        try:
            repo.insert_slots(
                conn, [{"unit_id": unit_id, "slot_start": s, "booking_id": booking} for s in starts]
            )
        except IntegrityError:
            raise _SlotTaken() from None

    def _place(self, unit_id: int) -> UnitPlace:
        with self._db.read() as conn:
            return repo.place(conn, unit_id)

    def _floor(self, moment: datetime) -> datetime:
        return timing.floor_slot(moment, self._clock.zone, self.policy.slot_minutes)

    def _checked_slots(
        self, place: UnitPlace, starts_at: datetime, ends_at: datetime, now: datetime
    ) -> list[datetime]:
        """The slots of a well-formed request in the room's hours; refuse anything else."""
        minutes, zone = self.policy.slot_minutes, self._clock.zone
        if not (place.unit.enabled and place.room.enabled):
            raise ShelfwiseError("spaces.unit_disabled")
        if starts_at.tzinfo is None or ends_at.tzinfo is None:
            raise ShelfwiseError("request.invalid", detail="times need a zone or offset")
        if not (
            timing.on_boundary(starts_at, zone, minutes)
            and timing.on_boundary(ends_at, zone, minutes)
        ):
            raise ShelfwiseError("spaces.not_on_slot", minutes=minutes)
        if ends_at <= starts_at:
            raise ShelfwiseError("request.invalid", detail="the end must be after the start")
        if starts_at < self._floor(now):
            raise ShelfwiseError("spaces.in_past")
        if ends_at - starts_at > timedelta(days=1):
            raise ShelfwiseError("spaces.too_long", minutes=24 * 60, used=0)
        starts = timing.slot_starts(starts_at, ends_at, minutes)
        calendar = self._calendars.calendar(place.room.branch)
        closed = timing.closed_slot(calendar, place.room.all_day, starts, zone, minutes)
        if closed is not None:
            raise ShelfwiseError("spaces.closed", at=self._local_text(closed))
        return starts

    def _bookable_reader(self, conn: Connection, card_number: str, now: datetime) -> Reader:
        reader = reading.lock_reader(conn, card_number)
        if reader.status is not ReaderStatus.ACTIVE:
            raise ShelfwiseError("spaces.reader_blocked", reason=reader.status.value)
        if reader.manual_block:
            raise ShelfwiseError("spaces.reader_blocked", reason=reader.manual_block)
        if reader.expires_on < self._clock.today():
            raise ShelfwiseError("spaces.reader_blocked", reason="card expired")
        suspended = self._suspension(conn, reader.id, now)
        if suspended is not None:
            raise ShelfwiseError(
                "spaces.suspended",
                count=suspended.no_shows,
                days=suspended.window_days,
                until=self._local_text(suspended.until),
            )
        return reader

    def _within_rules(
        self,
        conn: Connection,
        reader: Reader,
        starts_at: datetime,
        ends_at: datetime,
        now: datetime,
    ) -> None:
        rule = repo.rule_for(conn, reader.category) or DEFAULT_RULE
        zone = self._clock.zone
        ahead = (starts_at.astimezone(zone).date() - self._clock.today()).days
        if ahead > rule.days_ahead:
            raise ShelfwiseError("spaces.too_far_ahead", days=rule.days_ahead)
        live = repo.reader_bookings(conn, reader.id, ends_after=now, states=ACTIVE_STATES)
        if len(live) >= rule.at_once:
            raise ShelfwiseError("spaces.at_once", count=len(live))
        # Each local day the booking touches (one across midnight touches two).
        day_start, _ = timing.local_day_bounds(starts_at, zone)
        while day_start < ends_at:
            day_end = timing.local_day_bounds(day_start + timedelta(hours=25), zone)[0]
            wanted = timing.minutes_within(starts_at, ends_at, day_start, day_end)
            held = repo.reader_bookings(
                conn, reader.id, ends_after=day_start, states=COUNTED_STATES
            )
            used = sum(
                timing.minutes_within(b.starts_at, b.ends_at, day_start, day_end) for b in held
            )
            if used + wanted > rule.minutes_per_day:
                raise ShelfwiseError("spaces.too_long", minutes=rule.minutes_per_day, used=used)
            day_start = day_end

    # --- no-shows and suspension -------------------------------------------------------------

    def suspension(self, card_number: str) -> Suspension | None:
        """Why and until when the reader may not book, or None."""
        with self._db.read() as conn:
            reader_id = reading.reader_id_of(conn, card_number)
            return self._suspension(conn, reader_id, self._clock.now())

    def _suspension(self, conn: Connection, reader_id: int, now: datetime) -> Suspension | None:
        policy = self.policy
        if policy.no_show_limit <= 0:
            return None
        window = timedelta(days=policy.no_show_window_days)
        missed = repo.no_shows_since(conn, reader_id, now - window)
        if len(missed) < policy.no_show_limit:
            return None
        until = missed[-1] + timedelta(days=policy.suspension_days)
        if until <= now:
            return None
        return Suspension(until, len(missed), policy.no_show_window_days)

    def sweep(self) -> Sweep:
        """The scheduler's minute: bookings not checked in within the grace period become
        no-shows, leaves that ran out are released, sat-out bookings complete. Each frees
        its slots from the current one on, so the seat is free for others at once."""
        now = self._clock.now()
        grace = timedelta(minutes=self.policy.grace_minutes)
        with self._db.write() as conn:
            missed = repo.due_no_shows(conn, now - grace)
            left = repo.expired_leaves(conn, now)
            done = [b for b in repo.ended(conn, now) if b not in set(left)]
            repo.free_slots(conn, missed + left, self._floor(now))
            repo.close_many(conn, missed, "no_show", now)
            repo.close_many(conn, left, "released", now)
            repo.close_many(conn, done, "completed", now)
        return Sweep(no_shows=len(missed), leaves_expired=len(left), completed=len(done))

    # --- check-in, leave, release --------------------------------------------------------------

    def unit_token(self, unit_id: int) -> str:
        """The signed code printed as the seat's QR code."""
        place = self._place(unit_id)
        return self.signer.token(UNIT_QR, unit_id, place.unit.qr_epoch)

    def scan(self, token: str, card_number: str, *, actor: Actor) -> Scan:
        """A reader scanned a seat's QR code: check in to their booking of it (or come
        back from a leave); with no booking of it, book the free seat from now."""
        unit_id, epoch = self.signer.read(UNIT_QR, token)
        place = self._place(unit_id)
        if epoch != place.unit.qr_epoch:
            raise ShelfwiseError("spaces.qr_expired")
        authorise(actor, at=[place.room.branch], reader_card=card_number)
        now = self._clock.now()
        with self._db.write() as conn:
            reader_id = reading.reader_id_of(conn, card_number)
            mine = repo.reader_booking_on(conn, reader_id, unit_id, now)
            if mine is not None:
                return self._check_in(conn, mine, now)
        return Scan("walk_in", self.walk_in(card_number, place, now, actor=actor))

    def _check_in(self, conn: Connection, booking: Booking, now: datetime) -> Scan:
        if booking.state == "checked_in":
            raise ShelfwiseError("spaces.already_checked_in")
        if booking.state == "away":
            repo.set_state(conn, booking.id, ["away"], {"state": "checked_in", "away_until": None})
            return Scan("returned", repo.booking(conn, booking.id))
        opens = booking.starts_at - timedelta(minutes=self.policy.grace_minutes)
        closes = booking.starts_at + timedelta(minutes=self.policy.grace_minutes)
        if not opens <= now < closes:
            raise ShelfwiseError(
                "spaces.checkin_window",
                opens=self._local_text(opens),
                closes=self._local_text(closes),
            )
        repo.set_state(conn, booking.id, ["booked"], {"state": "checked_in", "checked_in_at": now})
        return Scan("checked_in", repo.booking(conn, booking.id))

    def walk_in(
        self, card_number: str, place: UnitPlace, now: datetime, *, actor: Actor
    ) -> Booking:
        """Book a free seat from the current slot for the walk-in length (cut at closing)."""
        start = self._floor(now)
        calendar = self._calendars.calendar(place.room.branch)
        end = timing.closing_after(
            calendar,
            place.room.all_day,
            start,
            self._clock.zone,
            self.policy.slot_minutes,
            self.policy.walk_in_minutes,
        )
        if end <= start:
            raise ShelfwiseError("spaces.closed", at=self._local_text(now))
        return self.book(card_number, place.unit.id, start, end, actor=actor, walk_in=True)

    def step_away(self, booking_id: int, *, actor: Actor) -> Booking:
        """A short leave: the seat stays held for ``leave_minutes``, then is released."""
        now = self._clock.now()
        with self._db.write() as conn:
            booking = self._own(conn, booking_id, actor)
            until = min(booking.ends_at, now + timedelta(minutes=self.policy.leave_minutes))
            if not repo.set_state(
                conn, booking_id, ["checked_in"], {"state": "away", "away_until": until}
            ):
                raise ShelfwiseError("spaces.booking_state", state=booking.state)
            return repo.booking(conn, booking_id)

    def release(self, booking_id: int, *, actor: Actor) -> Booking:
        """Give the seat back: before the start a cancellation, after it an early release."""
        now = self._clock.now()
        with self._db.write() as conn:
            booking = self._own(conn, booking_id, actor)
            state = (
                "cancelled" if booking.state == "booked" and now < booking.starts_at else "released"
            )
            if not repo.set_state(
                conn,
                booking_id,
                ACTIVE_STATES,
                {"state": state, "closed_at": now, "away_until": None},
            ):
                raise ShelfwiseError("spaces.booking_state", state=booking.state)
            repo.free_slots(conn, [booking_id], self._floor(now))
            return repo.booking(conn, booking_id)

    def _own(self, conn: Connection, booking_id: int, actor: Actor) -> Booking:
        booking = repo.booking(conn, booking_id, lock=True)
        card = None
        if booking.reader_id is not None:
            card = reading.reader_by_id(conn, booking.reader_id).card_number
        authorise(actor, at=[booking.branch], reader_card=card)
        return booking

    def bookings_of(self, card_number: str, *, actor: Actor, days: int = 30) -> list[Booking]:
        """The reader's bookings that end after ``days`` ago, earliest first."""
        authorise(actor, reader_card=card_number)
        with self._db.read() as conn:
            reader_id = reading.reader_id_of(conn, card_number)
            since = self._clock.now() - timedelta(days=days)
            return repo.reader_bookings(conn, reader_id, ends_after=since)

    # --- visits and retention ------------------------------------------------------------------

    def door_token(self, room_id: int) -> str:
        return self.signer.token(DOOR_QR, room_id)

    def count_entry(self, token: str) -> int:
        """A scan of a room's door code: one entry in the hour's count, nobody named."""
        room_id, _ = self.signer.read(DOOR_QR, token)
        self.add_visits(room_id, self._clock.now(), 1, actor=None)
        return room_id

    def add_visits(self, room_id: int, at: datetime, entries: int, *, actor: Actor | None) -> None:
        """Add ``entries`` to the local hour ``at`` falls in (a gate counter's figures)."""
        if not 0 <= entries <= 100_000:
            raise ShelfwiseError("request.invalid", detail="entries: 0 to 100000")
        with self._db.write() as conn:
            room = repo.room(conn, room_id)
            if actor is not None:
                authorise(actor, at=[room.branch])
            hour = timing.floor_slot(at, self._clock.zone, 60)
            repo.add_entries(conn, self._db.dialect, room_id, hour, entries)
            if entries:
                local = hour.astimezone(self._clock.zone)
                enqueue(
                    conn,
                    self._clock,
                    VISITS_TOPIC,
                    {
                        "day": local.date().isoformat(),
                        "hour": local.hour,
                        "branch": room.branch,
                        "all_day": room.all_day,
                        "entries": entries,
                    },
                )

    def visits(self, room_id: int, day: datetime) -> list[tuple[datetime, int]]:
        lo, hi = timing.local_day_bounds(day, self._clock.zone)
        with self._db.read() as conn:
            return repo.visits(conn, room_id, lo, hi)

    def prune(self) -> int:
        """P3: delete ended bookings older than the retention, kept at least as long as
        the no-show window and suspension need them."""
        policy = self.policy
        if policy.retention_days <= 0:
            return 0
        days = max(policy.retention_days, policy.no_show_window_days + policy.suspension_days)
        with self._db.write() as conn:
            return repo.purge_ended_before(conn, self._clock.now() - timedelta(days=days))

    def overlapping_pairs(self) -> int:
        """Pairs of live bookings of one unit that overlap: always 0 (storms check it)."""
        with self._db.read() as conn:
            return repo.overlaps(conn)

    def _local_text(self, moment: datetime) -> str:
        return moment.astimezone(self._clock.zone).strftime("%Y-%m-%d %H:%M")
