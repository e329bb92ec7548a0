"""SIP2 terminal accounts: who may log in with 93, from where, and what they may ask (S-2).

Passwords are stored as Argon2id hashes (the readers' :class:`SecretHasher`);
a terminal is tied to a branch (its checkouts and checkins happen there), an
institution id (AO) and optionally a location code (CP), a list of source
networks, a list of allowed requests, a list of personal fields it may
receive, and whether it may send offline (no_block) transactions. Statistics (transactions, failures, last seen) are counters on the
same row, added to by the server when a session ends.
"""

from __future__ import annotations

import ipaddress
import os
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update

from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.kiosks.charsets import resolve_encoding
from shelfwise.readers.security import SecretHasher
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue
from shelfwise.storage.tables import branches, sip2_terminals

# BX supported-messages positions, each named by its request command (the Guide's BX field):
# the requests an account may be allowed, and the order the SIP2 door advertises them in.
BX_POSITIONS = (
    "23", "11", "09", "01", "99", "97", "93", "63",
    "35", "37", "17", "19", "25", "15", "29", "65",
)  # fmt: skip

# Personal fields a terminal may be allowed beyond the default (masked name, counts):
# AE = the full name instead of a masked one, BE = e-mail, BF = phone, BD = address.
PERSONAL_FIELDS = ("AE", "BE", "BF", "BD")
LANGUAGES = ("zh", "ko", "en")
ALERT_TOPIC = "sip2.alert"
# Issue 21: one per session's counters added (its terminal, branch, local day, transactions
# and failed messages), for the terminals' health on the dashboards.
SESSION_TOPIC = "kiosks.session"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# A live session trusts what it last read of its terminal's enabled flag until the change
# stamp moves (set_enabled in any process sharing the data folder) or this long has passed
# (a row changed outside Shelfwise, straight in the database).
ENABLED_RECHECK_SECONDS = 1.0
_monotonic = time.monotonic  # a name of this module's own, so a test can stop its clock


@dataclass(frozen=True, slots=True)
class Terminal:
    id: int
    name: str
    branch_id: int
    branch_code: str
    institution: str
    location: str | None
    networks: tuple[Network, ...]
    messages: frozenset[str]  # empty = every supported request
    fields: frozenset[str]
    charset: str
    lenient: bool
    language: str
    require_pin: bool
    allow_offline: bool  # may send no_block (offline) checkouts and check-ins (S-8)
    enabled: bool
    transactions: int
    failures: int
    last_seen_at: datetime | None

    def allows_address(self, address: str) -> bool:
        if not self.networks:
            return True
        try:
            ip = ipaddress.ip_address(address)
        except ValueError:
            return False
        return any(ip in network for network in self.networks)

    def allows(self, command: str) -> bool:
        return not self.messages or command in self.messages


def parse_networks(text: str) -> tuple[Network, ...]:
    """Comma-separated CIDRs (``10.8.0.0/24, 127.0.0.1``); raises ValueError on a bad one."""
    return tuple(
        ipaddress.ip_network(p.strip(), strict=False) for p in text.split(",") if p.strip()
    )


def _words(text: str) -> frozenset[str]:
    return frozenset(p.strip() for p in text.split(",") if p.strip())


class ChangeStamp:
    """A file every process sharing the data folder can stat (~1 µs, against a database
    read per SIP2 message): rewritten (a new file renamed over it) after each change of
    a terminal's enabled flag, so a live session notices the change at its next message.
    ``None`` (no data folder): a stamp that never matches, so every message reads."""

    def __init__(self, path: Path | None) -> None:
        self._path = path

    def read(self) -> tuple[int, int, int] | None:
        if self._path is None:
            return None
        try:
            found = os.stat(self._path)
        except FileNotFoundError:
            return (0, 0, 0)
        return (found.st_ino, found.st_mtime_ns, found.st_size)

    def bump(self) -> None:
        if self._path is None:
            return
        self._path.parent.mkdir(parents=True, exist_ok=True)
        fresh = self._path.with_name(f"{self._path.name}.{os.getpid()}.tmp")
        fresh.write_text(f"{time.time_ns()} {os.getpid()}\n", encoding="ascii")
        os.replace(fresh, self._path)  # a new inode: the stamp differs even at coarse mtimes


