"""What circulation tells search about its shelves: the change event and the bulk read.

Circulation is search's availability source (issue 12 item 1). Every operation
that can put a copy on a shelf or take it off — checkout, check-in and take-back
(which also end transits and trap holds), a hold cancelled or expired with its
copy trapped, a reader deleted with trapped holds, loans moved in from another
system — writes one :data:`AVAILABILITY_CHANGED` event per record *in its own
transaction*, after its checks (a refused operation writes none, and so leaves
no gap in the outbox's ids for the follower to wait on). Search follows the
outbox as a change feed and re-documents those records, asking
:func:`on_shelf` where their copies are on the shelf now.

Declaring a loan lost writes nothing: the copy was on loan and stays off the
shelf. Lifecycle changes (lost, missing, withdrawn) are the catalogue's and
write its ``catalogue.record_changed``, which search follows too.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection

from shelfwise.circulation import repo
from shelfwise.core.clock import Clock
from shelfwise.storage.outbox import enqueue_many

AVAILABILITY_CHANGED = "circulation.availability_changed"
_CHUNK = 500  # record ids per query (SQLite's bound parameters)


def shelf_changed(conn: Connection, clock: Clock, record_ids: Iterable[int]) -> None:
    """Tell search (in the caller's transaction) that these records' shelves changed."""
    ids = sorted({int(i) for i in record_ids})
    enqueue_many(conn, clock, AVAILABILITY_CHANGED, [{"record_id": i} for i in ids])


def on_shelf(conn: Connection, record_ids: Iterable[int]) -> dict[int, frozenset[str]]:
    """Branch codes with a copy of each record on the shelf now (none: left out)."""
    ids = sorted(set(record_ids))
    found: dict[int, frozenset[str]] = {}
    for start in range(0, len(ids), _CHUNK):
        part = repo.shelf_branches(conn, ids[start : start + _CHUNK])
        found.update((record_id, frozenset(codes)) for record_id, codes in part.items())
    return found
