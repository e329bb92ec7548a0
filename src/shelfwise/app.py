"""The composition root: the one place where settings, database, clock and services meet.

Doors (CLI, API, later web, SIP2 and interop) receive a :class:`Shelfwise`
and call its services; nothing else constructs a service.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from shelfwise.catalogue.importing import Importer
from shelfwise.catalogue.service import CatalogueService
from shelfwise.config import Settings
from shelfwise.core.clock import Clock, SystemClock
from shelfwise.storage import migrate
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Handler, OutboxRelay
from shelfwise.storage.scheduler import Job, Scheduler

if TYPE_CHECKING:
    from fastapi import FastAPI


@dataclass(slots=True)
class Shelfwise:
    settings: Settings
    clock: Clock
    db: Database
    catalogue: CatalogueService

    def importer(self) -> Importer:
        return Importer(
            self.db,
            self.clock,
            work_dir=self.settings.data_dir / "imports",
            batch_size=int(self.settings["import_batch_size"]),
            workers=_workers(int(self.settings["import_workers"])),
        )

    def outbox_relay(self, handlers: Mapping[str, Handler]) -> OutboxRelay:
        return OutboxRelay(
            self.db,
            self.clock,
            handlers,
            batch_size=int(self.settings["outbox_batch_size"]),
            claim_seconds=int(self.settings["outbox_claim_seconds"]),
        )

    def scheduler(self) -> Scheduler:
        # Delivery handlers arrive with the domains that consume events (search, notices).
        relay = self.outbox_relay(self.outbox_handlers())

        def deliver() -> str:
            return f"delivered {relay.drain(max_rounds=50)}"

        return Scheduler(self.db, self.clock, [Job("outbox.deliver", 5, deliver)])

    def outbox_handlers(self) -> dict[str, Handler]:
        return {}

    def close(self) -> None:
        self.db.dispose()


def _workers(setting: int) -> int:
    return (os.cpu_count() or 1) if setting < 0 else setting


def build(
    settings: Settings | None = None, *, clock: Clock | None = None, migrate_db: bool = True
) -> Shelfwise:
    settings = settings or Settings.load()
    clock = clock or SystemClock()
    db = Database(settings.database_url, busy_timeout_ms=int(settings["sqlite_busy_timeout_ms"]))
    if migrate_db:
        migrate.upgrade(db)
    return Shelfwise(settings=settings, clock=clock, db=db, catalogue=CatalogueService(db, clock))


def asgi_app(shelf: Shelfwise) -> FastAPI:
    """The HTTP doors (API now; web pages later) over this instance's services."""
    from shelfwise.api.http import create_app

    return create_app(shelf)
