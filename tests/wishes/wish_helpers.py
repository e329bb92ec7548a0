"""A small library for the wish wall's tests: branches, readers, a title with an ISBN,
a recording notice channel and the outbox relay, made through the real services."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import text

from shelfwise.catalogue.models import BranchKind, Lifecycle
from shelfwise.circulation.scope import Acting, reader_self
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.readers.models import Reader
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.wishes.models import WishDraft, WishKind

_counter = itertools.count(1)
STAFF = Acting("staff", ("CEN",))
NETWORK_STAFF = Acting("staff")


@dataclass
class Recorder:
    """A notice channel that keeps what it was asked to send."""

    name: str = "record"
    sent: list[tuple[str, str, str]] = field(default_factory=list)

    def send(self, to: str, subject: str, body: str) -> None:
        self.sent.append((to, subject, body))


@dataclass
class WishLibrary:
    services: Services
    tmp: Path
    channel: Recorder = field(default_factory=Recorder)

    def reader(self, name: str = "读者") -> Reader:
        n = next(_counter)
        return self.services.readers.register(
            name=f"{name}{n}", category="adult", email=f"r{n}@example.org"
        ).reader

    def title(self, title: str, isbn: str, copies: int = 0) -> int:
        n = next(_counter)
        record = Record(
            "00000nam a2200000 a 4500",
            [
                Field("001", data=f"wish-{n}-{id(self)}"),
                Field("020", "  ", [("a", isbn)]),
                Field("245", "10", [("a", title)]),
            ],
        )
        path = self.tmp / f"w{n}.mrc"
        path.write_bytes(encode(record))
        self.services.importer().import_file(path)
        with self.services.db.read() as conn:
            record_id = int(conn.execute(text("SELECT max(id) FROM records")).scalar_one())
        for k in range(copies):
            self.services.catalogue.add_item(
                record_id=record_id,
                barcode=f"W{n:05d}{k:03d}",
                branch_code="CEN",
                lifecycle=Lifecycle.IN_SERVICE,
            )
        return record_id

    def post(self, reader: Reader, title: str = "三体", **kw: object) -> int:
        values: dict[str, object] = {
            "kind": WishKind.BOOK,
            "title": title,
            "display_name": "爱书人",
            "branch": "CEN",
        }
        values.update(kw)
        draft = WishDraft(**values)  # type: ignore[arg-type]
        return self.services.wishes.post(draft, actor=reader_self(reader.card_number)).id

    def deliver(self) -> int:
        self.services.notice_channel = self.channel
        return Runtime(self.services, follow_search=False).outbox_relay().drain()

    def count(self, sql: str) -> int:
        with self.services.db.read() as conn:
            return int(conn.execute(text(sql)).scalar_one())


def make_library(services: Services, tmp_path: Path) -> WishLibrary:
    for code, kind in (("CEN", BranchKind.CENTRAL), ("BR1", BranchKind.BRANCH)):
        services.catalogue.add_branch(code=code, kind=kind, name_zh=code)
    return WishLibrary(services, tmp_path)
