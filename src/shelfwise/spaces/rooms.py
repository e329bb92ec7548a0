"""Rooms, their seat maps and the booking rules, as staff edit them; the live seat map.

A seat map is a grid: each unit sits in one cell (row, column). Staff edit the grid as
text, one line per row, a cell per character — ``.`` an aisle, ``S`` a seat, ``T`` a
table, ``R`` a whole room; lower case marks a seat by the window (``s``) — and the
units are numbered row by row (A1, A2, ... B1). A unit that has been booked is never
deleted by an edit (its history would lose its seat): it is disabled instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from shelfwise.circulation.scope import Actor, authorise
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers import reading
from shelfwise.spaces import repo, timing
from shelfwise.spaces.models import (
    FEATURES,
    ROOM_KINDS,
    Booking,
    BookingRule,
    Room,
    SeatMap,
    SeatState,
    Unit,
)
from shelfwise.storage.database import Database

_CELLS = {"S": "seat", "T": "table", "R": "room"}


@dataclass(frozen=True, slots=True)
class Cell:
    code: str
    kind: str
    row: int
    col: int
    features: tuple[str, ...] = ()


def parse_grid(text: str, features: dict[str, tuple[str, ...]] | None = None) -> list[Cell]:
    """The cells of a grid drawn as text; ``features`` adds features by unit code."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    if not lines or len(lines) > 60 or max(len(line) for line in lines) > 60:
        raise ShelfwiseError("spaces.grid_invalid", detail="1 to 60 rows of 1 to 60 cells")
    cells: list[Cell] = []
    for r, line in enumerate(lines):
        number = 0
        for c, char in enumerate(line):
            if char in ". ":
                continue
            kind = _CELLS.get(char.upper())
            if kind is None:
                raise ShelfwiseError(
                    "spaces.grid_invalid", detail=f"row {r + 1}, column {c + 1}: {char!r}"
                )
            number += 1
            code = f"{_row_name(r)}{number}"
            extra = ("window",) if char.islower() else ()
            cells.append(Cell(code, kind, r, c, extra + (features or {}).get(code, ())))
    if not cells:
        raise ShelfwiseError("spaces.grid_invalid", detail="no seat")
    return cells


def grid_text(room: Room, units: list[Unit]) -> str:
    """The grid as staff edit it (the inverse of :func:`parse_grid` for enabled units)."""
    rows = [["."] * room.grid_cols for _ in range(room.grid_rows)]
    for unit in units:
        if unit.enabled and unit.row < room.grid_rows and unit.col < room.grid_cols:
            char = {"seat": "S", "table": "T", "room": "R"}[unit.kind]
            rows[unit.row][unit.col] = char.lower() if "window" in unit.features else char
    return "\n".join("".join(r) for r in rows)


