"""What events hold of a reader, for the data export (P5) and erasure (P6): their
registrations. Erasure deletes them, giving their places back to the waitlist's counter
(the promotion of the next in line happens at the next cancellation or capacity change:
erasure must not mail other readers from inside someone else's transaction)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.events import repo
from shelfwise.readers.models import Reader


class EventsReaderData:
    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        return {
            "event_registrations": [
                {
                    "event": repo.event(conn, r.event_id).title,
                    "state": r.state,
                    "registered_at": r.created_at.isoformat(),
                }
                for r in repo.reader_registrations(conn, reader.id)
            ]
        }

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        del at
        for event_id in repo.delete_reader_registrations(conn, reader.id):
            repo.add_registered(conn, event_id, -1)
        return {}
