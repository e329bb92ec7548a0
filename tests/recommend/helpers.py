"""A lending library for the recommendation tests, built through the real services:
titles imported as MARC, copies at the central library, readers who consent or not."""

from __future__ import annotations

import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select, text

from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.circulation.activity import BORROWED
from shelfwise.circulation.scope import SYSTEM
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.readers.models import Reader
from shelfwise.recommend.models import RecommendPolicy
from shelfwise.recommend.service import RecommendService
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.storage.outbox import OutboxRelay
from shelfwise.storage.tables import outbox

_counter = itertools.count(1)


@dataclass
class Library:
    services: Services
    tmp: Path
    barcodes: dict[int, list[str]] = field(default_factory=dict)  # record id -> copies
    out: set[str] = field(default_factory=set)  # copies kept on loan

    def titles(self, n: int, copies: int = 1, clc: str = "I247.5") -> list[int]:
        """``n`` new titles (one MARC file, one import), each with ``copies`` copies."""
        batch = next(_counter)
        records = [
            Record(
                "00000nam a2200000 a 4500",
                [
                    Field("001", data=f"rec-{batch}-{i}-{id(self)}"),
                    Field("084", "  ", [("a", clc), ("2", "clc")]),
                    Field("245", "10", [("a", f"书 {batch}-{i}")]),
                ],
            )
            for i in range(n)
        ]
        path = self.tmp / f"t{batch}.mrc"
        path.write_bytes(b"".join(encode(r) for r in records))
        self.services.importer().import_file(path)
        with self.services.db.read() as conn:
            ids = [
                int(i) for i in conn.execute(text("SELECT id FROM records ORDER BY id")).scalars()
            ]
        made = ids[-n:]
        for j, record_id in enumerate(made):
            self.barcodes[record_id] = []
            for k in range(copies):
                barcode = f"R{batch:03d}{j:04d}{k:02d}"
                self.services.catalogue.add_item(
                    record_id=record_id,
                    barcode=barcode,
                    branch_code="CEN",
                    lifecycle=Lifecycle.IN_SERVICE,
                    price_cents=2000,
                )
                self.barcodes[record_id].append(barcode)
        return made

    def reader(
        self, name: str, *, consents: bool, category: str = "adult", pin: str | None = None
    ) -> Reader:
        reader = self.services.readers.register(name=name, category=category, pin=pin).reader
        if consents:
            reader = self.services.readers.set_consent(reader.card_number, "recommendations", True)
        return reader

    def borrow(self, reader: Reader, record_id: int, *, keep: bool = False) -> None:
        """A checkout of the title's first free copy, returned at once unless ``keep``."""
        circulation = self.services.circulation
        for barcode in self.barcodes[record_id]:
            if barcode not in self.out:
                circulation.checkout(reader.card_number, barcode, "CEN", actor=SYSTEM)
                if keep:
                    self.out.add(barcode)
                else:
                    circulation.checkin(barcode, "CEN", actor=SYSTEM)
                return
        raise AssertionError(f"no free copy of record {record_id}")

    def deliver(self) -> None:
        """The runtime's own handler of circulation's ``circulation.borrowed``; then wait
        for every such event to be delivered (a TestClient's lifespan runs the app's own
        relay, which may hold an event this drain cannot claim)."""
        handler = Runtime(self.services).outbox_handlers()[BORROWED]
        relay = OutboxRelay(self.services.db, self.services.clock, {BORROWED: handler})
        deadline = time.monotonic() + 120
        while True:
            relay.drain()
            with self.services.db.read() as conn:
                waiting = conn.execute(
                    select(func.count())
                    .select_from(outbox)
                    .where(outbox.c.topic == BORROWED, outbox.c.delivered_at.is_(None))
                ).scalar_one()
            if not waiting:
                return
            assert time.monotonic() < deadline, f"{waiting} borrowed events not delivered"
            time.sleep(0.2)

    def recommender(self, k: int) -> RecommendService:
        """The service with k set (the setting's default, 5, needs more readers)."""
        s = self.services
        policy = RecommendPolicy(min_readers=k, factors=8, iterations=8)
        return RecommendService(s.db, s.clock, policy, s.circulation, s.everyone)


def make_library(services: Services, tmp_path: Path) -> Library:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="中心馆")
    return Library(services, tmp_path)