def _row_name(index: int) -> str:
    letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return letters[index] if index < 26 else letters[index // 26 - 1] + letters[index % 26]


class RoomService:
    def __init__(self, db: Database, clock: Clock, slot_minutes: int) -> None:
        self._db = db
        self._clock = clock
        self._slot = slot_minutes

    def rooms(self, branch: str | None = None) -> list[Room]:
        with self._db.read() as conn:
            return repo.rooms(conn, branch)

    def room(self, room_id: int) -> tuple[Room, list[Unit]]:
        with self._db.read() as conn:
            return repo.room(conn, room_id), repo.units(conn, room_id)

    def create_room(
        self, branch: str, *, code: str, name: str, kind: str, grid: str, actor: Actor
    ) -> Room:
        authorise(actor, at=[branch])
        code, name = code.strip(), name.strip()
        if kind not in ROOM_KINDS or not code or not name or len(code) > 32:
            raise ShelfwiseError("request.invalid", detail="a code, a name and a kind of room")
        cells = parse_grid(grid)
        with self._db.write() as conn:
            if any(r.code == code for r in repo.rooms(conn, branch)):
                raise ShelfwiseError("spaces.room_exists", room=code)
            room_id = repo.insert_room(
                conn,
                {
                    "branch_id": repo.branch_id(conn, branch),
                    "code": code,
                    "name": name[:200],
                    "kind": kind,
                    "grid_rows": max(c.row for c in cells) + 1,
                    "grid_cols": max(c.col for c in cells) + 1,
                    "created_at": self._clock.now(),
                },
            )
            repo.insert_units(conn, [_unit_row(room_id, c) for c in cells])
            return repo.room(conn, room_id)

    def update_room(
        self, room_id: int, *, name: str, kind: str, enabled: bool, grid: str, actor: Actor
    ) -> Room:
        """Rename, re-kind, open or close a room and redraw its grid: units keep their
        ids where their code stays, new cells are added, dropped ones are deleted or, when
        booked before, disabled."""
        if kind not in ROOM_KINDS or not name.strip():
            raise ShelfwiseError("request.invalid", detail="a name and a kind of room")
        cells = parse_grid(grid)
        with self._db.write() as conn:
            room = repo.room(conn, room_id)
            authorise(actor, at=[room.branch])
            current = {u.code: u for u in repo.units(conn, room_id)}
            # Cells move: clear the grid positions first (the cell key is unique).
            for unit in current.values():
                repo.update_unit(conn, unit.id, {"grid_row": 1000 + unit.id, "grid_col": 0})
            wanted = {c.code: c for c in cells}
            for code, cell in wanted.items():
                if code in current:
                    kept = set(current[code].features) - {"window"}
                    values = _cell_values(cell) | {"enabled": 1}
                    values["features"] = ",".join(sorted(kept | set(cell.features)))
                    repo.update_unit(conn, current[code].id, values)
            repo.insert_units(
                conn, [_unit_row(room_id, c) for k, c in wanted.items() if k not in current]
            )
            gone = [u for k, u in current.items() if k not in wanted]
            booked = repo.unit_ids_with_bookings(conn, room_id)
            repo.delete_units(conn, [u.id for u in gone if u.id not in booked])
            for n, unit in enumerate(u for u in gone if u.id in booked):
                # Off the grid, below it, out of use.
                repo.update_unit(conn, unit.id, {"enabled": 0, "grid_row": 100 + n, "grid_col": 0})
            repo.update_room(
                conn,
                room_id,
                {
                    "name": name.strip()[:200],
                    "kind": kind,
                    "enabled": int(enabled),
                    "grid_rows": max(c.row for c in cells) + 1,
                    "grid_cols": max(c.col for c in cells) + 1,
                },
            )
            return repo.room(conn, room_id)

    def set_unit(
        self, unit_id: int, *, features: tuple[str, ...], enabled: bool, actor: Actor
    ) -> Unit:
        unknown = sorted(set(features) - set(FEATURES))
        if unknown:
            raise ShelfwiseError("request.invalid", detail=f"unknown features {unknown}")
        with self._db.write() as conn:
            place = repo.place(conn, unit_id)
            authorise(actor, at=[place.room.branch])
            repo.update_unit(
                conn,
                unit_id,
                {"features": ",".join(sorted(set(features))), "enabled": int(enabled)},
            )
            return repo.place(conn, unit_id).unit

    def reprint(self, unit_id: int, *, actor: Actor) -> Unit:
        """A new QR code for the unit: the printed one expires (it was copied off the seat)."""
        with self._db.write() as conn:
            place = repo.place(conn, unit_id)
            authorise(actor, at=[place.room.branch])
            repo.update_unit(conn, unit_id, {"qr_epoch": place.unit.qr_epoch + 1})
            return repo.place(conn, unit_id).unit

    # --- rules ---------------------------------------------------------------------------------

    def rules(self) -> list[BookingRule]:
        with self._db.read() as conn:
            return repo.rules(conn)

    def set_rule(self, rule: BookingRule, *, actor: Actor) -> BookingRule:
        """A network-wide rule (every branch's seats): an account bound to no branch."""
        authorise(actor, everywhere=True)
        if not rule.category or len(rule.category) > 32:
            raise ShelfwiseError("spaces.rule_invalid", detail="a reader category or *")
        if not (
            0 < rule.minutes_per_day <= 1440
            and 0 <= rule.days_ahead <= 90
            and 0 < rule.at_once <= 20
        ):
            raise ShelfwiseError(
                "spaces.rule_invalid",
                detail="minutes per day 1-1440, days ahead 0-90, bookings at once 1-20",
            )
        if rule.minutes_per_day % self._slot:
            raise ShelfwiseError(
                "spaces.rule_invalid", detail=f"minutes per day in {self._slot}-minute slots"
            )
        with self._db.write() as conn:
            repo.put_rule(conn, rule)
        return rule

    def delete_rule(self, category: str, *, actor: Actor) -> None:
        authorise(actor, everywhere=True)
        with self._db.write() as conn:
            repo.delete_rule(conn, category)

    # --- what the pages show -------------------------------------------------------------------

    def seat_map(
        self, room_id: int, starts_at: datetime, ends_at: datetime, card_number: str | None = None
    ) -> SeatMap:
        """Every unit of the room, taken or free for [starts_at, ends_at), and which of the
        taken ones are the reader's own."""
        with self._db.read() as conn:
            room = repo.room(conn, room_id)
            units = [u for u in repo.units(conn, room_id) if u.row < room.grid_rows]
            taken = repo.taken_units(conn, room_id, starts_at, ends_at)
            mine: set[int] = set()
            if card_number is not None and taken:
                reader_id = reading.find_reader_id(conn, card_number)
                held = (
                    repo.reader_bookings(conn, reader_id, ends_after=starts_at) if reader_id else []
                )
                mine = {b.id for b in held}
        seats = tuple(
            SeatState(u, u.id in taken or not u.enabled, bool(taken.get(u.id, set()) & mine))
            for u in units
        )
        return SeatMap(room, starts_at, ends_at, seats)

    def now_window(self) -> tuple[datetime, datetime]:
        """The current slot: what a live seat map shows by default."""
        start = timing.floor_slot(self._clock.now(), self._clock.zone, self._slot)
        return start, start + timedelta(minutes=self._slot)

    def day_bookings(self, room_id: int, day: datetime, *, actor: Actor) -> list[Booking]:
        """The room's bookings of the local day ``day`` falls in (staff: today's list)."""
        with self._db.read() as conn:
            room = repo.room(conn, room_id)
            authorise(actor, at=[room.branch])
            lo, hi = timing.local_day_bounds(day, self._clock.zone)
            return repo.room_bookings(conn, room_id, lo, hi)


def _cell_values(cell: Cell) -> dict[str, Any]:
    return {
        "kind": cell.kind,
        "grid_row": cell.row,
        "grid_col": cell.col,
        "features": ",".join(cell.features),
    }


def _unit_row(room_id: int, cell: Cell) -> dict[str, Any]:
    return {"room_id": room_id, "code": cell.code, **_cell_values(cell)}
