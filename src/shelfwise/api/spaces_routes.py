"""Seats, rooms and events over the API (issue 19): the rooms and their live seat maps,
bookings, the QR scan (check-in, coming back, walk-in), a gate counter's figures; events,
registration and its waitlist, attendance. Rules live in ``spaces`` and ``events``; these
routes translate."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response
from pydantic import AwareDatetime, BaseModel, Field

from shelfwise.access.models import Principal
from shelfwise.api.auth import audit_staff_read, self_or
from shelfwise.api.circulation_inputs import Code, Desk, DeskOrSelf, IdPath, Rules
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES, ErrorOut
from shelfwise.events.models import AUDIENCES, EVENT_KINDS, LANGUAGES, LibraryEvent, NewEvent
from shelfwise.spaces.models import ROOM_KINDS, Booking

router = APIRouter(tags=["spaces and events"], responses=ERROR_RESPONSES)
BookingsReader = Annotated[Principal, Depends(self_or("readers.read", audit=("space_bookings",)))]
EXPIRED: dict[int | str, dict[str, Any]] = {
    410: {"model": ErrorOut, "description": "A QR code printed before a reprint"}
}


class RoomOut(BaseModel):
    id: int
    branch: str
    code: str
    name: str
    kind: str
    grid_rows: int
    grid_cols: int
    enabled: bool


class SeatOut(BaseModel):
    unit_id: int
    code: str
    kind: str
    features: list[str]
    row: int
    col: int
    state: str  # free, taken, off (never whose)


class SeatMapOut(BaseModel):
    room: RoomOut
    starts_at: datetime
    ends_at: datetime
    free: int
    seats: list[SeatOut]


class RoomIn(BaseModel):
    branch: str = Code
    code: str = Field(min_length=1, max_length=32)
    name: str = Field(min_length=1, max_length=200)
    kind: str = Field(pattern="^(" + "|".join(ROOM_KINDS) + ")$")
    grid: str = Field(min_length=1, max_length=4000, description="rows of S/s/T/R/. cells")


class BookingIn(BaseModel):
    card_number: str = Code
    unit_id: int = Field(ge=1, le=2**62)
    starts_at: AwareDatetime
    ends_at: AwareDatetime


class BookingOut(BaseModel):
    id: int
    unit_id: int
    unit_code: str
    room_id: int
    room_name: str
    branch: str
    starts_at: datetime
    ends_at: datetime
    state: str
    walk_in: bool
    checked_in_at: datetime | None
    away_until: datetime | None


class ScanIn(BaseModel):
    card_number: str = Code
    code: str = Field(min_length=1, max_length=200, description="the seat's QR code")


class ScanOut(BaseModel):
    outcome: str  # checked_in, returned, walk_in
    booking: BookingOut


class MyBookingsOut(BaseModel):
    bookings: list[BookingOut]
    suspended_until: datetime | None
    no_shows: int


class VisitsIn(BaseModel):
    at: AwareDatetime
    entries: int = Field(ge=0, le=100_000)


class EventIn(BaseModel):
    branch: str = Code
    kind: str = Field(pattern="^(" + "|".join(EVENT_KINDS) + ")$")
    title: str = Field(min_length=1, max_length=300)
    description: str = Field(default="", max_length=10_000)
    starts_at: AwareDatetime
    ends_at: AwareDatetime
    capacity: int = Field(ge=0, le=100_000)
    registration_opens_at: AwareDatetime
    registration_closes_at: AwareDatetime
    room_id: int | None = Field(default=None, ge=1, le=2**62)
    audience: list[str] = Field(default=[], max_length=len(AUDIENCES))
    languages: list[str] = Field(default=[], max_length=len(LANGUAGES))
    story_ref: str | None = Field(default=None, max_length=100)
    wish_ref: int | None = Field(default=None, ge=1, le=2**62)


class EventOut(BaseModel):
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
    places_left: int
    audience: list[str]
    languages: list[str]
    registration_opens_at: datetime
    registration_closes_at: datetime
    story_ref: str | None
    state: str


class RegistrationIn(BaseModel):
    card_number: str = Code


class AttendIn(BaseModel):
    card_number: str = Code
    code: str = Field(min_length=1, max_length=200, description="the event's door QR code")


class RegistrationOut(BaseModel):
    event_id: int
    state: str
    waitlist_position: int | None
    created_at: datetime
    promoted_at: datetime | None
    attended_at: datetime | None


class AttendeeOut(BaseModel):
    card_number: str
    name: str
    state: str
    waitlist_position: int | None


def _booking(b: Booking) -> BookingOut:
    return BookingOut(**{f: getattr(b, f) for f in BookingOut.model_fields})


def _event(e: LibraryEvent) -> EventOut:
    values: dict[str, Any] = {f: getattr(e, f) for f in EventOut.model_fields}
    values["audience"], values["languages"] = list(e.audience), list(e.languages)
    return EventOut(**values)


def _registration(r: Any) -> RegistrationOut:
    return RegistrationOut(**{f: getattr(r, f) for f in RegistrationOut.model_fields})


# --- rooms and seats --------------------------------------------------------------------------


@router.get("/spaces/rooms", response_model=list[RoomOut])
def rooms(services: ServicesDep, branch: str | None = Query(None, max_length=64)) -> list[RoomOut]:
    return [RoomOut(**asdict(r)) for r in services.rooms.rooms(branch)]


@router.post("/spaces/rooms", response_model=RoomOut, status_code=201)
def create_room(body: RoomIn, who: Rules, services: ServicesDep) -> RoomOut:
    """A room of the branch with its seat map drawn as a grid (staff of that branch)."""
    room = services.rooms.create_room(
        body.branch, code=body.code, name=body.name, kind=body.kind, grid=body.grid, actor=who
    )
    return RoomOut(**asdict(room))


@router.get("/spaces/rooms/{room_id}/seats", response_model=SeatMapOut)
def seat_map(
    room_id: IdPath,
    services: ServicesDep,
    starts_at: AwareDatetime | None = None,
    ends_at: AwareDatetime | None = None,
) -> SeatMapOut:
    """Which seats are free for the time asked (default: the current slot); never whose."""
    lo, hi = services.rooms.now_window()
    found = services.rooms.seat_map(room_id, starts_at or lo, ends_at or hi)
    seats = [
        SeatOut(
            unit_id=s.unit.id,
            code=s.unit.code,
            kind=s.unit.kind,
            features=list(s.unit.features),
            row=s.unit.row,
            col=s.unit.col,
            state="off" if not s.unit.enabled else "taken" if s.taken else "free",
        )
        for s in found.seats
    ]
    return SeatMapOut(
        room=RoomOut(**asdict(found.room)),
        starts_at=found.starts_at,
        ends_at=found.ends_at,
        free=found.free,
        seats=seats,
    )


@router.post("/spaces/rooms/{room_id}/visits", status_code=204, response_class=Response)
def add_visits(room_id: IdPath, body: VisitsIn, who: Desk, services: ServicesDep) -> Response:
    """A gate counter's entries in the hour ``at`` falls in: counts only, nobody named."""
    services.spaces.add_visits(room_id, body.at, body.entries, actor=who)
    return Response(status_code=204)


