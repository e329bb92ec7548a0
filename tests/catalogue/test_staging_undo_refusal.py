"""An applied import's undo is refused once a copy it added has been lent, held or sent
in transit (catalogue/staging.py ``_undo``), with a clear message, and nothing changes:
the records, the copies, the circulation that uses them and the import's own state stay
as they were. Both engines (issue 20 item 3)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.tables import holds, items, loans, records, transits
from shelfwise.testing.demo import seed_branches

COPIES = ("UND0001", "UND0002", "UND0003")


def _vendor_file(tmp_path: Path) -> Path:
    path = tmp_path / "vendor.mrc"
    path.write_bytes(
        b"".join(
            encode(
                Record(
                    "00000nam a2200000 a 4500",
                    [
                        Field("001", data=f"undo-{n}"),
                        Field("003", data="VND"),
                        Field("245", "10", [("a", f"撤销测试 {n}")]),
                        Field("852", "  ", [("b", "CEN"), ("h", f"I247/{n}"), ("p", barcode)]),
                    ],
                )
            )
            for n, barcode in enumerate(COPIES)
        )
    )
    return path


def _reader(services: Services) -> str:
    return services.readers.register(name="读者", category="adult").reader.card_number


def _lent(services: Services) -> None:
    services.circulation.checkout(_reader(services), COPIES[0], "CEN", actor=SYSTEM)


def _lent_and_returned(services: Services) -> None:
    """A loan that is over still names the copy (its history): still refused."""
    _lent(services)
    services.circulation.checkin(COPIES[0], "CEN", actor=SYSTEM)


def _held(services: Services) -> None:
    record_id = services.catalogue.get_item(COPIES[1]).record_id
    services.circulation.place_hold(
        _reader(services), record_id, "CEN", actor=SYSTEM, item_barcode=COPIES[1]
    )


def _in_transit(services: Services) -> None:
    """Checked in at another branch: it travels home to CEN."""
    services.circulation.checkin(COPIES[2], "NGQ", actor=SYSTEM)


def _counts(services: Services) -> dict[str, int]:
    with services.db.read() as conn:
        return {
            name: int(conn.execute(select(func.count()).select_from(table)).scalar_one())
            for name, table in (
                ("records", records),
                ("items", items),
                ("loans", loans),
                ("holds", holds),
                ("transits", transits),
            )
        }


@pytest.mark.parametrize(
    "use", [_lent, _lent_and_returned, _held, _in_transit], ids=lambda f: f.__name__[1:]
)
def test_undo_is_refused_once_an_added_copy_is_in_use_and_nothing_changes(
    services: Services, tmp_path: Path, use: Callable[[Services], None]
) -> None:
    seed_branches(services.catalogue)
    staging = services.staging()
    staged = staging.stage(_vendor_file(tmp_path), "vendor.mrc", staff_name="cataloguer")
    assert staging.get(staged).counts["add"] == len(COPIES)
    staging.apply(staged)
    use(services)
    titles = {b: services.catalogue.title(services.catalogue.get_item(b).record_id) for b in COPIES}
    before = _counts(services)
    assert before["loans"] + before["holds"] + before["transits"] >= 1

    with pytest.raises(ShelfwiseError) as refused:
        staging.undo(staged)
    assert refused.value.code == "catalogue.import_undo_blocked"
    assert refused.value.status == 409
    assert refused.value.message("en") == (
        "1 copies this import added have been lent, held or sent since; it cannot be undone."
    )
    assert "不能撤销" in refused.value.message("zh")

    assert _counts(services) == before  # nothing removed, nothing restored
    assert staging.get(staged).state == "applied"  # still applied, still in its window
    for barcode, title in titles.items():
        assert services.catalogue.title(services.catalogue.get_item(barcode).record_id) == title


def test_undo_goes_through_when_no_added_copy_was_used(services: Services, tmp_path: Path) -> None:
    """The other side of the refusal: the same import, nothing lent, is undone."""
    seed_branches(services.catalogue)
    staging = services.staging()
    before = _counts(services)
    staged = staging.stage(_vendor_file(tmp_path), "vendor.mrc", staff_name="cataloguer")
    staging.apply(staged)
    assert _counts(services)["items"] == before["items"] + len(COPIES)
    assert staging.undo(staged).state == "undone"
    assert _counts(services)["items"] == before["items"]
