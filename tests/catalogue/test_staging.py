"""Staged imports (catalogue/staging.py) on both engines: staging writes nothing public and
says truly what the import will do (each staged decision is what applying it did); the
review names the branch it will not create and the location it will; applying part
stores only that part; undo takes back what it added, merged and created and restores
what it updated; and the refusals (apply twice, undo twice, undo after the window)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, Table, func, select

from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.reading import ReadRecord, read_file
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.tables import items, locations, outbox, records, sources
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

OUTCOME = {"add": "added", "update": "updated", "merge": "merged", "unchanged": "unchanged"}


def _state(services: Services) -> dict[str, int]:
    with services.db.read() as conn:

        def count(table: Table, *where: ColumnElement[bool]) -> int:
            return int(
                conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
            )

        return {
            "records": count(records, records.c.state == "active"),
            "sources": count(sources),
            "items": count(items),
            "locations": count(locations),
            "outbox": count(outbox),
        }


def _with(record: Record, tag: str, field: Field | None) -> Record:
    kept = [f for f in record.fields if f.tag != tag]
    return Record(record.leader, kept + ([field] if field else []))


def _file(tmp_path: Path) -> tuple[Path, list[Record], Path]:
    """The library's own file, and a new one: 20 new records, and hand-made ones that
    update, repeat, duplicate by ISBN, hold copies at a branch we lack and at a new
    location, and a record that cannot be read."""
    ours = tmp_path / "ours.mrc"
    write_records(ours, 20, seed=1)
    held = [r.record for r in read_file(ours) if isinstance(r, ReadRecord)]
    fresh = tmp_path / "fresh.mrc"
    write_records(fresh, 20, seed=2)
    theirs = {r.record.control("001") for r in read_file(fresh) if isinstance(r, ReadRecord)}
    # MARC 21 records of ours the vendor's generated ones do not also send
    held = [r for r in held if r.get("245") and r.get("020") and r.control("001") not in theirs]
    changed_title = Field("245", "10", [("a", "A title changed by the vendor")])
    other_agency = _with(
        _with(held[2], "001", Field("001", data="vendor-9")), "003", Field("003", data="VND")
    )
    nowhere = Record(
        "00000nam a2200000 a 4500",
        [Field("001", data="nowhere-1"), Field("245", "10", [("a", "Held at a branch we lack")]),
         Field("852", "  ", [("b", "ZZZ"), ("p", "SWZ0001")])],
    )  # fmt: skip
    shelved = Record(
        "00000nam a2200000 a 4500",
        [Field("001", data="shelved-1"), Field("245", "10", [("a", "Shelved somewhere new")]),
         Field("852", "  ", [("b", "CEN"), ("c", "CEN-NEW"), ("p", "SWZ0002")])],
    )  # fmt: skip
    vendor = tmp_path / "vendor.mrc"
    vendor.write_bytes(
        fresh.read_bytes()
        + encode(_with(held[0], "245", changed_title))
        + encode(held[1])
        + encode(other_agency)
        + encode(nowhere)
        + encode(shelved)
        + b"99999this is not a MARC record\x1d"
    )
    return ours, held, vendor


def test_stage_review_apply_half_and_undo(
    services: Services, tmp_path: Path, clock: FrozenClock
) -> None:
    seed_branches(services.catalogue)
    ours, _, vendor = _file(tmp_path)
    services.importer().import_file(ours)
    staging = services.staging()
    before = _state(services)
    staged = staging.stage(vendor, "vendor.mrc", staff_name="cataloguer")
    assert _state(services) == before  # nothing public, nothing announced
    plan = staging.get(staged)
    assert plan.state == "staged"
    assert plan.counts["reject"] == 1
    assert plan.counts["update"] >= 1
    assert plan.counts["unchanged"] >= 1
    assert plan.counts["merge"] >= 1
    assert plan.counts["add"] >= 10
    assert plan.unknown_branches == ["ZZZ"]
    assert plan.new_locations == ["CEN/CEN-NEW"]
    by_title = {r.title: r for r in staging.records(staged)}
    assert by_title["A title changed by the vendor"].decision == "update"
    rejected = staging.records(staged, decision="reject")
    assert rejected[0].reason
    assert rejected[0].title == ""

    # approve half of the additions and the update
    adds = [r.seq for r in staging.records(staged, decision="add")]
    half = adds[: len(adds) // 2]
    update_seq = by_title["A title changed by the vendor"].seq
    update_id = by_title["A title changed by the vendor"].record_id
    assert update_id is not None
    old_title = services.catalogue.title(update_id)
    applied = staging.apply(staged, seqs=[*half, update_seq])
    assert applied.state == "applied"
    after = _state(services)
    assert after["records"] == before["records"] + len(half)
    assert services.catalogue.title(update_id) == "A title changed by the vendor"
    done = {r.seq: r for r in staging.records(staged)}
    for seq in [*half, update_seq]:
        assert done[seq].outcome == OUTCOME[done[seq].decision]  # the preview was true
    assert all(r.outcome is None for r in done.values() if r.seq not in {*half, update_seq})
    with pytest.raises(ShelfwiseError) as twice:
        staging.apply(staged)
    assert twice.value.code == "catalogue.import_not_staged"

    undone = staging.undo(staged)
    assert undone.state == "undone"
    final = _state(services)
    assert {k: final[k] for k in ("records", "sources", "items", "locations")} == {
        k: before[k] for k in ("records", "sources", "items", "locations")
    }
    assert services.catalogue.title(update_id) == old_title
    with pytest.raises(ShelfwiseError) as again:
        staging.undo(staged)
    assert again.value.code == "catalogue.import_not_applied"


def test_apply_everything_is_what_the_plan_said_and_undo_has_a_window(
    services: Services, tmp_path: Path, clock: FrozenClock
) -> None:
    seed_branches(services.catalogue)
    ours, _, vendor = _file(tmp_path)
    services.importer().import_file(ours)
    staging = services.staging()
    before = _state(services)
    staged = staging.stage(vendor, "vendor.mrc")
    applied = staging.apply(staged, decisions=["add", "update", "merge", "unchanged"])
    for r in staging.records(staged):
        if r.decision == "reject":
            assert r.outcome is None
        else:
            assert r.outcome == OUTCOME[r.decision], r
    after = _state(services)
    assert after["records"] == before["records"] + applied.counts["add"]
    assert after["locations"] == before["locations"] + 1  # CEN-NEW, as the review said
    clock.advance(timedelta(hours=services.settings.import_undo_hours, seconds=1))
    with pytest.raises(ShelfwiseError) as late:
        staging.undo(staged)
    assert late.value.code == "catalogue.import_undo_expired"
    with pytest.raises(ShelfwiseError) as missing:
        staging.get(999)
    assert missing.value.code == "catalogue.import_not_found"
