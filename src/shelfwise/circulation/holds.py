"""Holds and transits: place, trap, send, receive, fill, cancel, expire; the pull list
and the hold shelf.

Trapping happens at check-in (:meth:`HoldOperations._route`): the copy goes to
the oldest waiting hold it can fill — to the hold shelf here, or in transit to
the pickup branch — or home. Trapping is a conditional ``UPDATE … WHERE
status='waiting'``, so two copies checked in at once never fill one hold.
"""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation import repo, repo_holds
from shelfwise.circulation.activity import activity, record_activity
from shelfwise.circulation.availability import shelf_changed
from shelfwise.circulation.base import CirculationCore
from shelfwise.circulation.models import Hold, HoldSlip, PullListEntry
from shelfwise.circulation.rules import due_date
from shelfwise.circulation.scope import Actor, authorise, codes_at
from shelfwise.circulation.states import ACTIVE_HOLDS, Availability, HoldStatus, check_hold
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.readers.reading import lock_reader, reader_by_id, reader_id_of
from shelfwise.storage.outbox import enqueue

NOTICE_TOPIC = "circulation.notice"
PICKUP_CODE_DIGITS = 6


class HoldOperations(CirculationCore):
    def _fill_own_hold(self, conn: Connection, trapped: Any, own: int | None) -> None:
        """``trapped``: the hold the copy is trapped for (the borrower's); ``own``: the
        borrower's oldest waiting hold on the title (both read by the caller)."""
        now = self._clock.now()
        if trapped is not None:
            check_hold(HoldStatus(trapped.status), HoldStatus.FULFILLED, "checkout")
            repo_holds.close_hold(conn, trapped.id, HoldStatus.FULFILLED, now)
            return
        # A reader who finds a copy on the shelf fills their own waiting hold on the title.
        if own is not None:
            check_hold(HoldStatus.WAITING, HoldStatus.FULFILLED, "checkout")
            repo_holds.close_hold(conn, own, HoldStatus.FULFILLED, now, untrap=False)

    def _route(
        self, conn: Connection, item: Any, here: int, trapped: Any, *, waiting: bool = True
    ) -> tuple[int | None, str | None, int | None]:
        """Trap the copy for the next hold, or send it home: (hold, hold status, transit to).
        ``trapped``: the hold the copy is trapped for now (read by the caller), or None;
        ``waiting``: False when the caller has read that no hold waits for the copy."""
        now = self._clock.now()
        if trapped is not None:  # already trapped: arriving at the pickup branch or passing by
            if trapped.pickup_branch_id == here:
                if trapped.status == HoldStatus.IN_TRANSIT:
                    self._make_ready(conn, trapped, HoldStatus.IN_TRANSIT, "receive")
                return int(trapped.id), str(HoldStatus.READY), None
            self._send(conn, item.id, here, trapped.pickup_branch_id, trapped.id)
            return int(trapped.id), str(trapped.status), int(trapped.pickup_branch_id)
        if waiting and item.lifecycle == "in_service":
            for hold in repo.waiting_holds_for(conn, item.record_id, item.id):
                target = (
                    HoldStatus.READY if hold.pickup_branch_id == here else HoldStatus.IN_TRANSIT
                )
                check_hold(HoldStatus.WAITING, target, "trap")
                # Conditional on still waiting: a concurrent check-in of another copy
                # may have trapped this hold first (PostgreSQL re-checks after the wait).
                if not repo_holds.trap(conn, hold.id, item.id, target, now):
                    continue
                if target is HoldStatus.READY:
                    self._make_ready(conn, hold, None, "")
                    return int(hold.id), str(target), None
                self._send(conn, item.id, here, hold.pickup_branch_id, hold.id)
                return int(hold.id), str(target), int(hold.pickup_branch_id)
        if here != item.home_branch_id:
            self._send(conn, item.id, here, item.home_branch_id, None)
            return None, None, int(item.home_branch_id)
        return None, None, None

    def _make_ready(self, conn: Connection, hold: Any, current: HoldStatus | None, op: str) -> None:
        if current is not None:
            check_hold(current, HoldStatus.READY, op)
        today = self._clock.today()
        rule = self._rule_for_hold(conn, hold)
        expires = due_date(repo.calendar(conn, hold.pickup_branch_id), today, rule.hold_shelf_days)
        # The lowest free slot of the branch's hold shelf, so the shelf stays compact. Two
        # copies trapped at once at one branch (PostgreSQL, two desks) may share a number:
        # the slip carries the reader's name too, so that is tolerable, and a unique index
        # would turn it into a failed check-in instead.
        taken = repo_holds.slots_taken(conn, hold.pickup_branch_id)
        slot = next(n for n in range(1, len(taken) + 2) if n not in taken)
        code = f"{secrets.randbelow(10**PICKUP_CODE_DIGITS):0{PICKUP_CODE_DIGITS}d}"
        repo_holds.set_ready(conn, hold.id, expires, slot=slot, code=code)
        enqueue(
            conn,
            self._clock,
            NOTICE_TOPIC,
            {"kind": "hold_ready", "hold_id": int(hold.id), "reader_id": hold.reader_id},
        )

    def _rule_for_hold(self, conn: Connection, hold: Any) -> Any:
        reader = reader_by_id(conn, hold.reader_id) if hold.reader_id else None
        category = reader.category if reader else "adult"
        return self._rule(conn, category, "book", hold.pickup_branch_id).rule

    def _send(
        self, conn: Connection, item_id: int, here: int, to: int, hold_id: int | None
    ) -> None:
        repo_holds.send(conn, item_id, here, to, hold_id, self._clock.now())

    def place_hold(
        self,
        card_number: str,
        record_id: int,
        pickup_branch: str | None,
        *,
        actor: Actor,
        item_barcode: str | None = None,
    ) -> Hold:
        """A hold for the reader, picked up at ``pickup_branch`` (staff: one of theirs);
        None: the reader's own library (their home branch)."""
        if pickup_branch is None:
            pickup_branch = self.pickup_default(card_number)
        authorise(actor, at=[pickup_branch], reader_card=card_number)
        now = self._clock.now()
        with self._db.write() as conn:
            pickup = repo.branch_id(conn, pickup_branch)
            reader = lock_reader(conn, card_number)
            item_id = None
            if item_barcode is not None:
                item = repo.item_row(conn, item_barcode)
                if item.record_id != record_id:
                    raise ShelfwiseError("circ.hold_item_mismatch", barcode=item_barcode)
                item_id = item.id
            refusal = self._hold_refusal(conn, reader, record_id, pickup)
            if refusal is not None:
                raise refusal
            check_hold(None, HoldStatus.WAITING, "place")
            hold_id = repo.insert_waiting_hold(
                conn,
                reader_id=reader.id,
                record_id=record_id,
                item_id=item_id,
                pickup_branch_id=pickup,
                placed_at=now,
            )
            act = activity(
                "hold",
                day=self._clock.today(),
                branch_id=pickup,
                item_type=None,  # a hold is on a title, not a copy
                category=reader.category,
                record_id=record_id,
                reader_id=reader.id,
                birth_year=reader.birth_year,
            )
            record_activity(conn, self._clock, act)
            return repo.load_hold(conn, hold_id)

    def hold_refusal(self, card_number: str, record_id: int) -> ShelfwiseError | None:
        """Why the reader may not place a hold on the title now (None: they may): what a
        page shows in place of the button. The same checks :meth:`place_hold` makes."""
        with self._db.read() as conn:
            reader = reader_by_id(conn, reader_id_of(conn, card_number))
            home = reader.home_branch_id
            pickup = home if home is not None else repo_holds.first_branch_id(conn)
            return self._hold_refusal(conn, reader, record_id, pickup)

    def _hold_refusal(
        self, conn: Connection, reader: Reader, record_id: int, pickup: int
    ) -> ShelfwiseError | None:
        blocks = self._account_blocks(conn, reader)
        if blocks:
            return blocks[0]
        copies = repo_holds.holdable_item_types(conn, record_id)
        if not copies:
            return ShelfwiseError("circ.nothing_to_hold", record_id=record_id)
        if repo_holds.open_loan_of_title(conn, reader.id, record_id):
            return ShelfwiseError("circ.hold_on_loan", record_id=record_id)
        rule = self._rule(conn, reader.category, copies[0], pickup).rule
        active = [h for h in repo.holds_of(conn, reader.id) if h.status in ACTIVE_HOLDS]
        if any(h.record_id == record_id for h in active):
            return ShelfwiseError("circ.hold_exists", record_id=record_id)
        if len(active) >= rule.hold_limit:
            return ShelfwiseError("circ.hold_limit", limit=rule.hold_limit)
        return None

    def pickup_default(self, card_number: str) -> str:
        """Where a reader's hold is picked up unless they say otherwise: their own library."""
        with self._db.read() as conn:
            home = reader_by_id(conn, reader_id_of(conn, card_number)).home_branch_id
            found = repo.branch_codes(conn, {home}) if home is not None else []
        if not found:
            raise ShelfwiseError("circ.no_pickup_branch")
        return found[0]

    def cancel_hold(self, hold_id: int, *, actor: Actor) -> Hold:
        """Cancel a hold (a reader only their own); a trapped copy is freed for the next."""
        now = self._clock.now()
        with self._db.write() as conn:
            hold = repo.load_hold(conn, hold_id, lock=True)
            self._authorise_hold(conn, actor, hold)
            if hold.status not in ACTIVE_HOLDS:
                raise ShelfwiseError("circ.hold_closed", hold=hold_id, status=hold.status)
            check_hold(hold.status, HoldStatus.CANCELLED, "cancel")
            freed = repo_holds.trapped_records_of(conn, [hold_id])
            repo_holds.close_hold(conn, hold_id, HoldStatus.CANCELLED, now)
            shelf_changed(conn, self._clock, freed)
            return repo.load_hold(conn, hold_id)

    def change_pickup(self, hold_id: int, pickup_branch: str, *, actor: Actor) -> Hold:
        """Move a waiting hold's pickup branch (a reader only their own hold; staff from and
        to their branches).

        Only while no copy is trapped: a trapped copy is already travelling to,
        or sitting at, the old pickup branch.
        """
        with self._db.write() as conn:
            hold = repo.load_hold(conn, hold_id, lock=True)
            self._authorise_hold(conn, actor, hold, also_at=pickup_branch)
            if hold.status is not HoldStatus.WAITING:
                raise ShelfwiseError("circ.pickup_fixed", hold=hold_id, status=hold.status)
            pickup = repo.branch_id(conn, pickup_branch)
            repo_holds.set_pickup(conn, hold_id, pickup)
            return repo.load_hold(conn, hold_id)

    def expire_holds(self) -> int:
        """Holds left on the shelf past their expiry; the copy is trapped anew at its next scan."""
        now = self._clock.now()
        with self._db.write() as conn:
            ids = repo_holds.ready_past(conn, self._clock.today())
            freed = repo_holds.trapped_records_of(conn, ids) if ids else []
            for hold_id in ids:
                check_hold(HoldStatus.READY, HoldStatus.EXPIRED, "expire")
                repo_holds.close_hold(
                    conn, hold_id, HoldStatus.EXPIRED, now, only_if=HoldStatus.READY
                )
            shelf_changed(conn, self._clock, freed)
            return len(ids)

    def get_hold(self, hold_id: int, *, actor: Actor) -> Hold:
        """One hold: the reader's own, or any for staff (reading a reader's holds is not
        branch-bound: any desk serves any reader)."""
        with self._db.read() as conn:
            hold = repo.load_hold(conn, hold_id)
            authorise(actor, reader_card=self._card_of(conn, hold))
            return hold

    def _authorise_hold(
        self, conn: Connection, actor: Actor, hold: Hold, *, also_at: str | None = None
    ) -> None:
        """Acting on a hold: its reader, or staff of its pickup branch (and of ``also_at``)."""
        at = codes_at(conn, actor, [hold.pickup_branch_id])
        if also_at is not None:
            at.append(also_at)
        authorise(actor, at=at, reader_card=self._card_of(conn, hold))

    def _card_of(self, conn: Connection, hold: Hold) -> str | None:
        return None if hold.reader_id is None else reader_by_id(conn, hold.reader_id).card_number

    def pull_list(self, branch: str, *, actor: Actor) -> list[PullListEntry]:
        """Copies on this branch's shelves that waiting holds want, oldest hold first."""
        authorise(actor, at=[branch], desk_only=True)
        with self._db.read() as conn:
            branch_id = repo.branch_id(conn, branch)
            waiting = repo_holds.waiting(conn)
            taken: set[int] = set()
            entries: list[PullListEntry] = []
            for hold in waiting:
                for copy in repo_holds.copies_at(conn, hold.record_id, branch_id):
                    if copy.id in taken or (hold.item_id not in (None, copy.id)):
                        continue
                    if self._availability(conn, copy).availability is Availability.ON_SHELF:
                        taken.add(copy.id)
                        entries.append(
                            PullListEntry(
                                hold.id,
                                hold.record_id,
                                copy.barcode,
                                copy.call_number,
                                hold.pickup_branch_id,
                                hold.placed_at,
                            )
                        )
                        break
            return entries

    def hold_shelf(self, branch: str, *, actor: Actor) -> list[HoldSlip]:
        """Holds trapped for pickup at this branch: ready on its shelf, or in transit to it."""
        authorise(actor, at=[branch], desk_only=True)
        with self._db.read() as conn:
            return repo.hold_slips(conn, pickup_branch_id=repo.branch_id(conn, branch))

    def hold_slip(self, hold_id: int, *, actor: Actor) -> HoldSlip:
        """The slip of one hold (who it is for, where it is picked up). Any desk: the copy
        trapped at a check-in travels with its slip to another branch's pickup shelf."""
        authorise(actor, desk_only=True)
        with self._db.read() as conn:
            found = repo.hold_slips(conn, hold_id=hold_id)
        if not found:
            raise ShelfwiseError("circ.hold_not_found", hold=hold_id)
        return found[0]

    def holds_of(self, card_number: str) -> list[Hold]:
        with self._db.read() as conn:
            return repo.holds_of(conn, reader_id_of(conn, card_number))
