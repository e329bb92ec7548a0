"""Saving a record from the MARC editor (catalogue/editing.py), on both backends: the
columns, ISBNs and search follow the new master; lint errors refuse, warnings are handed
back; a stale editor is refused; versions keep who saved what, and a restore is a new
version with the old MARC."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.catalogue.models import BranchKind, Cataloguer
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.outbox import pending_count

WANG = Cataloguer(7, "Wang Fang")
LEE = Cataloguer(8, "Lee Min")


def _one(services: Services, tmp_path: Path) -> int:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    record = Record(
        "00000nam a2200000 a 4500",
        [
            Field("001", data="ed1"),
            Field("008", data="261207s2024    cc            000 0 chi d"),
            Field("020", "  ", [("a", "9787101003048")]),
            Field("245", "10", [("a", "北京史")]),
            Field("852", "  ", [("b", "CEN"), ("h", "K291/1"), ("p", "ED1")]),
        ],
    )
    path = tmp_path / "one.mrc"
    path.write_bytes(encode(record))
    services.importer().import_file(path)
    return services.catalogue.get_item("ED1").record_id


def _edited(services: Services, record_id: int, title: str) -> Record:
    marc = services.catalogue.get_marc(record_id)
    fields = [f for f in marc.fields if f.tag != "245"]
    at = next(i for i, f in enumerate(fields) if f.tag > "245")
    fields.insert(at, Field("245", "10", [("a", title)]))
    fields.append(Field("856", "40", [("u", "https://example.org/beijing"), ("z", "online")]))
    return Record(marc.leader, fields)


def test_a_save_rewrites_the_record_and_keeps_versions(services: Services, tmp_path: Path) -> None:
    record_id = _one(services, tmp_path)
    opened = services.catalogue.record_version(record_id)
    before = pending_count(services.db)
    saved = services.catalogue.save_marc(
        record_id, _edited(services, record_id, "北京通史"), expected_version=opened, by=WANG
    )
    assert saved.version == opened + 1
    assert saved.warnings == []
    assert services.catalogue.get_record(record_id).title == "北京通史"
    assert services.catalogue.record_version(record_id) == opened + 1
    assert services.catalogue.get_marc(record_id).get("856") is not None
    assert pending_count(services.db) == before + 1  # catalogue.record_changed: reindex
    history = services.catalogue.versions(record_id)
    assert [(v.version, v.staff_name) for v in history] == [
        (opened + 1, "Wang Fang"),
        (opened, None),  # as imported, kept by the first save
    ]
    old = services.catalogue.version_marc(record_id, opened)
    assert old.get("245").first("a") == "北京史"  # type: ignore[union-attr]

    # A second editor who opened the record before the save is refused, nothing lost.
    with pytest.raises(ShelfwiseError) as stale:
        services.catalogue.save_marc(
            record_id, _edited(services, record_id, "x"), expected_version=opened, by=LEE
        )
    assert stale.value.code == "catalogue.record_changed"
    assert services.catalogue.get_record(record_id).title == "北京通史"

    restored = services.catalogue.restore_version(
        record_id, opened, expected_version=opened + 1, by=LEE
    )
    assert restored.version == opened + 2
    assert services.catalogue.get_record(record_id).title == "北京史"
    assert services.catalogue.get_marc(record_id).get("856") is None
    newest = services.catalogue.versions(record_id)[0]
    assert (newest.version, newest.staff_name, newest.restored_from) == (
        opened + 2,
        "Lee Min",
        opened,
    )


def test_lint_errors_refuse_and_warnings_are_told(services: Services, tmp_path: Path) -> None:
    record_id = _one(services, tmp_path)
    opened = services.catalogue.record_version(record_id)
    marc = services.catalogue.get_marc(record_id)
    no_title = Record(marc.leader, [f for f in marc.fields if f.tag != "245"])
    assert [f.code for f in services.catalogue.check_marc(record_id, no_title)] == ["title_missing"]
    with pytest.raises(ShelfwiseError) as refused:
        services.catalogue.save_marc(record_id, no_title, expected_version=opened, by=WANG)
    assert refused.value.code == "catalogue.marc_invalid"
    assert services.catalogue.versions(record_id) == []
    assert services.catalogue.get_record(record_id).title == "北京史"

    bad_isbn = _edited(services, record_id, "北京史")
    bad_isbn.fields[2] = Field("020", "  ", [("a", "9787101003049")])
    saved = services.catalogue.save_marc(record_id, bad_isbn, expected_version=opened, by=WANG)
    assert [w.code for w in saved.warnings] == ["isbn_invalid"]
    assert services.catalogue.get_record(record_id).isbns == []  # no valid ISBN now


def test_no_save_of_a_missing_or_withdrawn_record(services: Services, tmp_path: Path) -> None:
    record_id = _one(services, tmp_path)
    marc = services.catalogue.get_marc(record_id)
    with pytest.raises(ShelfwiseError) as missing:
        services.catalogue.save_marc(record_id + 99, marc, expected_version=1, by=WANG)
    assert missing.value.code == "catalogue.record_not_found"
    services.catalogue.withdraw(record_id)
    version = services.catalogue.record_version(record_id)
    with pytest.raises(ShelfwiseError) as gone:
        services.catalogue.save_marc(record_id, marc, expected_version=version, by=WANG)
    assert gone.value.code == "catalogue.record_not_active"
    with pytest.raises(ShelfwiseError) as none:
        services.catalogue.version_marc(record_id, 1)
    assert none.value.code == "catalogue.version_not_found"
