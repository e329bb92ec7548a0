"""A reader's data rights: the export of everything held about them (P5) and erasure (P6).

Readers do not know which domains hold something of a reader. Each domain registers a
:class:`ReaderDataHook` at the composition root (circulation, access, and any later one),
so a new domain joins the export and the erasure without another domain knowing it.
Both run in one transaction: a hook that refuses (circulation, while loans are open)
undoes whatever the others did.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from datetime import datetime
from typing import Any, Protocol

from sqlalchemy import Connection
from sqlalchemy.exc import IntegrityError

from shelfwise.core.clock import Clock
from shelfwise.readers import repo
from shelfwise.readers.models import Reader
from shelfwise.readers.reading import lock_reader
from shelfwise.storage.database import Database


class ReaderDataHook(Protocol):
    """What one domain holds of a reader."""

    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        """The domain's part of the export: JSON-able data under keys of its own."""
        ...

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        """Delete or unlink what the domain holds of the reader (raise to refuse: nothing
        is erased then); return the counts to keep (``loans``: how many loans they had)."""
        ...


class ReaderRights:
    """The export and erasure of a reader's data across every registered domain.

    Exports come in registration order after readers' own (profile, consents); erasure
    runs the hooks the other way round, later domains first since they refer to earlier
    ones, and removes the reader itself last, leaving counts only.
    """

    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock
        self._hooks: list[ReaderDataHook] = []

    def register(self, hook: ReaderDataHook) -> None:
        self._hooks.append(hook)

    def export(self, card_number: str) -> dict[str, Any]:
        """Everything held about the reader (P5), as JSON-able data."""
        with self._db.read() as conn:
            reader = lock_reader(conn, card_number)
            data = _own_data(conn, reader)
            for hook in self._hooks:
                data.update(hook.export(conn, reader))
            return data

    def erase(self, card_number: str) -> None:
        """P6: every registered domain erases or refuses; then the reader goes, leaving counts."""
        now = self._clock.now()
        with self._db.write() as conn:
            reader = lock_reader(conn, card_number)
            kept: Counter[str] = Counter()
            for hook in reversed(self._hooks):
                kept.update(hook.erase(conn, reader, now))
            try:
                repo.delete_reader(conn, reader.id)
            except IntegrityError as exc:  # pragma: no cover - a domain registered no hook
                raise RuntimeError("a table still refers to the reader") from exc
            repo.insert_deletion(conn, category=reader.category, loans=kept["loans"], at=now)


def _own_data(conn: Connection, reader: Reader) -> dict[str, Any]:
    profile = {
        "card_number": reader.card_number,
        "category": reader.category,
        "status": str(reader.status),
        "name": reader.name,
        "email": reader.email,
        "phone": reader.phone,
        "birth_year": reader.birth_year,
        "id_card_last4": reader.id_card_last4,
        "expires_on": reader.expires_on.isoformat(),
        "block": reader.manual_block,
        "reading_history": reader.history_opt_in,
        "email_notices": reader.notices_email,
        "email_receipts": reader.receipts_email,
        "recommendations": reader.recommend_opt_in,
        "registered_at": reader.created_at.isoformat(),
    }
    consents = [
        {
            "purpose": c.purpose,
            "granted": c.granted,
            "notice_version": c.notice_version,
            "at": c.at.isoformat(),
        }
        for c in repo.consents(conn, reader.id)
    ]
    return {"profile": profile, "consents": consents}
