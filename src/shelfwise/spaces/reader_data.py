"""What spaces hold of a reader, for the data export (P5) and erasure (P6): their
bookings (which seat, when, what became of it). Erasure deletes them with their slots;
no count is kept. Visit counts name nobody and stay."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.readers.models import Reader
from shelfwise.spaces import repo


class SpacesReaderData:
    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        held = repo.reader_bookings(conn, reader.id, ends_after=datetime(1970, 1, 2, tzinfo=UTC))
        return {
            "space_bookings": [
                {
                    "branch": b.branch,
                    "room": b.room_name,
                    "unit": b.unit_code,
                    "starts_at": b.starts_at.isoformat(),
                    "ends_at": b.ends_at.isoformat(),
                    "state": b.state,
                }
                for b in held
            ]
        }

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        del at  # bookings go whatever their time
        repo.delete_reader_bookings(conn, reader.id)
        return {}
