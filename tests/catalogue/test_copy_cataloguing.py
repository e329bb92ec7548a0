"""Copy cataloguing (catalogue/copying.py) from a real Zebra server over Z39.50 and SRU, on
both engines: a record found there is saved here once; saving it again, or another
library's copy of the same book (same ISBN, or same title, author and year), joins the
record we have instead of making a duplicate; the other library's copies never come along."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shelfwise.catalogue.copying import CopyCataloguing, without_holdings
from shelfwise.catalogue.remote import Target, TargetKind
from shelfwise.core.errors import ShelfwiseError
from shelfwise.interop.remote_catalogues import RemoteCatalogues
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.tables import items, records
from shelfwise.testing import tools
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records
from shelfwise.testing.zebra import ZebraServer, zebra_server


@pytest.fixture(scope="module")
def zebra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZebraServer]:
    tools.require_tool("yaz-client", "the Debian package yaz")
    work = tmp_path_factory.mktemp("zebra")
    write_records(work / "records.mrc", 60)
    with zebra_server(work / "records.mrc", work / "server") as server:
        yield server


def _copying(services: Services, zebra: ZebraServer) -> CopyCataloguing:
    remote = RemoteCatalogues(
        [
            Target("zebra", "Zebra", TargetKind.Z3950, zebra.z3950_address),
            Target("zebra-sru", "Zebra SRU", TargetKind.SRU, zebra.sru_url),
        ]
    )
    return CopyCataloguing(services.db, services.importer, remote)


def _counts(services: Services) -> tuple[int, int]:
    with services.db.read() as conn:
        active = records.c.state == "active"
        n_records = conn.execute(select(func.count()).where(active)).scalar_one()
        n_items = conn.execute(select(func.count()).select_from(items)).scalar_one()
    return n_records, n_items


def _another_library(record: Record, agency: str, *, keep_isbn: bool) -> Record:
    """The same book as another agency catalogued it: its own 001/003, no ISBN if asked."""
    fields = [f for f in record.fields if f.tag not in ("001", "003")]
    if not keep_isbn:
        fields = [f for f in fields if f.tag != "020"]
    own = [Field("001", "  ", [], "other-77"), Field("003", "  ", [], agency)]
    return Record(record.leader, own + fields)


def test_copy_once_then_every_other_copy_joins_it(services: Services, zebra: ZebraServer) -> None:
    seed_branches(services.catalogue)
    copying = _copying(services, zebra)
    assert [t.key for t in copying.targets()] == ["zebra", "zebra-sru"]
    result = copying.search("zebra", "history")
    assert result.total >= 3
    picked = copying.pick("zebra", "history", 2)
    assert picked.position == 2
    assert not any(f.tag in ("852", "952") for f in picked.marc.fields)  # their copies stay there
    assert copying.matches(picked.marc, picked.dialect) == []
    before = _counts(services)
    first = copying.save(picked.marc, picked.dialect)
    assert first.outcome == "added"
    assert _counts(services) == (before[0] + 1, before[1])  # a record, no items
    # the same record again, this time over SRU: it is the record we have
    again = copying.pick("zebra-sru", "history", 2)
    assert [(m.record_id, m.matched_on) for m in copying.matches(again.marc, again.dialect)] == [
        (first.record_id, "source")
    ]
    assert copying.save(again.marc, again.dialect).outcome == "unchanged"
    # another library's record of the same book: joins by ISBN, then by title key
    for agency, keep_isbn, on in (("XXL", True, "isbn"), ("YYL", False, "title_key")):
        other = _another_library(picked.marc, agency, keep_isbn=keep_isbn)
        found = copying.matches(other, picked.dialect)
        assert [(m.record_id, m.matched_on) for m in found] == [(first.record_id, on)]
        assert found[0].title == picked.description.title
        saved = copying.save(other, picked.dialect)
        assert (saved.record_id, saved.outcome, saved.matched_on) == (first.record_id, "merged", on)
        # saved again, that agency's record is known by its own source key
        assert copying.matches(other, picked.dialect)[0].matched_on == "source"
    assert _counts(services) == (before[0] + 1, before[1])


def test_refusals(services: Services, zebra: ZebraServer) -> None:
    copying = _copying(services, zebra)
    picked = copying.pick("zebra", "history", 1)
    cases: list[tuple[Callable[[], object], str]] = [
        (lambda: copying.search("nope", "history"), "catalogue.copy_target_unknown"),
        (lambda: copying.search("zebra", "  "), "catalogue.copy_query_empty"),
        (lambda: copying.pick("zebra", "history", 999), "catalogue.copy_record_gone"),
        (
            lambda: copying.save(Record("00000nam a2200000 a 4500", []), picked.dialect),
            "catalogue.copy_record_unusable",  # no title anywhere
        ),
    ]
    for call, code in cases:
        with pytest.raises(ShelfwiseError) as caught:
            call()
        assert caught.value.code == code
    down = CopyCataloguing(
        services.db,
        services.importer,
        RemoteCatalogues([Target("gone", "Gone", TargetKind.Z3950, "127.0.0.1:9/Default")]),
    )
    with pytest.raises(ShelfwiseError) as caught:
        down.search("gone", "history")
    assert caught.value.code == "catalogue.copy_remote_failed"
    assert caught.value.params == {"target": "Gone", "reason": "cannot connect"}
    assert CopyCataloguing(services.db, services.importer, None).targets() == []


def test_holdings_fields_of_every_dialect_are_left_behind(tmp_path: Path) -> None:
    record = Record(
        "00000nam a2200000 a 4500",
        [Field(tag, "  ", [("a", "x")]) for tag in ("245", "852", "952", "049", "905", "805")],
    )
    assert [f.tag for f in without_holdings(record).fields] == ["245"]
