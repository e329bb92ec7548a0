"""The wish wall's rules: post, support, report; moderate, answer and move a wish; merge
duplicates. One transaction each; every change is kept in the wish's history and, when
readers are told of it, leaves one ``wishes.notice`` outbox event in the same
transaction (:mod:`shelfwise.wishes.notices` delivers it)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

from sqlalchemy import Connection, Row
from sqlalchemy.exc import IntegrityError

from shelfwise.circulation.scope import Actor, authorise
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.reading import lock_reader
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue
from shelfwise.wishes import repo
from shelfwise.wishes import wording as w
from shelfwise.wishes.activity import wish_activity
from shelfwise.wishes.models import (
    AUTHOR_MAX,
    DISPLAY_NAME_MAX,
    FINAL,
    NOTE_MAX,
    NOTICE_TOPIC,
    REASON_MAX,
    REPORT_MAX,
    STAFF_TARGETS,
    TITLE_MAX,
    HistoryEntry,
    Moderation,
    WallFilter,
    Wish,
    WishDraft,
    WishKind,
    WishPolicy,
    WishStats,
    WishStatus,
    check_move,
)

# History kinds a reader is told of (hold entries tell the one reader they name).
TOLD = frozenset({"status", "answer", "hidden", "merged", "joined", "hold_placed", "hold_refused"})
ERASED_NAME = "—"
# Where an order may answer a book wish from (acquisitions' line_ordered walks it on).
ORDERABLE = frozenset({WishStatus.SUBMITTED, WishStatus.IN_REVIEW, WishStatus.ACCEPTED})


def wish_of(row: Row[Any]) -> Wish:
    return Wish(
        id=int(row.id),
        kind=WishKind(row.kind),
        branch=row.branch_code,
        display_name=row.display_name,
        title=row.title,
        author=row.author,
        isbn=row.isbn,
        reason=row.reason,
        status=WishStatus(row.status),
        moderation=Moderation(row.moderation),
        moderation_note=row.moderation_note,
        answer=row.answer,
        record_id=row.record_id,
        merged_into_id=row.merged_into_id,
        supporters=int(row.supporters),
        reports=int(row.reports),
        created_at=row.created_at,
        updated_at=row.updated_at,
        version=int(row.version),
    )


def record_change(
    conn: Connection,
    clock: Clock,
    wish_id: int,
    kind: str,
    actor: str,
    *,
    moved: tuple[str, str] | None = None,
    note: str | None = None,
    reader_id: int | None = None,
    public: bool = True,
) -> int:
    """One history entry, and its notice event when readers are told of ``kind``."""
    history_id = repo.insert_history(
        conn,
        wish_id=wish_id,
        kind=kind,
        from_status=moved[0] if moved else None,
        to_status=moved[1] if moved else None,
        note=note,
        actor=actor,
        reader_id=reader_id,
        public=1 if public else 0,
        at=clock.now(),
    )
    if kind in TOLD:
        enqueue(conn, clock, NOTICE_TOPIC, {"history_id": history_id, "wish_id": wish_id})
    return history_id


def move_status(
    conn: Connection,
    clock: Clock,
    row: Row[Any],
    target: WishStatus,
    actor: str,
    note: str | None,
    **values: Any,
) -> None:
    """Move the (locked) wish ``row`` to ``target`` if the table allows it; kept and told."""
    if row.moderation == Moderation.MERGED:
        raise ShelfwiseError("wishes.merged", wish=row.id)
    current = WishStatus(row.status)
    check_move(WishKind(row.kind), current, target)
    values["status"] = str(target)
    if note:
        values["answer"] = note
    repo.update_wish(conn, row.id, clock.now(), **values)
    record_change(
        conn, clock, row.id, "status", actor, moved=(str(current), str(target)), note=note
    )
    wish_activity(conn, clock, dict(row._mapping), moved=(str(current), str(target)))


class WishService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        policy: WishPolicy,
        *,
        record_with_isbn: Callable[[str], int | None],
    ) -> None:
        self._db = db
        self._clock = clock
        self.policy = policy
        self._record_with_isbn = record_with_isbn  # the catalogue's look-up, first

    # --- readers ----------------------------------------------------------------------

    def post(self, draft: WishDraft, *, actor: Actor) -> Wish:
        """A reader's wish. A book the catalogue has is refused with its record
        (``wishes.record_exists``: place a hold instead)."""
        card = actor.card_number or ""
        authorise(actor, reader_card=card)
        fields = self._checked(draft)
        if fields["isbn"]:
            found = self._record_with_isbn(fields["isbn"])
            if found is not None:
                raise ShelfwiseError("wishes.record_exists", record_id=found)
        now = self._clock.now()
        with self._db.write() as conn:
            reader = lock_reader(conn, card)  # serialises one reader's posts: the limit holds
            w.display_name_ok(fields["display_name"], reader.card_number, reader.name)
            if repo.count_since(conn, reader.id, self._month_start()) >= self.policy.per_month:
                raise ShelfwiseError("wishes.over_limit", limit=self.policy.per_month)
            branch = self._branch(conn, draft.branch)
            pickup = self._branch(conn, draft.pickup_branch) or branch or repo.central_branch(conn)
            flagged = w.sensitive_match(
                repo.words(conn),
                fields["title"],
                fields["author"],
                fields["reason"],
                fields["display_name"],
            )
            pending = self.policy.premoderate or flagged is not None
            wish_id = repo.insert_wish(
                conn,
                kind=str(draft.kind),
                branch_id=branch,
                reader_id=reader.id,
                pickup_branch_id=pickup,
                notify=1 if draft.notify else 0,
                moderation=str(Moderation.PENDING if pending else Moderation.SHOWN),
                moderation_note="sensitive word" if flagged else None,
                status=str(WishStatus.SUBMITTED),
                created_at=now,
                updated_at=now,
                **fields,
            )
            record_change(conn, self._clock, wish_id, "posted", "reader")
            wish_activity(
                conn,
                self._clock,
                {
                    "kind": draft.kind,
                    "branch_code": draft.branch or None,
                    "reader_id": reader.id,
                    "created_at": now,
                },
                moved=None,
            )
            return self._load(conn, wish_id)

    def _checked(self, draft: WishDraft) -> dict[str, Any]:
        book = draft.kind is WishKind.BOOK
        return {
            "title": w.clean(draft.title, "title", TITLE_MAX, required=True),
            "author": w.clean(draft.author, "author", AUTHOR_MAX, required=False),
            "reason": w.clean(draft.reason, "reason", REASON_MAX, required=False, lines=True),
            "display_name": w.clean(
                draft.display_name, "display_name", DISPLAY_NAME_MAX, required=True
            ),
            "isbn": w.checked_isbn(draft.isbn) if book else None,
        }

    def _month_start(self) -> datetime:
        first = self._clock.today().replace(day=1)
        return datetime.combine(first, time(), tzinfo=self._clock.zone)

    def _branch(self, conn: Connection, code: str | None) -> int | None:
        if not code:
            return None
        found = repo.branch_id(conn, code)
        if found is None:
            raise ShelfwiseError("wishes.unknown_branch", branch=code)
        return found

    def support(
        self,
        wish_id: int,
        *,
        actor: Actor,
        notify: bool = False,
        wants_hold: bool = False,
        pickup_branch: str | None = None,
    ) -> Wish:
        """ "Me too", once per reader (a unique constraint: two at once count once)."""
        card = actor.card_number or ""
        authorise(actor, reader_card=card)
        try:
            with self._db.write() as conn:
                reader = lock_reader(conn, card)
                row = self._shown(conn, wish_id, lock=True)
                if row.reader_id == reader.id:
                    raise ShelfwiseError("wishes.own_wish")
                if WishStatus(row.status) in FINAL:
                    raise ShelfwiseError("wishes.closed", status=row.status)
                repo.insert_support(
                    conn,
                    wish_id=wish_id,
                    reader_id=reader.id,
                    notify=1 if notify else 0,
                    wants_hold=1 if wants_hold else 0,
                    pickup_branch_id=self._branch(conn, pickup_branch),
                    created_at=self._clock.now(),
                )
                repo.add_supporters(conn, wish_id, 1)
                return self._load(conn, wish_id)
        except IntegrityError as exc:
            if "once" in str(exc.orig).lower() or "unique" in str(exc.orig).lower():
                raise ShelfwiseError("wishes.already_supported") from exc
            raise

    def report(self, wish_id: int, reason: str, *, actor: Actor) -> None:
        """A reader reports abuse; enough reports put a shown wish in the moderation queue."""
        card = actor.card_number or ""
        authorise(actor, reader_card=card)
        text = w.clean(reason, "reason", REPORT_MAX, required=True, lines=True)
        try:
            with self._db.write() as conn:
                reader = lock_reader(conn, card)
                self._shown(conn, wish_id, lock=True)
                repo.insert_report(
                    conn,
                    wish_id=wish_id,
                    reader_id=reader.id,
                    reason=text,
                    created_at=self._clock.now(),
                )
                repo.add_report(conn, wish_id)
        except IntegrityError as exc:
            raise ShelfwiseError("wishes.already_reported") from exc

    def _shown(self, conn: Connection, wish_id: int, *, lock: bool = False) -> Row[Any]:
        row = repo.load_wish(conn, wish_id, lock=lock)
        if row is None or row.moderation != Moderation.SHOWN:
            raise ShelfwiseError("wishes.not_found", wish=wish_id)
        return row

    # --- reading ----------------------------------------------------------------------

    def get(self, wish_id: int, *, viewer: Actor | None = None) -> Wish:
        """A wish as ``viewer`` may see it: shown and merged ones to anyone; a pending or
        hidden one to its wisher (with the reason) and to staff."""
        with self._db.read() as conn:
            row = repo.load_wish(conn, wish_id)
            if row is None:
                raise ShelfwiseError("wishes.not_found", wish=wish_id)
            if row.moderation in (Moderation.SHOWN, Moderation.MERGED):
                return wish_of(row)
            if viewer is not None and viewer.kind in ("staff", "system"):
                return wish_of(row)
            if viewer is not None and viewer.card_number:
                reader = lock_reader(conn, viewer.card_number)
                if reader.id == row.reader_id:
                    return wish_of(row)
            raise ShelfwiseError("wishes.not_found", wish=wish_id)

    def history(self, wish_id: int, *, public_only: bool = True) -> list[HistoryEntry]:
        with self._db.read() as conn:
            return [
                HistoryEntry(r.id, r.kind, r.from_status, r.to_status, r.note, r.actor, r.at)
                for r in repo.history_of(conn, wish_id, public_only=public_only)
            ]

    def wall(self, what: WallFilter) -> list[Wish]:
        with self._db.read() as conn:
            branch = repo.branch_id(conn, what.branch) if what.branch else None
            return [wish_of(r) for r in repo.wall(conn, what, branch)]

    def wishes_of(self, card_number: str) -> list[Wish]:
        with self._db.read() as conn:
            reader = lock_reader(conn, card_number)
            return [wish_of(r) for r in repo.wishes_of_reader(conn, reader.id)]

    def supported_by(self, wish_id: int, card_number: str) -> bool:
        with self._db.read() as conn:
            reader = lock_reader(conn, card_number)
            return reader.id in repo.supporter_ids(conn, wish_id)

    def to_order(self, wish_id: int, *, actor: Actor) -> Wish:
        """A book wish an order may answer (submitted, in review or accepted; ordering
        accepts it), as staff of its branch see it; refused otherwise."""
        with self._db.read() as conn:
            row = self._staff_row(conn, wish_id, actor, lock=False)
        wish = wish_of(row)
        if wish.moderation is Moderation.MERGED:
            raise ShelfwiseError("wishes.merged", wish=wish_id)
        if wish.kind is not WishKind.BOOK or wish.status not in ORDERABLE:
            raise ShelfwiseError("wishes.transition", current=wish.status, target="ordered")
        return wish

    def stats(self) -> WishStats:
        """Counts only: by status, by kind, and supports in all (no reader anywhere)."""
        with self._db.read() as conn:
            return WishStats(*repo.stats(conn))

    def _load(self, conn: Connection, wish_id: int) -> Wish:
        row = repo.load_wish(conn, wish_id)
        if row is None:
            raise ShelfwiseError("wishes.not_found", wish=wish_id)
        return wish_of(row)

    # --- staff ------------------------------------------------------------------------

    def _staff_row(
        self, conn: Connection, wish_id: int, actor: Actor, *, lock: bool = True
    ) -> Row[Any]:
        row = repo.load_wish(conn, wish_id, lock=lock)
        if row is None:
            raise ShelfwiseError("wishes.not_found", wish=wish_id)
        if row.branch_code is None:
            authorise(actor, everywhere=True)
        else:
            authorise(actor, at=[row.branch_code])
        return row

    def queue(self, *, actor: Actor, branch: str | None = None) -> list[Wish]:
        """The moderation queue: pending wishes and often-reported ones, of ``branch``
        (staff of it), or of every branch and the network (a network account)."""
        if branch is None:
            authorise(actor, everywhere=True)
        else:
            authorise(actor, at=[branch])
        with self._db.read() as conn:
            rows = repo.queue(conn, self.policy.reports_to_queue)
        return [wish_of(r) for r in rows if branch is None or r.branch_code == branch]

    def approve(self, wish_id: int, *, actor: Actor) -> Wish:
        with self._db.write() as conn:
            row = self._staff_row(conn, wish_id, actor)
            if row.moderation not in (Moderation.PENDING, Moderation.SHOWN, Moderation.HIDDEN):
                raise ShelfwiseError("wishes.merged", wish=wish_id)
            repo.update_wish(
                conn,
                wish_id,
                self._clock.now(),
                moderation=str(Moderation.SHOWN),
                moderation_note=None,
            )
            repo.resolve_reports(conn, wish_id, self._clock.now())
            record_change(conn, self._clock, wish_id, "shown", "staff", public=False)
            return self._load(conn, wish_id)

    def hide(self, wish_id: int, reason: str, *, actor: Actor) -> Wish:
        """Off the wall, with a reason the wisher is shown and told."""
        text = w.clean(reason, "reason", 500, required=True, lines=True)
        with self._db.write() as conn:
            row = self._staff_row(conn, wish_id, actor)
            if row.moderation == Moderation.MERGED:
                raise ShelfwiseError("wishes.merged", wish=wish_id)
            repo.update_wish(
                conn,
                wish_id,
                self._clock.now(),
                moderation=str(Moderation.HIDDEN),
                moderation_note=text,
            )
            repo.resolve_reports(conn, wish_id, self._clock.now())
            record_change(conn, self._clock, wish_id, "hidden", "staff", note=text, public=False)
            return self._load(conn, wish_id)

    def move(self, wish_id: int, target: WishStatus, *, actor: Actor, note: str = "") -> Wish:
        """Staff move a wish (in review, accepted, fulfilled, declined — a decline says why);
        ``note`` is the public answer that goes with it."""
        if target not in STAFF_TARGETS:
            raise ShelfwiseError("wishes.follows_order", target=target)
        text = w.clean(note, "note", NOTE_MAX, required=target is WishStatus.DECLINED, lines=True)
        with self._db.write() as conn:
            row = self._staff_row(conn, wish_id, actor)
            self._move(conn, row, target, "staff", text or None)
            return self._load(conn, wish_id)

    def _move(
        self, conn: Connection, row: Row[Any], target: WishStatus, actor: str, note: str | None
    ) -> None:
        move_status(conn, self._clock, row, target, actor, note)

    def answer(self, wish_id: int, text: str, *, actor: Actor) -> Wish:
        """The staff's public answer, without a change of status."""
        note = w.clean(text, "answer", NOTE_MAX, required=True, lines=True)
        with self._db.write() as conn:
            self._staff_row(conn, wish_id, actor)
            repo.update_wish(conn, wish_id, self._clock.now(), answer=note)
            record_change(conn, self._clock, wish_id, "answer", "staff", note=note)
            return self._load(conn, wish_id)

    def merge(self, duplicate_id: int, into_id: int, *, actor: Actor) -> Wish:
        """A duplicate joins ``into_id``: its wisher and supporters become supporters there
        (once each; told, with holds wanted), and it leaves the wall."""
        if duplicate_id == into_id:
            raise ShelfwiseError("wishes.merge_self")
        with self._db.write() as conn:
            dup = self._staff_row(conn, duplicate_id, actor)
            into = self._staff_row(conn, into_id, actor)
            if Moderation.MERGED in (dup.moderation, into.moderation) or dup.kind != into.kind:
                raise ShelfwiseError("wishes.merge_refused", wish=duplicate_id, into=into_id)
            present = repo.supporter_ids(conn, into_id) | {into.reader_id}
            carried = [
                (s.reader_id, bool(s.notify), bool(s.wants_hold), s.pickup_branch_id, s.created_at)
                for s in repo.supports_of(conn, duplicate_id)
            ]
            if dup.reader_id is not None:
                carried.insert(
                    0, (dup.reader_id, bool(dup.notify), True, dup.pickup_branch_id, dup.created_at)
                )
            added = 0
            for reader_id, notify, wants, pickup, at in carried:
                if reader_id in present:
                    continue
                present.add(reader_id)
                repo.insert_support(
                    conn,
                    wish_id=into_id,
                    reader_id=reader_id,
                    notify=1 if notify else 0,
                    wants_hold=1 if wants else 0,
                    pickup_branch_id=pickup,
                    created_at=at,
                )
                added += 1
            repo.add_supporters(conn, into_id, added)
            now = self._clock.now()
            # Told before the supports go, so the duplicate's supporters hear of the merge.
            record_change(conn, self._clock, duplicate_id, "merged", "staff", note=str(into_id))
            repo.update_wish(
                conn, duplicate_id, now, moderation=str(Moderation.MERGED), merged_into_id=into_id
            )
            record_change(conn, self._clock, into_id, "joined", "staff", note=str(duplicate_id))
            return self._load(conn, into_id)

    # --- the sensitive words ----------------------------------------------------------

    def words(self) -> list[str]:
        with self._db.read() as conn:
            return repo.words(conn)

    def add_word(self, word: str, *, actor: Actor, by: str) -> list[str]:
        authorise(actor, everywhere=True)
        with self._db.write() as conn:
            repo.add_word(conn, w.word_of(word), by, self._clock.now())
            return repo.words(conn)

    def remove_word(self, word: str, *, actor: Actor) -> list[str]:
        authorise(actor, everywhere=True)
        with self._db.write() as conn:
            repo.remove_word(conn, w.word_of(word))
            return repo.words(conn)
