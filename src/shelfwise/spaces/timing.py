"""Slots and opening hours in the library's zone: pure functions over aware datetimes.

Bookings are stored in UTC; the rules speak of the library's wall clock (Asia/Shanghai
by default, no daylight saving): a slot starts on a multiple of the slot length after
local midnight, and a room is open when the branch calendar's hours of that local day
cover the slot. An all-day (24-hour) room is open round the clock except on the
branch's closed dates, so one booking may run across midnight.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, tzinfo

from shelfwise.circulation.rules import Calendar


def on_boundary(moment: datetime, zone: tzinfo, minutes: int) -> bool:
    local = moment.astimezone(zone)
    return local.second == 0 and local.microsecond == 0 and _minute(local) % minutes == 0


def floor_slot(moment: datetime, zone: tzinfo, minutes: int) -> datetime:
    """The start of the slot ``moment`` falls in (UTC)."""
    local = moment.astimezone(zone).replace(second=0, microsecond=0)
    local -= timedelta(minutes=_minute(local) % minutes)
    return local.astimezone(UTC)


def slot_starts(starts_at: datetime, ends_at: datetime, minutes: int) -> list[datetime]:
    step = timedelta(minutes=minutes)
    out, at = [], starts_at.astimezone(UTC)
    while at < ends_at:
        out.append(at)
        at += step
    return out


def closed_slot(
    calendar: Calendar, all_day: bool, starts: list[datetime], zone: tzinfo, minutes: int
) -> datetime | None:
    """The first of ``starts`` when the room is not open for the whole slot, else None."""
    for start in starts:
        local = start.astimezone(zone)
        if all_day:
            if local.date() in calendar.closed_days:
                return start
            continue
        spans = calendar.hours_on(local.date()) or ()
        begin = _minute(local)
        if not any(h.opens <= begin and begin + minutes <= h.closes for h in spans):
            return start
    return None


def closing_after(
    calendar: Calendar, all_day: bool, start: datetime, zone: tzinfo, minutes: int, limit: int
) -> datetime:
    """The end of the longest open run from ``start``, at most ``limit`` minutes long."""
    end = start
    for k in range(limit // minutes):
        slot = start + timedelta(minutes=k * minutes)
        if closed_slot(calendar, all_day, [slot], zone, minutes) is not None:
            break
        end = slot + timedelta(minutes=minutes)
    return end


def local_day_bounds(moment: datetime, zone: tzinfo) -> tuple[datetime, datetime]:
    """UTC start and end of the library's local day ``moment`` falls in."""
    local = moment.astimezone(zone)
    start = datetime(local.year, local.month, local.day, tzinfo=zone)
    end = start + timedelta(days=1)
    return start.astimezone(UTC), end.astimezone(UTC)


def minutes_within(starts_at: datetime, ends_at: datetime, lo: datetime, hi: datetime) -> int:
    overlap = min(ends_at, hi) - max(starts_at, lo)
    return max(0, int(overlap.total_seconds() // 60))


def _minute(local: datetime) -> int:
    return local.hour * 60 + local.minute
