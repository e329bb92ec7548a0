"""What access holds of a reader, for the data export (P5) and erasure (P6).

A reader's login sessions and API tokens: stored as SHA-256 digests only, so the export
shows nothing of them (a digest tells the reader nothing and is no one's business); the
erasure deletes them. The audit trail stays: it holds ids and field names, never values.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.access import repo
from shelfwise.readers.models import Reader


class AccessReaderData:
    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        return {}

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        repo.delete_reader_tokens(conn, reader.id)
        return {}