# --- bookings ---------------------------------------------------------------------------------


@router.post("/spaces/bookings", response_model=BookingOut, status_code=201)
def book(body: BookingIn, who: DeskOrSelf, services: ServicesDep) -> BookingOut:
    booking = services.spaces.book(
        body.card_number, body.unit_id, body.starts_at, body.ends_at, actor=who
    )
    return _booking(booking)


@router.post("/spaces/bookings/{booking_id}/leave", response_model=BookingOut)
def step_away(booking_id: IdPath, who: DeskOrSelf, services: ServicesDep) -> BookingOut:
    """A short leave: the seat stays held for ``space_leave_minutes``."""
    return _booking(services.spaces.step_away(booking_id, actor=who))


@router.post("/spaces/bookings/{booking_id}/release", response_model=BookingOut)
def release(booking_id: IdPath, who: DeskOrSelf, services: ServicesDep) -> BookingOut:
    """Cancel before the start, release early after it: the seat is free at once."""
    return _booking(services.spaces.release(booking_id, actor=who))


@router.post("/spaces/scan", response_model=ScanOut, responses=EXPIRED)
def scan(body: ScanIn, who: DeskOrSelf, services: ServicesDep) -> ScanOut:
    """A seat's QR code scanned: check in, come back from a leave, or walk in."""
    done = services.spaces.scan(body.code, body.card_number, actor=who)
    return ScanOut(outcome=done.outcome, booking=_booking(done.booking))


