"""``shelfwise sip2`` alone runs the process's background work (issue 14, done-when 2).

The real command runs in a subprocess, with no HTTP server anywhere: a kiosk checks a
copy in over SIP2, the hold it fills becomes ready, and the hold-ready e-mail reaches
a real SMTP server (aiosmtpd) only if the sip2 process delivers its outbox. A hold left
on the shelf past its expiry (prepared a month ago) is expired by the same process's
scheduler. Both are awaited with a deadline, never a fixed sleep.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sip2_server_helpers import INSTITUTION, TD, Kiosk, make_library
from sqlalchemy import text

from shelfwise.app import build
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.testing.mail import Inbox, smtp_server
from shelfwise.testing.processes import running, settings_env

FAST_HASHES = {"password_hash_time_cost": "1", "password_hash_memory_kib": "8192"}


def _settings(data_dir: Path, database_url: str, smtp_port: int) -> dict[str, str]:
    return {
        "data_dir": str(data_dir),
        "database_url": database_url,
        "smtp_host": "127.0.0.1",
        "smtp_port": str(smtp_port),
        "sip2_host": "127.0.0.1",
        "sip2_port": "0",  # any free port: the command prints the one it got
        "sip2_tls_port": "-1",
        **FAST_HASHES,
    }


def _prepare(settings: Settings, tmp: Path, month_ago: datetime) -> tuple[int, str]:
    """A month ago: a hold became ready (its shelf expiry long passed) and a copy went out
    on loan with a hold waiting for it. Returns the stale hold's id and the loaned barcode."""
    services = build(settings, clock=FrozenClock(month_ago))
    try:
        library = make_library(services, tmp)
        circ = services.circulation
        borrower = library.reader("借书人")
        stale_holder = library.reader("忘了取书", email="stale@example.org")
        holder = library.reader("预约人", email="holder@example.org")
        (stale_copy,) = library.title("三体")
        (copy,) = library.title("球状闪电")
        stale_record = services.catalogue.get_item(stale_copy).record_id
        record = services.catalogue.get_item(copy).record_id
        circ.checkout(borrower, stale_copy, "CEN", actor=SYSTEM)
        stale = circ.place_hold(stale_holder, stale_record, "CEN", actor=SYSTEM)
        circ.checkin(stale_copy, "CEN", actor=SYSTEM)  # ready a month ago, never collected
        circ.checkout(borrower, copy, "CEN", actor=SYSTEM)
        circ.place_hold(holder, record, "CEN", actor=SYSTEM)
        # What the month-old check-in queued is delivered: only the kiosk's notice is awaited.
        with services.db.write() as conn:
            conn.execute(text("UPDATE outbox SET delivered_at = created_at"))
        return stale.id, copy
    finally:
        services.close()


def _hold_status(settings: Settings, hold_id: int) -> str:
    services = build(settings, migrate_db=False)
    try:
        with services.db.read() as conn:
            status = conn.execute(text("SELECT status FROM holds WHERE id = :i"), {"i": hold_id})
            return str(status.scalar_one())
    finally:
        services.close()


def _to(inbox: Inbox, address: str) -> list[str]:
    return [str(m["Subject"]) for m in inbox.messages if m["To"] == address]


def test_sip2_alone_delivers_hold_ready_notices_and_expires_holds(
    database_url: str, tmp_path: Path
) -> None:
    with smtp_server() as (inbox, smtp_port):
        values = _settings(tmp_path / "data", database_url, smtp_port)
        settings = Settings.load(values, environ={})
        month_ago = datetime.now(UTC) - timedelta(days=30)
        stale_hold, copy = _prepare(settings, tmp_path, month_ago)
        assert _hold_status(settings, stale_hold) == "ready"
        env = settings_env(values)
        with running(["sip2"], env, tmp_path / "sip2.log") as sip2:
            port = int(sip2.line_starting("SIP2 plain").rsplit(":", 1)[1])
            with Kiosk(port) as kiosk:
                assert kiosk.login().fixed["ok"] == "1"
                fixed = {"no_block": "N", "transaction_date": TD, "return_date": TD}
                fields = [("AP", "desk-1"), ("AO", INSTITUTION), ("AB", copy), ("AC", "")]
                back = kiosk.ask("09", fixed, fields)
                assert (back.command, back.fixed["ok"]) == ("10", "1")
            sip2.wait_for(lambda: bool(_to(inbox, "holder@example.org")), "hold-ready e-mail")
            sip2.wait_for(
                lambda: _hold_status(settings, stale_hold) == "expired",
                "expiry of the hold left on the shelf",
            )
        (subject,) = _to(inbox, "holder@example.org")
        assert _to(inbox, "stale@example.org") == []  # the month-old notice was not resent
        assert subject
