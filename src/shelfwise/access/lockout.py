"""Failed-login counters shared by every door, so a PIN cannot be guessed by switching doors.

A subject names what is being guessed at: ``reader:<card>``, ``staff:<username>``,
``sip2-ip:<address>``. After ``limit`` failures the subject is locked for ``seconds``;
while locked even the right secret is refused (otherwise the lock would only slow an
attacker who already guessed right). A success clears the counter.

The per-card lock does not stop one PIN tried once on each of many cards (PIN
spraying: 1234 on 30 consecutive card numbers opened 7 accounts in 27 s). So every
door also names where a login comes from — its **sources**: ``ip:<address>``,
``sip2-terminal:<name>``, ``api-token:<id>`` — and :meth:`Lockout.source_refused`
and :meth:`Lockout.source_failed` count failures per source across every card and
account (:class:`SourcePolicy`). After ``failures`` of them within ``window_seconds``
the source is refused without a check for ``backoff_seconds``, twice as long each
further time in a row, up to ``backoff_max_seconds``. A success does not clear a
source (an attacker holding one good card could otherwise reset it between guesses);
the window and the backoff's decay do.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
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


def login_sources(
    *, address: str | None = None, terminal: str | None = None, token: str | None = None
) -> list[str]:
    """Where a login comes from, named the same way at every door.

    ``token``: an API token the request carries (an application logging readers in);
    only a digest of it is kept.
    """
    sources = []
    if address:
        sources.append(f"ip:{address}")
    if terminal:
        sources.append(f"sip2-terminal:{terminal}")
    if token:
        sources.append(f"api-token:{hashlib.sha256(token.encode()).hexdigest()[:16]}")
    return sources


@dataclass(frozen=True, slots=True)
class SourcePolicy:
    """How many failed logins one source may have, and how long it is refused after."""

    failures: int = 10  # within the window, across cards and accounts (0: off)
    window_seconds: int = 600
    backoff_seconds: int = 60
    backoff_max_seconds: int = 3600


class Lockout:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        *,
        limit: int,
        seconds: int,
        sources: SourcePolicy | None = None,
    ) -> None:
        self._db = db
        self._clock = clock
        self.limit = limit
        self.seconds = seconds
        self.sources = sources or SourcePolicy()

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

    # --- sources: failures across cards and accounts ---------------------------------

    def source_refused(self, sources: Iterable[str]) -> datetime | None:
        """The end of the refusal of any of ``sources`` (one read), or None."""
        subjects = [subject_key(f"source:{s}") for s in sources]
        if self.sources.failures <= 0 or not subjects:
            return None
        now = self._clock.now()
        with self._db.read() as conn:
            ends = conn.execute(
                select(login_attempts.c.locked_until).where(
                    login_attempts.c.subject.in_(subjects),
                    login_attempts.c.locked_until.is_not(None),
                )
            ).scalars()
            live = [aware(end) for end in ends if aware(end) > now]
        return max(live, default=None)

    def source_failed(self, sources: Iterable[str]) -> datetime | None:
        """Count one failed login against each source; the end of a refusal it started."""
        if self.sources.failures <= 0:
            return None
        now = to_second(self._clock.now())
        started: list[datetime] = []
        for source in sources:
            until = self._counted(partial(self._source_fail, source=source, now=now))
            if until is not None:
                started.append(until)
        return max(started, default=None)

    def _source_fail(self, conn: Connection, *, source: str, now: datetime) -> datetime | None:
        policy = self.sources
        subject = subject_key(f"source:{source}")
        row = conn.execute(
            select(
                login_attempts.c.failures,
                login_attempts.c.locked_until,
                login_attempts.c.updated_at,
            )
            .where(login_attempts.c.subject == subject)
            .with_for_update()
        ).first()
        # updated_at is the start of the source's counting window.
        if row is None:
            conn.execute(insert(login_attempts).values(subject=subject, failures=0, updated_at=now))
            failures, start = 0, now
        elif row.locked_until is not None and aware(row.locked_until) > now:
            return None  # already refused; a refused attempt was not checked
        elif aware(row.updated_at) + timedelta(seconds=policy.window_seconds) <= now:
            failures, start = 0, now
        else:
            failures, start = int(row.failures), aware(row.updated_at)
        failures += 1
        until = None
        if failures >= policy.failures:
            until = now + timedelta(seconds=self._source_backoff(conn, subject + "#locks", now))
            failures, start = 0, now
        conn.execute(
            update(login_attempts)
            .where(login_attempts.c.subject == subject)
            .values(failures=failures, locked_until=until, updated_at=start)
        )
        return until

    def _source_backoff(self, conn: Connection, strikes_subject: str, now: datetime) -> int:
        """Seconds of this refusal: doubled for each refusal in a row (decays after the maximum)."""
        policy = self.sources
        row = conn.execute(
            select(login_attempts.c.failures, login_attempts.c.updated_at)
            .where(login_attempts.c.subject == strikes_subject)
            .with_for_update()
        ).first()
        calm = timedelta(seconds=policy.backoff_max_seconds + policy.window_seconds)
        strikes = 0 if row is None or aware(row.updated_at) + calm <= now else int(row.failures)
        if row is None:
            conn.execute(
                insert(login_attempts).values(subject=strikes_subject, failures=1, updated_at=now)
            )
        else:
            conn.execute(
                update(login_attempts)
                .where(login_attempts.c.subject == strikes_subject)
                .values(failures=strikes + 1, updated_at=now)
            )
        return int(min(policy.backoff_seconds * 2 ** min(strikes, 30), policy.backoff_max_seconds))

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
