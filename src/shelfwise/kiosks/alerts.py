"""Kiosk alerts (S-3): ``sip2.alert`` outbox events made visible to the staff.

The SIP2 session puts an ``sip2.alert`` event in the outbox when a login backoff
starts against a terminal account or a source address (someone is guessing a
terminal password, or a kiosk was set up with a wrong one). The relay hands each event
to :meth:`KioskAlerts.handle`, which writes a WARNING log line and one
``kiosk_alerts`` row, shown on the administration page until an administrator
acknowledges it. Delivery is at least once: the row is keyed by the event id, so a
redelivered event adds nothing.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Row, func, select, update
from sqlalchemy.exc import IntegrityError

from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event
from shelfwise.storage.tables import kiosk_alerts

# The logger keeps the name operators filter on (the alerts come from the SIP2 door).
log = logging.getLogger("shelfwise.sip2.alerts")


@dataclass(frozen=True, slots=True)
class KioskAlert:
    id: int
    kind: str
    terminal: str  # the account's name, or "-" when the login named none that exists
    subject: str  # what the backoff holds: sip2-terminal:<name> or sip2-ip:<address>
    peer: str
    failures: int
    until: datetime | None
    raised_at: datetime
    acknowledged_at: datetime | None
    acknowledged_by: str | None


class KioskAlerts:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def handle(self, event: Event) -> None:
        """The outbox handler of ``sip2.alert``: log it and keep it for the staff, once."""
        payload = event.payload
        until = payload.get("until")
        values = {
            "event_id": event.id,
            "kind": str(payload.get("kind", "login_backoff"))[:32],
            "terminal": str(payload.get("terminal", "-"))[:64],
            "subject": str(payload.get("subject", ""))[:160],
            "peer": str(payload.get("ip", ""))[:64],
            "failures": int(payload.get("count", 0)),
            "until": datetime.fromisoformat(until) if isinstance(until, str) else None,
            "raised_at": self._clock.now(),
        }
        try:
            with self._db.write() as conn:
                conn.execute(kiosk_alerts.insert().values(**values))
        except IntegrityError:
            return  # delivered before: the row is there
        log.warning(
            "kiosk alert: %s on %s from %s after %s failed logins, until %s",
            values["kind"],
            values["subject"],
            values["peer"],
            values["failures"],
            until or "-",
            extra={
                "terminal": values["terminal"],
                "peer": values["peer"],
                "alert": True,
                "subject": values["subject"],
            },
        )

    def recent(self, limit: int = 50) -> list[KioskAlert]:
        """Open alerts first, newest first; then the latest acknowledged ones."""
        with self._db.read() as conn:
            rows = conn.execute(
                select(kiosk_alerts)
                .order_by(kiosk_alerts.c.acknowledged_at.is_not(None), kiosk_alerts.c.id.desc())
                .limit(limit)
            ).all()
        return [_alert(r) for r in rows]

    def open_count(self) -> int:
        with self._db.read() as conn:
            return int(
                conn.execute(
                    select(func.count())
                    .select_from(kiosk_alerts)
                    .where(kiosk_alerts.c.acknowledged_at.is_(None))
                ).scalar_one()
            )

    def acknowledge(self, alert_id: int, by: str) -> None:
        """Mark an alert seen by ``by`` (a staff user name); acknowledging twice is harmless."""
        with self._db.write() as conn:
            found = conn.execute(
                select(kiosk_alerts.c.acknowledged_at).where(kiosk_alerts.c.id == alert_id)
            ).first()
            if found is None:
                raise ShelfwiseError("request.not_found")
            if found.acknowledged_at is None:
                conn.execute(
                    update(kiosk_alerts)
                    .where(kiosk_alerts.c.id == alert_id)
                    .values(acknowledged_at=self._clock.now(), acknowledged_by=by[:64])
                )


def _alert(row: Row[tuple[object, ...]]) -> KioskAlert:
    return KioskAlert(
        id=int(row.id),
        kind=row.kind,
        terminal=row.terminal,
        subject=row.subject,
        peer=row.peer,
        failures=int(row.failures),
        until=row.until,
        raised_at=row.raised_at,
        acknowledged_at=row.acknowledged_at,
        acknowledged_by=row.acknowledged_by,
    )
