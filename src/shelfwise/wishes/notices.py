"""Telling readers of a wish's changes: the outbox handler of ``wishes.notice``.

The event carries the history entry's id only. Who is told is read at delivery: the
wisher, and the supporters who asked to be told (a hold entry: only the reader it names;
a hiding: only the wisher). ``wish_notices`` has one row per (entry, reader), so a
redelivered event tells nobody twice.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy.exc import IntegrityError

from shelfwise.circulation.notices import NoticeChannel
from shelfwise.core.clock import Clock
from shelfwise.readers.reading import reader_if_present
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event
from shelfwise.wishes import repo

log = logging.getLogger(__name__)

_WHAT = {
    "status": ("心愿状态已更新：{to}", "Your wish is now: {to}"),
    "answer": ("图书馆回复了心愿", "The library answered the wish"),
    "hidden": ("心愿已被隐藏：{note}", "Your wish was hidden: {note}"),
    "merged": ("心愿已与另一心愿合并", "The wish was merged with another"),
    "joined": ("另一心愿已并入此心愿", "Another wish joined this one"),
    "hold_placed": ("已为您预约到馆的图书", "A hold is placed for you on the new book"),
    "hold_refused": ("未能为您预约：{note}", "No hold could be placed for you: {note}"),
}


def recipients(row: Any, wish: Any, supporters: list[Any]) -> list[int]:
    """Whom one history entry tells, wisher first, each once."""
    if row.kind in ("hold_placed", "hold_refused"):
        return [int(row.reader_id)] if row.reader_id is not None else []
    told: list[int] = []
    if wish.reader_id is not None and wish.notify:
        told.append(int(wish.reader_id))
    if row.kind == "hidden":
        return told
    for s in supporters:
        if s.notify and int(s.reader_id) not in told:
            told.append(int(s.reader_id))
    return told


class WishNoticeHandler:
    def __init__(self, db: Database, clock: Clock, channel: NoticeChannel, library: str) -> None:
        self._db = db
        self._clock = clock
        self._channel = channel
        self._library = library

    def __call__(self, event: Event) -> None:
        history_id = int(event.payload["history_id"])
        with self._db.read() as conn:
            row = repo.history_row(conn, history_id)
            wish = None if row is None else repo.load_wish(conn, row.wish_id)
            if row is None or wish is None:
                return
            readers = [
                (reader_id, reader_if_present(conn, reader_id))
                for reader_id in recipients(row, wish, list(repo.supports_of(conn, wish.id)))
                if not repo.notice_sent(conn, history_id, reader_id)
            ]
        zh, en = _WHAT[row.kind]
        values = {"to": row.to_status or "", "note": row.note or ""}
        body = f"《{wish.title}》\n{zh.format(**values)}\n{en.format(**values)}"
        for reader_id, reader in readers:
            if reader is not None and reader.notices_email and reader.email:
                self._channel.send(reader.email, f"{self._library}: 心愿 / Wish", body)
            try:
                with self._db.write() as conn:
                    repo.record_notice(
                        conn, history_id, reader_id, self._channel.name, self._clock.now()
                    )
            except IntegrityError:
                log.info("wish notice %s for a reader was recorded by another worker", history_id)
