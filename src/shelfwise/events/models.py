"""Events' values handed out by the service (plain dataclasses, no database handles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

EVENT_KINDS = ("lecture", "club", "story_time", "exhibition", "workshop")
AUDIENCES = ("children", "teens", "adults", "seniors", "families")
LANGUAGES = ("zh", "ko", "en")
HOLDING_STATES = ("registered", "attended")  # what takes one of the places


@dataclass(frozen=True, slots=True)
class LibraryEvent:
    id: int
    branch: str
    room_id: int | None
    room_name: str | None
    kind: str
    title: str
    description: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    registered: int
    waitlisted: int
    audience: tuple[str, ...]
    languages: tuple[str, ...]
    registration_opens_at: datetime
    registration_closes_at: datetime
    story_ref: str | None
    wish_ref: int | None
    state: str
    created_at: datetime

    @property
    def places_left(self) -> int:
        return max(0, self.capacity - self.registered)


@dataclass(frozen=True, slots=True)
class Registration:
    id: int
    event_id: int
    reader_id: int
    state: str
    arrival: int
    created_at: datetime
    promoted_at: datetime | None
    attended_at: datetime | None
    waitlist_position: int | None = None  # 1 = next to be promoted


@dataclass(frozen=True, slots=True)
class Attendee:
    """A line of the attendance list (staff)."""

    registration: Registration
    card_number: str
    name: str


@dataclass(frozen=True, slots=True)
class NewEvent:
    branch: str
    kind: str
    title: str
    starts_at: datetime
    ends_at: datetime
    capacity: int
    registration_opens_at: datetime
    registration_closes_at: datetime
    description: str = ""
    room_id: int | None = None
    audience: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    story_ref: str | None = None
    wish_ref: int | None = None
