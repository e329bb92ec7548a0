"""Spaces' values handed out by the service (plain dataclasses, no database handles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

# One per gate count or door scan added (issue 21): the local day and hour, the room's
# branch, whether it is a 24-hour room, how many entries. Nobody is named.
VISITS_TOPIC = "spaces.visits"

ROOM_KINDS = ("reading", "all_day", "study", "children")
UNIT_KINDS = ("seat", "table", "room")
FEATURES = ("power", "window", "accessible", "quiet", "lamp", "computer")
ACTIVE_STATES = ("booked", "checked_in", "away")
# What counts against a reader's minutes per day: live bookings and the ones sat out.
COUNTED_STATES = (*ACTIVE_STATES, "completed")


@dataclass(frozen=True, slots=True)
class Room:
    id: int
    branch: str
    code: str
    name: str
    kind: str
    grid_rows: int
    grid_cols: int
    enabled: bool

    @property
    def all_day(self) -> bool:
        return self.kind == "all_day"


@dataclass(frozen=True, slots=True)
class Unit:
    id: int
    room_id: int
    code: str
    kind: str
    features: tuple[str, ...]
    row: int
    col: int
    qr_epoch: int
    enabled: bool


@dataclass(frozen=True, slots=True)
class UnitPlace:
    """A unit with where it is: what booking rules and hours need."""

    unit: Unit
    room: Room


@dataclass(frozen=True, slots=True)
class Booking:
    id: int
    unit_id: int
    unit_code: str
    room_id: int
    room_name: str
    branch: str
    reader_id: int | None
    purpose: str
    starts_at: datetime
    ends_at: datetime
    state: str
    walk_in: bool
    checked_in_at: datetime | None
    away_until: datetime | None
    closed_at: datetime | None

    @property
    def active(self) -> bool:
        return self.state in ACTIVE_STATES


@dataclass(frozen=True, slots=True)
class BookingRule:
    """What one reader category may book ('*': every category without its own rule)."""

    category: str
    minutes_per_day: int
    days_ahead: int
    at_once: int


# When neither the reader's category nor '*' has a rule: half a day, a week ahead, two.
DEFAULT_RULE = BookingRule("*", minutes_per_day=240, days_ahead=7, at_once=2)


@dataclass(frozen=True, slots=True)
class Suspension:
    """Why and until when a reader may not book: ``no_shows`` in the last ``window_days``."""

    until: datetime
    no_shows: int
    window_days: int


@dataclass(frozen=True, slots=True)
class SeatState:
    unit: Unit
    taken: bool
    mine: bool


@dataclass(frozen=True, slots=True)
class SeatMap:
    room: Room
    starts_at: datetime
    ends_at: datetime
    seats: tuple[SeatState, ...]

    @property
    def free(self) -> int:
        return sum(1 for s in self.seats if not s.taken and s.unit.enabled)


@dataclass(frozen=True, slots=True)
class Scan:
    """What scanning a seat's QR did: ``checked_in`` a booking, ``returned`` from a
    leave, or booked the free seat as a ``walk_in``."""

    outcome: str
    booking: Booking


@dataclass(frozen=True, slots=True)
class SpacePolicy:
    slot_minutes: int = 30
    grace_minutes: int = 15
    leave_minutes: int = 30
    walk_in_minutes: int = 120
    no_show_limit: int = 3
    no_show_window_days: int = 30
    suspension_days: int = 7
    retention_days: int = 90


@dataclass(frozen=True, slots=True)
class Sweep:
    no_shows: int
    leaves_expired: int
    completed: int
