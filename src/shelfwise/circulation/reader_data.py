"""What circulation holds of a reader, for the data export (P5) and erasure (P6).

Registered with readers' :class:`~shelfwise.readers.privacy.ReaderRights` at the
composition root. Erasure refuses while loans, fees or a held deposit are open; otherwise
it cancels active holds and cuts every link to the reader, keeping counts only.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation import repo, repo_holds, repo_loans
from shelfwise.circulation.availability import shelf_changed
from shelfwise.circulation.deposits import deposits_of, erase_refunded, held_count
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader


class CirculationReaderData:
    """Loans, holds, fees, deposits, late-return counts and notices of one reader."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock

    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        data: dict[str, Any] = {}
        data["loans"] = [
            {
                "barcode": loan.barcode,
                "record_id": loan.record_id,
                "status": str(loan.status),
                "loaned_at": loan.loaned_at.isoformat(),
                "due_on": loan.due_on.isoformat(),
                "renewals": loan.renewals,
                "returned_at": loan.returned_at.isoformat() if loan.returned_at else None,
            }
            for loan in repo.loans_of(conn, reader.id, open_only=False)
        ]
        data["holds"] = [
            {
                "id": h.id,
                "record_id": h.record_id,
                "status": str(h.status),
                "placed_at": h.placed_at.isoformat(),
                "queue_position": h.queue_position,
            }
            for h in repo.holds_of(conn, reader.id)
        ]
        data["fees"] = [
            {
                "id": f.id,
                "kind": f.kind,
                "status": f.status,
                "amount_cents": f.amount_cents,
                "paid_cents": f.paid_cents,
                "waived_cents": f.waived_cents,
                "created_at": f.created_at.isoformat(),
            }
            for f in repo.fees_of(conn, reader.id)
        ]
        data["deposits"] = [
            {
                "id": d.id,
                "amount_cents": d.amount_cents,
                "status": d.status,
                "method": d.method,
                "note": d.note,
                "created_at": d.created_at.isoformat(),
                "closed_at": d.closed_at.isoformat() if d.closed_at else None,
            }
            for d in deposits_of(conn, reader.id)
        ]
        # What credit borrowing counts, without titles (P1, P2): late returns per month.
        data["late_returns"] = [
            {"month": month.isoformat()[:7], "returns": returns}
            for month, returns in repo.late_returns_of(conn, reader.id)
        ]
        data["notices"] = [
            {"kind": n.kind, "channel": n.channel, "sent_at": n.sent_at.isoformat()}
            for n in repo_loans.notices_of(conn, reader.id)
        ]
        return data

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        open_loans, open_fees = repo.exists_open_for_reader(conn, reader.id)
        if open_loans:
            raise ShelfwiseError("circ.reader_has_loans", count=open_loans)
        if open_fees:
            raise ShelfwiseError("circ.reader_has_fees", count=open_fees)
        held = held_count(conn, reader.id)
        if held:
            raise ShelfwiseError("circ.reader_has_deposit", count=held)
        erase_refunded(conn, reader.id)
        repo.forget_late_returns(conn, reader_id=reader.id)
        total = repo_loans.loan_count_of(conn, reader.id)
        # Copies trapped for the reader's holds go back on the shelf: tell search.
        shelf_changed(conn, self._clock, repo_holds.trapped_records_of_reader(conn, reader.id))
        repo_holds.cancel_active_holds_of(conn, reader.id, at)
        repo_loans.unlink_reader(conn, reader.id)
        return {"loans": total}
