"""A small branch network with titles and copies, built through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.readers.models import Reader
from shelfwise.services import Services

_counter = itertools.count(1)


@dataclass
class LendingLibrary:
    """A library ready to lend: the branch network, titles with copies in service and
    readers, made on demand through the real services (circulation tests and benches)."""

    services: Services
    tmp: Path
    records: list[int] = field(default_factory=list)
    reusable: dict[str, tuple[int, list[str]]] = field(default_factory=dict)

    def same_title(self, key: str, copies: int) -> tuple[int, list[str]]:
        """One title per key, made once: storm trials reuse it (each trial cleans up)."""
        if key not in self.reusable:
            self.reusable[key] = self.title(key, copies=copies)
        return self.reusable[key]

    def title(
        self, title: str = "红楼梦", copies: int = 1, branch: str = "CEN"
    ) -> tuple[int, list[str]]:
        """A record with ``copies`` items in service at ``branch``: (record id, barcodes)."""
        n = next(_counter)
        record = Record(
            "00000nam a2200000 a 4500",
            [
                Field("001", data=f"circ-{n}-{id(self)}"),
                Field("245", "10", [("a", f"{title} {n}")]),
            ],
        )
        path = self.tmp / f"r{n}.mrc"
        path.write_bytes(encode(record))
        self.services.importer().import_file(path)
        with self.services.db.read() as conn:
            from sqlalchemy import text

            record_id = int(conn.execute(text("SELECT max(id) FROM records")).scalar_one())
        barcodes = []
        for k in range(copies):
            barcode = f"B{n:05d}{k:03d}"
            self.services.catalogue.add_item(
                record_id=record_id,
                barcode=barcode,
                branch_code=branch,
                lifecycle=Lifecycle.IN_SERVICE,
                price_cents=3000,
            )
            barcodes.append(barcode)
        return record_id, barcodes

    def reader(self, name: str = "读者", category: str = "adult", **kw: object) -> Reader:
        return self.services.readers.register(name=name, category=category, **kw).reader  # type: ignore[arg-type]


def make_library(services: Services, tmp_path: Path) -> LendingLibrary:
    for code, kind in (
        ("CEN", BranchKind.CENTRAL),
        ("BR1", BranchKind.BRANCH),
        ("K01", BranchKind.KIOSK),
    ):
        services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
    return LendingLibrary(services, tmp_path)
