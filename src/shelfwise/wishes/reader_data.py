"""What the wish wall holds of a reader, for the data export (P5) and erasure (P6).

The export: their wishes (with the display name they chose) and their supports and
reports. The erasure anonymises: each wish stays on the wall under a placeholder name,
without the reader; supports and reports lose the link (the counts stay on the wishes).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.readers.models import Reader
from shelfwise.wishes import repo
from shelfwise.wishes.service import ERASED_NAME


class WishReaderData:
    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        wishes = [
            {
                "id": int(r.id),
                "kind": r.kind,
                "title": r.title,
                "author": r.author,
                "isbn": r.isbn,
                "reason": r.reason,
                "display_name": r.display_name,
                "branch": r.branch_code,
                "status": r.status,
                "moderation": r.moderation,
                "created_at": r.created_at.isoformat(),
            }
            for r in repo.wishes_of_reader(conn, reader.id)
        ]
        supports = [
            {
                "wish_id": int(s.wish_id),
                "notify": bool(s.notify),
                "wants_hold": bool(s.wants_hold),
                "at": s.created_at.isoformat(),
            }
            for s in repo.supports_of_reader(conn, reader.id)
        ]
        return {"wish_wall": {"wishes": wishes, "supports": supports}}

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        return {"wishes": repo.forget_reader(conn, reader.id, ERASED_NAME, at)}