@router.get("/readers/{card_number}/space-bookings", response_model=MyBookingsOut)
def my_bookings(card_number: str, who: BookingsReader, services: ServicesDep) -> MyBookingsOut:
    """The reader's bookings of the last 30 days and ahead, and why they may not book."""
    held = services.spaces.bookings_of(card_number, actor=who)
    suspension = services.spaces.suspension(card_number)
    return MyBookingsOut(
        bookings=[_booking(b) for b in held],
        suspended_until=None if suspension is None else suspension.until,
        no_shows=0 if suspension is None else suspension.no_shows,
    )


# --- events -----------------------------------------------------------------------------------


@router.get("/events", response_model=list[EventOut])
def events(
    services: ServicesDep, branch: str | None = Query(None, max_length=64)
) -> list[EventOut]:
    return [_event(e) for e in services.events.upcoming(branch)]


@router.post("/events", response_model=EventOut, status_code=201)
def create_event(body: EventIn, who: Rules, services: ServicesDep) -> EventOut:
    values = body.model_dump()
    values["audience"], values["languages"] = tuple(body.audience), tuple(body.languages)
    return _event(services.events.create(NewEvent(**values), actor=who))


@router.get("/events/{event_id}", response_model=EventOut)
def event(event_id: IdPath, services: ServicesDep) -> EventOut:
    return _event(services.events.event(event_id))


@router.post("/events/{event_id}/registrations", response_model=RegistrationOut, status_code=201)
def register(
    event_id: IdPath, body: RegistrationIn, who: DeskOrSelf, services: ServicesDep
) -> RegistrationOut:
    """A place if one is free and nobody waits, else the waitlist (in arrival order)."""
    return _registration(services.events.register(event_id, body.card_number, actor=who))


@router.delete("/events/{event_id}/registrations/{card_number}", response_model=RegistrationOut)
def cancel_registration(
    event_id: IdPath, card_number: str, who: DeskOrSelf, services: ServicesDep
) -> RegistrationOut:
    """Give up the place (the first waiting reader gets it) or leave the waitlist."""
    return _registration(services.events.cancel(event_id, card_number, actor=who))


@router.post("/events/{event_id}/attendance", response_model=RegistrationOut)
def attend(
    event_id: IdPath, body: AttendIn, who: DeskOrSelf, services: ServicesDep
) -> RegistrationOut:
    """The event's door code scanned by a registered reader: present."""
    return _registration(
        services.events.attend(body.code, body.card_number, actor=who, event_id=event_id)
    )


@router.get("/events/{event_id}/attendance", response_model=list[AttendeeOut])
def attendance(event_id: IdPath, who: Desk, services: ServicesDep) -> list[AttendeeOut]:
    """The attendance list with cards and names (staff of the event's branch; audited, P7)."""
    listed = services.events.attendance(event_id, actor=who)
    for line in listed:
        audit_staff_read(services.access, who, line.card_number, ("card_number", "name"))
    return [
        AttendeeOut(
            card_number=a.card_number,
            name=a.name,
            state=a.registration.state,
            waitlist_position=a.registration.waitlist_position,
        )
        for a in listed
    ]
