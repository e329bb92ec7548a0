"""Notices to readers (due soon, overdue, hold ready) through a channel interface.

Services write a ``circulation.notice`` event to the outbox inside their
transaction; the relay hands it here after commit. The event carries ids only
(never an address or a title), so a deleted reader leaves nothing behind in
the outbox. The ``notices`` table's unique key makes redelivery harmless.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import timedelta
from email.message import EmailMessage
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from shelfwise.circulation import repo_notices
from shelfwise.circulation.models import Loan
from shelfwise.circulation.notice_templates import NoticeText, written
from shelfwise.circulation.service import NOTICE_TOPIC
from shelfwise.core.clock import Clock
from shelfwise.readers.reading import reader_if_present
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event, enqueue

log = logging.getLogger(__name__)


class NoticeChannel(Protocol):
    name: str

    def send(self, to: str, subject: str, body: str) -> None: ...


@dataclass(slots=True)
class SmtpChannel:
    host: str
    port: int
    sender: str
    username: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 10.0
    name: str = "email"

    def send(self, to: str, subject: str, body: str) -> None:
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = to
        message["Subject"] = subject
        message.set_content(body)
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.username:
                smtp.login(self.username, self.password)
            smtp.send_message(message)


class NoticeHandler:
    """The outbox handler for ``circulation.notice`` events."""

    def __init__(
        self,
        db: Database,
        clock: Clock,
        channel: NoticeChannel,
        library: str,
        languages: tuple[str, ...] = ("zh", "en"),
    ) -> None:
        self._db = db
        self._clock = clock
        self._channel = channel
        self._library = library
        self._languages = languages  # each notice is written in these, in order

    def __call__(self, event: Event) -> None:
        kind = str(event.payload["kind"])
        reader_id = event.payload.get("reader_id")
        dedup = str(event.payload.get("dedup") or f"event:{event.id}")
        if reader_id is None:
            return
        with self._db.read() as conn:
            if repo_notices.sent(conn, dedup):
                return
            reader = reader_if_present(conn, int(reader_id))
            if reader is None:
                return  # the reader was deleted meanwhile
            values = self._values(conn, kind, event.payload)
            text = None if values is None else self._written(conn, kind, reader.name, values)
        # A receipt goes to whoever asked for receipts, a notice to whoever agreed to notices.
        wanted = reader.receipts_email if kind == RECEIPT else reader.notices_email
        if not wanted or not reader.email or text is None:
            return
        self._channel.send(reader.email, f"{self._library}: {text.subject}", text.body)
        try:
            with self._db.write() as conn:
                repo_notices.record_sent(
                    conn,
                    dedup_key=dedup,
                    reader_id=reader.id,
                    kind=kind,
                    channel=self._channel.name,
                    at=self._clock.now(),
                )
        except IntegrityError:
            log.info("notice %s was recorded by another worker", event.id)

    def _values(
        self, conn: Connection, kind: str, payload: dict[str, Any]
    ) -> dict[str, str] | None:
        """What the notice says (None: nothing to say any more), before the language's
        own values (the pickup branch's name) are chosen in :meth:`_written`."""
        if kind == "hold_ready":
            row = repo_notices.hold_notice(conn, int(payload["hold_id"]))
            if row is None or row.status != "ready":
                return None
            return {
                "title": row.title,
                "expires_on": str(row.shelf_expires_on),
                "pickup_code": row.pickup_code or "",
                "branch_zh": row.name_zh,
                "branch_ko": row.name_ko or row.name_zh,
                "branch_en": row.name_en or row.name_zh,
            }
        row = repo_notices.loan_notice(conn, int(payload["loan_id"]))
        if row is None or row.returned_at is not None:
            return None
        return {"title": row.title, "due_on": row.due_on.isoformat(), "barcode": row.barcode}

    def _written(
        self, conn: Connection, kind: str, reader: str, values: dict[str, str]
    ) -> NoticeText:
        common = {"library": self._library, "reader": reader, **values}
        per_language = {
            lang: {**common, "pickup_branch": values.get(_BRANCH_NAME[lang], "")}
            for lang in self._languages
        }
        return written(conn, kind, self._languages, per_language)


_BRANCH_NAME = {"zh": "branch_zh", "zh-Hant": "branch_zh", "ko": "branch_ko", "en": "branch_en"}


RECEIPT = "checkout_receipt"


class Receipts:
    """Checkout receipts by e-mail, for the readers who asked (the ``email_receipts``
    consent). The desk asks after each loan it makes; a kiosk has its own printed slip."""

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def after_checkout(self, loan: Loan) -> bool:
        """Queue the receipt of ``loan`` when its reader asked for receipts by e-mail (the
        notice handler sends it after commit); False when they did not. Keyed by the loan,
        so a replayed checkout sends no second receipt."""
        if loan.reader_id is None:
            return False
        with self._db.read() as conn:
            reader = reader_if_present(conn, loan.reader_id)
        if reader is None or not reader.receipts_email or not reader.email:
            return False
        payload = {"kind": RECEIPT, "loan_id": loan.id, "reader_id": reader.id}
        with self._db.write() as conn:
            enqueue(conn, self._clock, NOTICE_TOPIC, {**payload, "dedup": f"{RECEIPT}:{loan.id}"})
        return True


def enqueue_due_notices(db: Database, clock: Clock, due_soon_days: int) -> int:
    """The daily job: one event per loan due soon or overdue (dedup keys stop repeats)."""
    today = clock.today()
    soon = today + timedelta(days=due_soon_days)
    count = 0
    with db.write() as conn:
        rows = repo_notices.due_by(conn, soon)
        for row in rows:
            kind = "overdue" if row.due_on < today else "due_soon"
            enqueue(
                conn,
                clock,
                NOTICE_TOPIC,
                {
                    "kind": kind,
                    "loan_id": row.id,
                    "reader_id": row.reader_id,
                    "dedup": f"{kind}:{row.id}:{row.due_on.isoformat()}",
                },
            )
            count += 1
    return count
