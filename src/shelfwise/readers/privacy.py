"""What readers hold of a reader, for the reader's data export (P5) and erasure (P6).

Called inside the transaction of the whole export or erasure, after the domains above
readers have exported or unlinked what they hold.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.readers import repo
from shelfwise.readers.models import Reader


def export_profile(conn: Connection, reader: Reader) -> dict[str, Any]:
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


def erase(conn: Connection, reader: Reader, *, loans: int, at: datetime) -> None:
    """Remove every row of the reader, keeping only counts (the caller unlinked the rest)."""
    repo.delete_reader(conn, reader.id)
    repo.insert_deletion(conn, category=reader.category, loans=loans, at=at)
