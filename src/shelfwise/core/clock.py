"""The injected clock.

Nothing in Shelfwise reads the system time directly: due dates, fines, outbox
delivery and the scheduler all ask a :class:`Clock`, so tests move time on
instead of sleeping. Timestamps are UTC and truncated to the second, the
precision OAI-PMH and the database agree on.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware UTC, whole seconds."""
        ...


def to_second(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return moment.astimezone(UTC).replace(microsecond=0)


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


class FrozenClock:
    """A clock for tests and replays: it moves only when told to."""

    def __init__(self, start: datetime) -> None:
        self._now = to_second(start)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, delta: timedelta) -> datetime:
        with self._lock:
            self._now = to_second(self._now + delta)
            return self._now

    def set(self, moment: datetime) -> None:
        with self._lock:
            self._now = to_second(moment)
