"""The injected clock, and the library's own calendar day.

Nothing in Shelfwise reads the system time directly: due dates, fines, outbox
delivery and the scheduler all ask a :class:`Clock`, so tests move time on
instead of sleeping. Timestamps are UTC and truncated to the second, the
precision OAI-PMH and the database agree on.

Days are the library's, not UTC's: a book lent at 07:00 in Shenyang is lent on
that local date, although it is still the day before in UTC. So every clock
also knows the library's time zone (setting ``library_timezone``) and answers
:meth:`Clock.today`; due dates, closed days, fines, notices and hold expiry
are computed from it, never from ``now().date()``.
"""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, timedelta, tzinfo
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_ZONE_NAME = "Asia/Shanghai"
DEFAULT_ZONE = ZoneInfo(DEFAULT_ZONE_NAME)


class Clock(Protocol):
    @property
    def zone(self) -> tzinfo:
        """The library's time zone."""
        ...

    def now(self) -> datetime:
        """The current time, timezone-aware UTC, whole seconds."""
        ...

    def today(self) -> date:
        """The library's local date now."""
        ...


def to_second(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous; pass an aware UTC datetime")
    return moment.astimezone(UTC).replace(microsecond=0)


def zone_named(name: str) -> ZoneInfo:
    """The IANA zone ``name`` (``Asia/Shanghai``); a clear ``ValueError`` when unknown."""
    try:
        return ZoneInfo(name.strip())
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(
            f"unknown time zone {name!r} (an IANA name such as Asia/Shanghai)"
        ) from exc


class _LocalDay:
    """What every clock derives from ``now()`` and its zone."""

    _zone: tzinfo

    @property
    def zone(self) -> tzinfo:
        return self._zone

    def now(self) -> datetime:  # pragma: no cover - every clock overrides it
        raise NotImplementedError

    def today(self) -> date:
        return self.now().astimezone(self._zone).date()


class SystemClock(_LocalDay):
    def __init__(self, zone: tzinfo = DEFAULT_ZONE) -> None:
        self._zone = zone

    def now(self) -> datetime:
        return datetime.now(UTC).replace(microsecond=0)


class FrozenClock(_LocalDay):
    """A clock for tests and replays: it moves only when told to."""

    def __init__(self, start: datetime, zone: tzinfo = DEFAULT_ZONE) -> None:
        self._now = to_second(start)
        self._lock = threading.Lock()
        self._zone = zone

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


class ZonedClock(_LocalDay):
    """Another clock's time, in the library's zone (the composition root's view of a
    clock handed in from outside, such as a test's :class:`FrozenClock`)."""

    def __init__(self, base: Clock, zone: tzinfo) -> None:
        self._base = base
        self._zone = zone

    def now(self) -> datetime:
        return self._base.now()


def in_zone(clock: Clock, zone: tzinfo) -> Clock:
    """``clock`` itself when it already keeps ``zone``, else a view of it that does."""
    return clock if clock.zone == zone else ZonedClock(clock, zone)
