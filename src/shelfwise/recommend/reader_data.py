"""What the recommend domain holds of a reader, for the export (P5) and erasure (P6):
the borrowings kept while they consented. Pairs and models hold no reader."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.readers.models import Reader
from shelfwise.recommend import repo


class RecommendReaderData:
    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        return {
            "recommendation_borrowings": [
                {"record_id": record_id, "last_borrowed_on": day.isoformat()}
                for record_id, day in repo.borrowings_of(conn, reader.id)
            ]
        }

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        repo.forget_readers(conn, [reader.id])
        return {}