class EnabledCheck:
    """One connection's question "is my terminal still enabled?", asked at every message:
    answered from its last read while the change stamp is unchanged and that read is
    younger than ``ENABLED_RECHECK_SECONDS``, else read again."""

    def __init__(self, service: TerminalService, terminal_id: int) -> None:
        self.terminal_id = terminal_id
        self._service = service
        self._stamp: tuple[int, int, int] | None = None
        self._until = 0.0

    def __call__(self) -> bool:
        stamp = self._service.stamp.read()  # before the read: a later change moves it
        now = _monotonic()
        if stamp is not None and stamp == self._stamp and now < self._until:
            return True
        enabled = self._service.is_enabled(self.terminal_id)
        self._stamp, self._until = (stamp, now + ENABLED_RECHECK_SECONDS) if enabled else (None, 0)
        return enabled


class TerminalService:
    def __init__(
        self, db: Database, clock: Clock, hasher: SecretHasher, stamp: ChangeStamp | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self._hasher = hasher
        self.stamp = stamp or ChangeStamp(None)

    def create(
        self,
        *,
        name: str,
        password: str,
        branch: str,
        institution: str,
        location: str | None = None,
        networks: str = "",
        messages: str = "",
        fields: str = "",
        charset: str = "utf-8",
        lenient: bool = False,
        language: str = "zh",
        require_pin: bool = True,
        allow_offline: bool = False,
    ) -> Terminal:
        """Add a terminal account, or replace the settings and password of one with that name."""
        values = self._validated(
            password=password,
            institution=institution,
            location=location,
            networks=networks,
            messages=messages,
            fields=fields,
            charset=charset,
            lenient=lenient,
            language=language,
            require_pin=require_pin,
            allow_offline=allow_offline,
        )
        with self._db.write() as conn:
            branch_id = conn.execute(
                select(branches.c.id).where(branches.c.code == branch)
            ).scalar_one_or_none()
            if branch_id is None:
                raise ShelfwiseError("request.invalid", detail=f"no branch {branch}")
            values["branch_id"] = branch_id
            existing = conn.execute(
                select(sip2_terminals.c.id).where(sip2_terminals.c.name == name)
            ).scalar_one_or_none()
            if existing is None:
                conn.execute(
                    insert(sip2_terminals).values(
                        name=name, created_at=self._clock.now(), enabled=1, **values
                    )
                )
            else:
                conn.execute(
                    update(sip2_terminals).where(sip2_terminals.c.id == existing).values(**values)
                )
        terminal = self.get(name)
        assert terminal is not None
        return terminal

    def _validated(self, **given: Any) -> dict[str, Any]:
        if len(str(given["password"])) < 8:
            raise ShelfwiseError(
                "request.invalid", detail="terminal password: 8 characters or more"
            )
        try:
            parse_networks(given["networks"])
            resolve_encoding(given["charset"])
        except ValueError as exc:
            raise ShelfwiseError("request.invalid", detail=str(exc)) from exc
        unknown = (_words(given["messages"]) - set(BX_POSITIONS)) | (
            _words(given["fields"]) - set(PERSONAL_FIELDS)
        )
        if unknown or given["language"] not in LANGUAGES:
            bad = ", ".join(sorted(unknown)) or given["language"]
            raise ShelfwiseError("request.invalid", detail=f"not allowed here: {bad}")
        return {
            "password_hash": self._hasher.hash(given["password"]),
            "institution": given["institution"],
            "location": given["location"] or None,
            "networks": given["networks"],
            "messages": given["messages"],
            "fields": given["fields"],
            "charset": given["charset"],
            "lenient": int(given["lenient"]),
            "language": given["language"],
            "require_pin": int(given["require_pin"]),
            "allow_offline": int(given["allow_offline"]),
        }

    def set_enabled(self, name: str, enabled: bool) -> Terminal:
        """Enable or disable a terminal account. A disabled one cannot log in, and a live
        session of it is refused at its next message (:meth:`is_enabled`)."""
        with self._db.write() as conn:
            changed = conn.execute(
                update(sip2_terminals)
                .where(sip2_terminals.c.name == name)
                .values(enabled=int(enabled))
            ).rowcount
        if not changed:
            raise ShelfwiseError("sip2.unknown_terminal", name=name)
        self.stamp.bump()  # after the commit: live sessions read the flag again
        terminal = self.get(name)
        assert terminal is not None
        return terminal

    def enabled_check(self, terminal_id: int) -> EnabledCheck:
        """For a live session: whether its terminal is still enabled, read again only
        after a change (:class:`ChangeStamp`) or ``ENABLED_RECHECK_SECONDS``."""
        return EnabledCheck(self, terminal_id)

    def is_enabled(self, terminal_id: int) -> bool:
        """Whether the account is still enabled, read from the database (another process
        — the CLI, the web server — may have disabled it): one prebuilt statement, no
        transaction around it."""
        with self._db.peek() as conn:
            enabled = conn.execute(_ENABLED, {"terminal_id": terminal_id}).scalar_one_or_none()
        return bool(enabled)

    def get(self, name: str) -> Terminal | None:
        with self._db.read() as conn:
            row = conn.execute(_query().where(sip2_terminals.c.name == name)).first()
        return None if row is None else _terminal(row)

    def all(self) -> list[Terminal]:
        with self._db.read() as conn:
            rows = conn.execute(_query().order_by(sip2_terminals.c.name)).all()
        return [_terminal(r) for r in rows]

    def login(self, name: str, password: str) -> Terminal | None:
        """The enabled terminal with this name and password, else None (same time either way)."""
        with self._db.read() as conn:
            row = conn.execute(_query().where(sip2_terminals.c.name == name)).first()
        stored = None if row is None else str(row.password_hash)
        if not self._hasher.verify(stored, password) or row is None or not row.enabled:
            return None
        return _terminal(row)

    def alert(self, payload: dict[str, object]) -> None:
        """An ``sip2.alert`` event in the outbox (a login backoff started, S-3); delivered
        to the staff's kiosk alerts by :class:`shelfwise.kiosks.alerts.KioskAlerts`."""
        with self._db.write() as conn:
            enqueue(conn, self._clock, ALERT_TOPIC, payload)

    def record(self, terminal_id: int, *, transactions: int, failures: int) -> None:
        """Add a session's counters to the terminal's statistics, and tell the statistics'
        daily counters (:data:`SESSION_TOPIC`) in the same transaction."""
        with self._db.write() as conn:
            found = conn.execute(
                update(sip2_terminals)
                .where(sip2_terminals.c.id == terminal_id)
                .values(
                    transactions=sip2_terminals.c.transactions + transactions,
                    failures=sip2_terminals.c.failures + failures,
                    last_seen_at=self._clock.now(),
                )
                .returning(sip2_terminals.c.name, sip2_terminals.c.branch_id)
            ).first()
            if found is not None and (transactions or failures):
                payload = {
                    "terminal": found.name,
                    "branch_id": int(found.branch_id),
                    "day": self._clock.today().isoformat(),
                    "transactions": transactions,
                    "failures": failures,
                }
                enqueue(conn, self._clock, SESSION_TOPIC, payload)


# Built once: building and keying the expression cost as much as running it.
_ENABLED = select(sip2_terminals.c.enabled).where(sip2_terminals.c.id == bindparam("terminal_id"))


def _query() -> Any:
    return select(sip2_terminals, branches.c.code.label("branch_code")).join(
        branches, branches.c.id == sip2_terminals.c.branch_id
    )


def _terminal(row: Row[Any]) -> Terminal:
    return Terminal(
        id=int(row.id),
        name=row.name,
        branch_id=int(row.branch_id),
        branch_code=row.branch_code,
        institution=row.institution,
        location=row.location,
        networks=parse_networks(row.networks),
        messages=_words(row.messages),
        fields=_words(row.fields),
        charset=row.charset,
        lenient=bool(row.lenient),
        language=row.language,
        require_pin=bool(row.require_pin),
        allow_offline=bool(row.allow_offline),
        enabled=bool(row.enabled),
        transactions=int(row.transactions),
        failures=int(row.failures),
        last_seen_at=row.last_seen_at,
    )
