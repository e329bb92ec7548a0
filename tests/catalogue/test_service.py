"""Catalogue operations: branches, items and their lifecycle, merge and withdrawal with tombstones."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from shelfwise.catalogue.models import LIFECYCLE_TRANSITIONS, BranchKind, Lifecycle
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.outbox import pending_count
from shelfwise.storage.tables import sources, tombstones
from shelfwise.testing.branches import DEMO_BRANCHES
from shelfwise.testing.demo import seed_branches


def _records(services: Services, tmp_path: Path) -> tuple[int, int]:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    recs = [
        Record(
            "00000nam a2200000 a 4500",
            [
                Field("001", data=f"s{i}"),
                Field("100", "1 ", [("a", author)]),
                Field("245", "10", [("a", title)]),
                Field("852", "  ", [("b", "CEN"), ("h", f"K29{i}/1"), ("p", f"M{i}")]),
            ],
        )
        for i, (title, author) in enumerate([("朝鲜族简史", "朴昌昱"), ("조선족 력사", "리광인")])
    ]
    path = tmp_path / "two.mrc"
    path.write_bytes(b"".join(encode(r) for r in recs))
    services.importer().import_file(path)
    return services.catalogue.get_item("M0").record_id, services.catalogue.get_item("M1").record_id


def test_demo_network_has_every_kind_of_branch(services: Services) -> None:
    assert seed_branches(services.catalogue) == len(DEMO_BRANCHES)
    seed_branches(services.catalogue)  # idempotent
    branches = services.catalogue.list_branches()
    assert len(branches) == len(DEMO_BRANCHES)
    assert {b.kind for b in branches} == set(BranchKind)


def test_merge_moves_items_and_sources_and_leaves_a_tombstone(
    services: Services, tmp_path: Path
) -> None:
    survivor, duplicate = _records(services, tmp_path)
    merged = services.catalogue.merge(survivor_id=survivor, duplicate_id=duplicate)
    assert merged.item_count == 2
    assert services.catalogue.get_record(duplicate).state == "merged"
    assert services.catalogue.get_record(duplicate).merged_into_id == survivor
    with services.db.read() as conn:
        owners = set(conn.execute(select(sources.c.record_id)).scalars())
        stones = conn.execute(
            select(tombstones.c.entity_id, tombstones.c.replaced_by, tombstones.c.reason)
        ).all()
    assert owners == {survivor}
    assert [(s.entity_id, s.replaced_by, s.reason) for s in stones] == [
        (duplicate, survivor, "merged")
    ]
    with pytest.raises(ShelfwiseError) as excinfo:
        services.catalogue.merge(survivor_id=survivor, duplicate_id=duplicate)
    assert excinfo.value.code == "catalogue.record_not_active"
    with pytest.raises(ShelfwiseError) as excinfo:
        services.catalogue.merge(survivor_id=survivor, duplicate_id=survivor)
    assert excinfo.value.code == "catalogue.merge_into_self"


def test_withdraw_withdraws_every_copy(services: Services, tmp_path: Path) -> None:
    record_id, _ = _records(services, tmp_path)
    before = pending_count(services.db)
    summary = services.catalogue.withdraw(record_id)
    assert summary.state == "withdrawn"
    assert services.catalogue.get_item("M0").lifecycle is Lifecycle.WITHDRAWN
    assert pending_count(services.db) == before + 1  # the index hears of it through the outbox
    with pytest.raises(ShelfwiseError):
        services.catalogue.add_item(record_id=record_id, barcode="NEW", branch_code="CEN")


def test_items_barcodes_are_unique_and_lifecycle_follows_the_table(
    services: Services, tmp_path: Path
) -> None:
    record_id, _ = _records(services, tmp_path)
    item = services.catalogue.add_item(
        record_id=record_id, barcode="N1", branch_code="CEN", call_number="K295/3"
    )
    assert item.lifecycle is Lifecycle.IN_PROCESSING
    with pytest.raises(ShelfwiseError) as excinfo:
        services.catalogue.add_item(record_id=record_id, barcode="N1", branch_code="CEN")
    assert excinfo.value.code == "catalogue.barcode_taken"
    with pytest.raises(ShelfwiseError) as excinfo:
        services.catalogue.add_item(record_id=record_id, barcode="N2", branch_code="NOWHERE")
    assert excinfo.value.code == "catalogue.branch_not_found"
    with pytest.raises(ShelfwiseError) as excinfo:
        services.catalogue.set_lifecycle("N1", Lifecycle.LOST)  # not yet in service
    assert excinfo.value.code == "catalogue.lifecycle_transition"
    item = services.catalogue.set_lifecycle(
        "N1", Lifecycle.IN_SERVICE, expected_version=item.version
    )
    with pytest.raises(ShelfwiseError) as excinfo:
        services.catalogue.set_lifecycle("N1", Lifecycle.LOST, expected_version=item.version - 1)
    assert excinfo.value.code == "request.conflict"
    assert services.catalogue.set_lifecycle("N1", Lifecycle.LOST).lifecycle is Lifecycle.LOST


def test_lifecycle_table_is_complete_and_withdrawn_is_final() -> None:
    assert set(LIFECYCLE_TRANSITIONS) == set(Lifecycle)
    assert LIFECYCLE_TRANSITIONS[Lifecycle.WITHDRAWN] == frozenset()
    for state, targets in LIFECYCLE_TRANSITIONS.items():
        assert state not in targets
        if state is not Lifecycle.WITHDRAWN:
            assert Lifecycle.WITHDRAWN in targets


def test_items_list_in_call_number_order(services: Services, tmp_path: Path) -> None:
    record_id, _ = _records(services, tmp_path)
    for barcode, call in [("A", "K295.3/12"), ("B", "K295/7"), ("C", "K295.3/2")]:
        services.catalogue.add_item(
            record_id=record_id, barcode=barcode, branch_code="CEN", call_number=call
        )
    ordered = [
        i.call_number
        for i in services.catalogue.items_of(record_id)
        if i.barcode in {"A", "B", "C"}
    ]
    assert ordered == ["K295/7", "K295.3/2", "K295.3/12"]
