"""A library with spaces: two branches with hours, rooms, readers (tests and benches)."""

from __future__ import annotations

import itertools
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from shelfwise.catalogue.models import BranchKind
from shelfwise.circulation.rules import Hours
from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.clock import FrozenClock
from shelfwise.readers.models import Reader
from shelfwise.services import Services
from shelfwise.spaces.models import Room

SHANGHAI = ZoneInfo("Asia/Shanghai")
# Tuesday 1 September 2026, 08:00 in Shanghai (00:00 UTC): the branches open at 08:00.
MORNING = datetime(2026, 9, 1, 0, 0, tzinfo=UTC)
_names = itertools.count(1)


def local(day: int, hour: int, minute: int = 0, month: int = 9) -> datetime:
    """A wall-clock time in the library's zone (Asia/Shanghai), aware."""
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@dataclass
class SpacesLibrary:
    services: Services
    clock: FrozenClock
    reading: Room  # CEN, 2 rows of 5 seats (A1-A5 by the window, B1-B5)
    all_day: Room  # CEN, a 24-hour room of 4 seats
    study: Room  # BR1, one study room
    # What a test opened on the library (web clients, whose lifespan starts the scheduler):
    # closed when the test ends, so no scheduler outlives its test and writes into the next.
    opened: ExitStack = field(default_factory=ExitStack)

    def reader(self, category: str = "adult") -> Reader:
        n = next(_names)
        return self.services.readers.register(name=f"读者{n}", category=category).reader

    def unit(self, room: Room, code: str) -> int:
        _, units = self.services.rooms.room(room.id)
        return next(u.id for u in units if u.code == code)


def make_spaces_library(services: Services, clock: FrozenClock) -> SpacesLibrary:
    clock.set(MORNING)
    for code, kind in (("CEN", BranchKind.CENTRAL), ("BR1", BranchKind.BRANCH)):
        services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
        services.calendars.set_hours(
            code,
            weekly_hours={d: [Hours(8 * 60, 22 * 60)] for d in range(7)},
            special_hours={},
            actor=SYSTEM,
        )
    rooms = services.rooms
    reading = rooms.create_room(
        "CEN", code="R1", name="阅览室", kind="reading", grid="sssss\nSSSSS", actor=SYSTEM
    )
    all_day = rooms.create_room(
        "CEN", code="H24", name="24小时自习室", kind="all_day", grid="SS.SS", actor=SYSTEM
    )
    study = rooms.create_room("BR1", code="S1", name="研讨间", kind="study", grid="R", actor=SYSTEM)
    return SpacesLibrary(services, clock, reading, all_day, study)
