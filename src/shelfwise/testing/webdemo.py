"""A demo library for the web tests and the web benchmark, built through the real services."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from shelfwise.catalogue.models import BranchKind
from shelfwise.circulation.rules import Hours
from shelfwise.circulation.scope import SYSTEM
from shelfwise.config import Settings
from shelfwise.events.models import NewEvent
from shelfwise.testing.branches import DEMO_BRANCHES
from shelfwise.testing.demo import seed_branches, seed_circulation
from shelfwise.testing.records import write_records

if TYPE_CHECKING:
    from shelfwise.services import Services


def build_demo(services: Services, folder: Path, records: int = 240) -> list[str]:
    """Branches, ``records`` generated records, the index, readers (PIN 1234) with loans,
    holds and a fee; returns the readers' card numbers."""
    seed_branches(services.catalogue)
    seed_branch_pages(services)
    seed_spaces(services)
    path = folder / "demo.mrc"
    write_records(path, records)
    services.importer().import_file(path)
    services.search.check()
    cards = seed_circulation(services)
    services.search.sync(settle_gaps=True)
    return cards


# Invented addresses and the week's hours of the demo branches (their pages show them).
DEMO_ADDRESSES = {
    "CEN": "新华大街 1200 号",
    "CYQ": "朝阳区建设路 35 号",
    "NGQ": "南关区民康路 88 号",
    "XSL": "新松路 17 号（朝鲜族社区活动中心二楼）",
    "HPJ": "和平街 46 号",
    "SLH": "松柳湖公园北门",
}


def seed_branch_pages(services: Services) -> None:
    """Addresses and opening hours: the central library 9:00-21:00, the branches 9:00-12:00
    and 13:30-19:00, the 24-hour rooms all day, the kiosks none published."""
    central = (Hours(9 * 60, 21 * 60),)
    branch_day = (Hours(9 * 60, 12 * 60), Hours(13 * 60 + 30, 19 * 60))
    for branch in DEMO_BRANCHES:
        services.catalogue.add_branch(
            code=branch.code,
            kind=BranchKind(branch.kind),
            name_zh=branch.name_zh,
            name_ko=branch.name_ko,
            name_en=branch.name_en,
            address=DEMO_ADDRESSES.get(branch.code, ""),
        )
        spans = {"central": central, "branch": branch_day, "unattended": (Hours(0, 24 * 60),)}
        if branch.kind in spans:
            week = dict.fromkeys(range(7), spans[branch.kind])
            services.calendars.set_hours(
                branch.code, weekly_hours=week, special_hours={}, actor=SYSTEM
            )


def demo_settings(folder: Path, database_url: str | None = None) -> Settings:
    """Settings for a throwaway library in ``folder`` (cheap PIN hashing, a fixed web key)."""
    return Settings.load(
        {
            "data_dir": folder / "data",
            "database_url": database_url or f"sqlite:///{folder / 'web.sqlite'}",
            "import_batch_size": 100,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 8192,
            "web_secret_key": "web-tests",
            # Stable share links, so screenshots do not change with the test server's port.
            "web_public_url": "https://library.example.org",
        },
        environ={},
    )


# The central library's reading room (two blocks of seats by the windows, an aisle), its
# 24-hour room, a study room at NGQ, and events in the coming days (issue 19).
READING_ROOM = "ssssss.ssssss\nSSSSSS.SSSSSS\nSSSSSS.SSSSSS\nTTT.........R"


def seed_spaces(services: Services) -> None:
    rooms = services.rooms
    reading = rooms.create_room(
        "CEN", code="R1", name="二楼阅览室", kind="reading", grid=READING_ROOM, actor=SYSTEM
    )
    rooms.create_room(
        "CEN", code="H24", name="24小时自习室", kind="all_day", grid="SSSS\nSSSS", actor=SYSTEM
    )
    rooms.create_room("NGQ", code="S1", name="研讨间", kind="study", grid="R", actor=SYSTEM)
    now = services.clock.now()
    day = timedelta(days=1)
    for title, kind, branch, offset, capacity, room in (
        ("东北抗联的故事：讲座", "lecture", "CEN", 3, 40, reading.id),
        ("周六读书会：《呼兰河传》", "club", "CEN", 5, 12, None),
        ("亲子故事会", "story_time", "NGQ", 4, 15, None),
    ):
        starts = now + day * offset
        services.events.create(
            NewEvent(
                branch=branch,
                kind=kind,
                title=title,
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=capacity,
                registration_opens_at=now - day,
                registration_closes_at=starts,
                room_id=room,
                audience=("families",) if kind == "story_time" else ("adults",),
                languages=("zh",),
            ),
            actor=SYSTEM,
        )
