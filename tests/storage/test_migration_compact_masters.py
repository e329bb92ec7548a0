"""Migration 0010 converts every stored master, MARC-in-JSON to the compact form and back,
on both engines, and the catalogue reads the converted record as it was."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from shelfwise.marc import compact
from shelfwise.marc.marcjson import dumps as marc_json
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage import migrate

_OLD_RECORDS = sa.table(
    "records",
    sa.column("id", sa.BigInteger()),
    sa.column("dialect", sa.String()),
    sa.column("marc", sa.Text()),
    sa.column("title", sa.Text()),
    sa.column("description", sa.Text()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def _masters(count: int) -> list[Record]:
    return [
        Record(
            "00000nam a2200000 a 4500",
            [
                Field("001", data=f"m-{i}"),
                Field("245", "10", [("a", f"圖書館 {i} 도서관"), ("c", "某 编")]),
                Field("520", "  ", [("a", "長い注記 " * 800)]),  # 10,400 bytes: > ISO 2709's 9,999
                Field("650", " 0", [("a", "Λ"), ("x", "Я")]),
            ],
        )
        for i in range(count)
    ]


def test_upgrade_converts_every_master_and_downgrade_writes_json_back(
    services: Services,
) -> None:
    migrate.downgrade(services.db, "0009")
    masters = _masters(1203)  # more than two of the migration's pages
    now = datetime(2026, 12, 7, tzinfo=UTC)
    with services.db.engine.begin() as conn:
        conn.execute(
            sa.insert(_OLD_RECORDS),
            [
                {
                    "dialect": "marc21",
                    "marc": marc_json(m).decode("utf-8"),
                    "title": "t",
                    "description": "{}",
                    "created_at": now,
                    "updated_at": now,
                }
                for m in masters
            ],
        )
    migrate.upgrade(services.db)
    stored = [services.catalogue.get_marc(i) for i in range(1, len(masters) + 1)]
    assert stored == masters
    with services.db.engine.connect() as conn:
        raw = conn.execute(sa.text("SELECT master FROM records ORDER BY id")).scalars().all()
    assert [compact.loads(bytes(b)) for b in raw] == masters
    migrate.downgrade(services.db, "0009")
    with services.db.engine.connect() as conn:
        texts = conn.execute(sa.select(_OLD_RECORDS.c.marc).order_by(_OLD_RECORDS.c.id))
        assert [t.encode("utf-8") for t in texts.scalars()] == [marc_json(m) for m in masters]
    migrate.upgrade(services.db)
