"""Failed-login counters shared by every door, so a PIN cannot be guessed by switching doors.

A subject names what is being guessed at: ``reader:<card>``, ``staff:<username>``,
``sip2-ip:<address>``. After ``limit`` failures the subject is locked for ``seconds``;
while locked even the right secret is refused (otherwise the lock would only slow an
attacker who already guessed right). A success clears the counter.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import TypeVar

from sqlalchemy import Connection, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from shelfwise.core.clock import Clock, to_second
from shelfwise.storage.database import Database
from shelfwise.storage.tables import login_attempts

T = TypeVar("T")


_SUBJECT_MAX = 128


def subject_key(subject: str) -> str:
    """The stored key of a subject: as given when it fits, else a digest.

    Subjects carry what a client typed (a card number, a user name), which may hold
    a NUL byte that PostgreSQL text cannot store, or be longer than the column.
    """
    if len(subject) <= _SUBJECT_MAX and subject.isprintable():
        return subject
    kind = subject.split(":", 1)[0][:32]
    return f"{kind}:sha256:{hashlib.sha256(subject.encode('utf-8', 'surrogatepass')).hexdigest()}"


class Lockout:
    def __init__(self, db: Database, clock: Clock, *, limit: int, seconds: int) -> None:
        self._db = db
        self._clock = clock
        self.limit = limit
        self.seconds = seconds

    def locked_until(self, subject: str) -> datetime | None:
        """When the lock on ``subject`` ends, or None if it is not locked now."""
        subject = subject_key(subject)
        if self.limit <= 0:
            return None
        with self._db.read() as conn:
            until = conn.execute(
                select(login_attempts.c.locked_until).where(login_attempts.c.subject == subject)
            ).scalar_one_or_none()
        return until if until is not None and aware(until) > self._clock.now() else None

    def fail(
        self, subject: str, *, limit: int | None = None, seconds: int | None = None
    ) -> datetime | None:
        """Count one failure; returns the end of the lock if this failure started one."""
        subject = subject_key(subject)
        limit = self.limit if limit is None else limit
        seconds = self.seconds if seconds is None else seconds
        if limit <= 0:
            return None
        now = to_second(self._clock.now())
        return self._counted(lambda conn: self._fail(conn, subject, limit, seconds, now))

    def _fail(
        self, conn: Connection, subject: str, limit: int, seconds: int, now: datetime
    ) -> datetime | None:
        row = conn.execute(
            select(login_attempts.c.failures, login_attempts.c.locked_until)
            .where(login_attempts.c.subject == subject)
            .with_for_update()
        ).first()
        if row is None:
            conn.execute(insert(login_attempts).values(subject=subject, failures=0, updated_at=now))
            failures = 0
        elif row.locked_until is not None and aware(row.locked_until) > now:
            return aware(row.locked_until)
        else:
            failures = int(row.failures)
        failures += 1
        until = now + timedelta(seconds=seconds) if failures >= limit else None
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.subject == subject)
            .values(failures=0 if until else failures, locked_until=until, updated_at=now)
        )
        return until

    def throttle(self, subject: str, *, limit: int, seconds: int) -> datetime | None:
        """Count one use of ``subject`` in a fixed window of ``seconds``.

        Returns None while the window holds fewer than ``limit`` uses (this one
        counted), else the end of the window: the caller refuses without doing the work.
        """
        subject = subject_key(subject)
        if limit <= 0:
            return None
        now = to_second(self._clock.now())
        return self._counted(lambda conn: self._throttle(conn, subject, limit, seconds, now))

    def _throttle(
        self, conn: Connection, subject: str, limit: int, seconds: int, now: datetime
    ) -> datetime | None:
        row = conn.execute(
            select(login_attempts.c.failures, login_attempts.c.updated_at)
            .where(login_attempts.c.subject == subject)
            .with_for_update()
        ).first()
        # updated_at is the window's start here: it moves only when a new window opens.
        if row is None:
            conn.execute(insert(login_attempts).values(subject=subject, failures=1, updated_at=now))
            return None
        start = aware(row.updated_at)
        if start + timedelta(seconds=seconds) <= now:
            conn.execute(
                update(login_attempts)
                .where(login_attempts.c.subject == subject)
                .values(failures=1, updated_at=now)
            )
            return None
        if int(row.failures) >= limit:
            return start + timedelta(seconds=seconds)
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.subject == subject)
            .values(failures=int(row.failures) + 1)
        )
        return None

    def _counted(self, work: Callable[[Connection], T]) -> T:
        """Run a counter update in a write transaction, once more after a lost insert race.

        The subject's row is read ``FOR UPDATE`` (PostgreSQL; SQLite has one writer), so
        concurrent failures are each counted instead of overwriting one another; two first
        failures that both found no row both insert it, and the loser, retried, finds it.
        """
        try:
            with self._db.write() as conn:
                return work(conn)
        except IntegrityError:
            with self._db.write() as conn:
                return work(conn)

    def succeed(self, subject: str) -> None:
        subject = subject_key(subject)
        with self._db.write() as conn:
            conn.execute(delete(login_attempts).where(login_attempts.c.subject == subject))

    def failures(self, subject: str) -> int:
        subject = subject_key(subject)
        with self._db.read() as conn:
            value = conn.execute(
                select(login_attempts.c.failures).where(login_attempts.c.subject == subject)
            ).scalar_one_or_none()
        return int(value or 0)


def aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)
