"""Editing copies (issue 20 items): one copy's call number, type, branch and location, and
a bulk edit of many (location, status, type). :class:`CatalogueService` includes these.

The rules, once: a location belongs to the copy's (new) branch; a status change follows
the lifecycle's allowed moves (``LIFECYCLE_TRANSITIONS``); an item type is a short code.
A bulk edit changes every copy it may in one transaction and reports each one it may
not with the reason, so one lost copy on a cart does not stop the other forty.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import Connection

from shelfwise.catalogue import repo_holdings
from shelfwise.catalogue.importing import RECORD_CHANGED
from shelfwise.catalogue.models import (
    LIFECYCLE_TRANSITIONS,
    BulkOutcome,
    Item,
    ItemChange,
    Lifecycle,
)
from shelfwise.core.callnumber import sort_key as call_number_sort_key
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import enqueue_many

_ITEM_TYPE = re.compile(r"^[a-z0-9_-]{1,32}$")
BULK_MAX = 500  # copies in one bulk edit (a cart is a few dozen)


class ItemEditing:
    _db: Database
    _clock: Clock

    def update_item(
        self,
        barcode: str,
        *,
        call_number: str,
        item_type: str,
        branch_code: str,
        location_code: str,
        lifecycle: Lifecycle,
        expected_version: int,
    ) -> Item:
        """Change one copy; ``location_code`` "" for none. Refused whole on any rule."""
        now = self._clock.now()
        with self._db.write() as conn:
            row = repo_holdings.item_row(conn, barcode)
            if row is None:
                raise ShelfwiseError("catalogue.item_not_found", barcode=barcode)
            if row.version != expected_version:
                raise ShelfwiseError("request.conflict")
            change = ItemChange(branch_code, location_code, lifecycle, item_type)
            values = _values(conn, row, change)
            values["call_number"] = call_number.strip()[:100]
            values["call_number_sort"] = call_number_sort_key(values["call_number"])[:200]
            repo_holdings.update_item(conn, row.id, now, values)
            enqueue_many(conn, self._clock, RECORD_CHANGED, [{"record_id": row.record_id}])
        return self.get_item(barcode)  # type: ignore[attr-defined,no-any-return]

    def bulk_update(self, barcodes: list[str], change: ItemChange) -> BulkOutcome:
        wanted = list(dict.fromkeys(b.strip() for b in barcodes if b.strip()))
        if not wanted or len(wanted) > BULK_MAX:
            raise ShelfwiseError("catalogue.bulk_size", most=BULK_MAX)
        now = self._clock.now()
        changed: list[str] = []
        refused: list[tuple[str, str, dict[str, str]]] = []
        records: set[int] = set()
        with self._db.write() as conn:
            for barcode in wanted:
                row = repo_holdings.item_row(conn, barcode)
                try:
                    if row is None:
                        raise ShelfwiseError("catalogue.item_not_found", barcode=barcode)
                    values = _values(conn, row, change)
                except ShelfwiseError as exc:
                    refused.append((barcode, exc.code, {k: str(v) for k, v in exc.params.items()}))
                    continue
                if values:
                    repo_holdings.update_item(conn, row.id, now, values)
                    records.add(row.record_id)
                changed.append(barcode)
            enqueue_many(
                conn, self._clock, RECORD_CHANGED, [{"record_id": r} for r in sorted(records)]
            )
        return BulkOutcome(changed, refused)


def _values(conn: Connection, row: Any, change: ItemChange) -> dict[str, Any]:
    """The columns ``change`` sets on the copy ``row``, or the rule it breaks."""
    values: dict[str, Any] = {}
    branch_id = row.home_branch_id
    if change.branch_code is not None:
        branch = repo_holdings.branch_row(conn, change.branch_code)
        if branch is None:
            raise ShelfwiseError("catalogue.branch_not_found", branch=change.branch_code)
        if branch.id != branch_id:
            values["home_branch_id"] = branch_id = branch.id
            values["location_id"] = None  # a location of the old branch is not one here
    if change.location_code is not None:
        if change.location_code:
            location = repo_holdings.location_row(conn, branch_id, change.location_code)
            if location is None:
                raise ShelfwiseError(
                    "catalogue.location_elsewhere",
                    barcode=row.barcode,
                    location=change.location_code,
                )
            values["location_id"] = location.id
        else:
            values["location_id"] = None
    if change.lifecycle is not None and change.lifecycle != row.lifecycle:
        current = Lifecycle(row.lifecycle)
        if change.lifecycle not in LIFECYCLE_TRANSITIONS[current]:
            raise ShelfwiseError(
                "catalogue.lifecycle_transition",
                barcode=row.barcode,
                current=current,
                target=change.lifecycle,
            )
        values["lifecycle"] = str(change.lifecycle)
    if change.item_type is not None and change.item_type != row.item_type:
        if not _ITEM_TYPE.match(change.item_type):
            raise ShelfwiseError("catalogue.item_type_invalid", item_type=change.item_type)
        values["item_type"] = change.item_type
    return values
