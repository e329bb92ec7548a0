"""The 18-character SIP date ``YYYYMMDDZZZZHHMMSS`` (``docs/sip2.md``, Dates).

ZZZZ is four blanks for local time (what every implementation sends), or three
blanks and a military zone letter: ``Z`` = UTC, ``A``–``M`` (no ``J``) = +1…+12 h,
``N``–``Y`` = −1…−12 h. Local time is a naive ``datetime``; a zone letter gives
an aware one. The codec never reads the clock: callers pass datetimes in.

The server sends every date as the library's local time with a blank zone
(:func:`local_sip_date`), the form the Guide prefers and kiosks show as is, and
reads a kiosk's blank-zone dates as the library's local time
(:func:`instant_from_sip`).
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone, tzinfo

DATE_LENGTH = 18
# An 18-blank date: "no date" (e.g. nb due date when the SC was on-line).
BLANK_DATE = " " * DATE_LENGTH
# Date/time sync of an ACS that does not support it (the Guide's 98 ACS Status).
UNSUPPORTED_DATE = "0" * DATE_LENGTH

_DATE = re.compile(r"(\d{8})(    |   [A-IK-Z])(\d{6})", re.ASCII)
_EAST = "ABCDEFGHIKLM"  # +1 … +12 hours (J is not used)
_WEST = "NOPQRSTUVWXY"  # −1 … −12 hours


def _zone_for_letter(letter: str) -> timezone:
    if letter == "Z":
        return UTC
    if letter in _EAST:
        return timezone(timedelta(hours=_EAST.index(letter) + 1))
    return timezone(timedelta(hours=-(_WEST.index(letter) + 1)))


def _letter_for_zone(when: datetime) -> str:
    offset = when.utcoffset()
    assert offset is not None  # only called for aware datetimes
    seconds = int(offset.total_seconds())
    hours, rest = divmod(abs(seconds), 3600)
    if rest or hours > 12:
        raise ValueError(f"UTC offset {offset} has no SIP2 zone letter (whole hours, ±12 h)")
    if hours == 0:
        return "Z"
    return (_EAST if seconds > 0 else _WEST)[hours - 1]


def format_sip_date(when: datetime | None) -> str:
    """The 18-character SIP form of ``when``; ``None`` gives 18 blanks.

    A naive datetime is local time (4 blanks); an aware one keeps its offset as
    a zone letter, so a UTC timestamp is written ``   Z`` rather than being
    mistaken for local time (invenio-sip2's mistake).
    """
    if when is None:
        return BLANK_DATE
    zone = "    " if when.tzinfo is None else "   " + _letter_for_zone(when)
    # Explicit widths: strftime's %Y does not zero-pad years before 1000 on glibc.
    day = f"{when.year:04d}{when.month:02d}{when.day:02d}"
    return f"{day}{zone}{when.hour:02d}{when.minute:02d}{when.second:02d}"


def parse_sip_date(text: str) -> datetime | None:
    """Parse an 18-character SIP date; blanks or zeros (no date) give ``None``.

    Raises ``ValueError`` with the reason when ``text`` is not a SIP date.
    """
    if text in (BLANK_DATE, UNSUPPORTED_DATE):
        return None
    match = _DATE.fullmatch(text)
    if match is None:
        raise ValueError(f"not an 18-character YYYYMMDDZZZZHHMMSS date: {text!r}")
    day, zone, clock = match.groups()
    try:  # the digits are checked above; datetime() checks the ranges (strptime is slower)
        when = datetime(
            int(day[:4]), int(day[4:6]), int(day[6:]),
            int(clock[:2]), int(clock[2:4]), int(clock[4:]),
        )  # fmt: skip
    except ValueError as exc:
        raise ValueError(f"no such date or time: {text!r}") from exc
    if zone.strip():
        when = when.replace(tzinfo=_zone_for_letter(zone.strip()))
    return when


def local_sip_date(moment: datetime, zone: tzinfo) -> str:
    """An instant (aware) as the library's wall-clock time in ``zone``, zone field blank."""
    return format_sip_date(moment.astimezone(zone).replace(tzinfo=None))


def instant_from_sip(text: str, zone: tzinfo) -> datetime | None:
    """A SIP date as an aware instant: a blank zone is the library's local time in ``zone``.

    ``None`` for blanks or zeros; ``ValueError`` when ``text`` is not a SIP date.
    """
    when = parse_sip_date(text)
    if when is None or when.tzinfo is not None:
        return when
    return when.replace(tzinfo=zone).astimezone(UTC)
