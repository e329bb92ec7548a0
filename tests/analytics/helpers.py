"""A small lending library for the analytics tests, built through the real services:
titles with a CLC, KDC or DDC class, copies at two branches, readers of several ages."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.readers.models import Reader
from shelfwise.services import Services

_counter = itertools.count(1)

# (tag, indicators, subfields): where each scheme's number goes in MARC 21
CLASSES = {
    "clc:K": ("084", "  ", [("a", "K928.6"), ("2", "clc")]),
    "clc:T": ("084", "  ", [("a", "TP312"), ("2", "clc")]),
    "ddc:900": ("082", "04", [("a", "951.05")]),
    "kdc:800": ("084", "  ", [("a", "813.6"), ("2", "kdc")]),
}


@dataclass
class StatsLibrary:
    services: Services
    tmp: Path
    titles: dict[int, str] = field(default_factory=dict)  # record id -> planted main class

    def title(self, main_class: str | None, copies: int, branch: str = "CEN") -> list[str]:
        n = next(_counter)
        fields = [
            Field("001", data=f"stats-{n}-{id(self)}"),
            Field("245", "10", [("a", f"书 {n}")]),
        ]
        if main_class is not None:
            tag, ind, subfields = CLASSES[main_class]
            fields.append(Field(tag, ind, subfields))
        path = self.tmp / f"s{n}.mrc"
        path.write_bytes(encode(Record("00000nam a2200000 a 4500", fields)))
        self.services.importer().import_file(path)
        with self.services.db.read() as conn:
            record_id = int(conn.execute(text("SELECT max(id) FROM records")).scalar_one())
        self.titles[record_id] = main_class or "none"
        barcodes = []
        for k in range(copies):
            barcode = f"S{n:04d}{k:03d}"
            self.services.catalogue.add_item(
                record_id=record_id,
                barcode=barcode,
                branch_code=branch,
                lifecycle=Lifecycle.IN_SERVICE,
                price_cents=2000,
            )
            barcodes.append(barcode)
        return barcodes

    def reader(self, name: str, category: str = "adult", birth_year: int | None = 1990) -> Reader:
        reader = self.services.readers.register(
            name=name, category=category, birth_year=birth_year
        ).reader
        # Readers who keep a history: their returned loans keep them, so the test can
        # recount every act from the loans themselves.
        return self.services.readers.set_consent(reader.card_number, "reading_history", True)


def make_library(services: Services, tmp_path: Path) -> StatsLibrary:
    for code, kind in (
        ("CEN", BranchKind.CENTRAL),
        ("BR1", BranchKind.BRANCH),
        ("BR2", BranchKind.BRANCH),
    ):
        services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
    return StatsLibrary(services, tmp_path)
