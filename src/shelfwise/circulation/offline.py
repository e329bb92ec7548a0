"""Offline circulation upload: transactions recorded while the network was down, replayed.

Each transaction carries its own id (a UUID made by the offline client). The id
becomes the idempotency key, so uploading the same file twice — or a file that
overlaps an earlier one — applies every transaction once. Transactions are
replayed in the order they happened; a refusal is reported as a conflict with
its reason code and does not stop the rest (the Evergreen/Koha lesson: staff
resolve conflicts afterwards, nothing is silently lost).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from shelfwise.circulation.idempotency import OFFLINE, RequestKey
from shelfwise.circulation.models import CheckinResult, Loan
from shelfwise.circulation.scope import Actor, authorise
from shelfwise.circulation.service import CirculationService
from shelfwise.core.errors import ShelfwiseError


class OfflineOp(StrEnum):
    CHECKOUT = "checkout"
    CHECKIN = "checkin"
    RENEW = "renew"


@dataclass(frozen=True, slots=True)
class OfflineTransaction:
    id: str
    op: OfflineOp
    at: datetime
    barcode: str
    branch: str
    card_number: str | None = None


@dataclass(frozen=True, slots=True)
class OfflineOutcome:
    id: str
    op: str
    barcode: str
    outcome: str  # applied, or conflict
    code: str | None  # the refusal code of a conflict


def apply(
    circulation: CirculationService,
    txn: OfflineTransaction,
    *,
    actor: Actor,
    prepare: Callable[[Loan | CheckinResult], object] | None = None,
) -> Loan | CheckinResult:
    """Apply one transaction (at most once per id); a refusal raises ``ShelfwiseError``.

    The one place an offline transaction meets the circulation rules: uploads
    (:func:`replay`) and a kiosk's no_block SIP2 messages both come through here.
    ``prepare`` sees the result before the transaction commits (a kiosk's reply).
    """
    # Offline ids are the offline client's, not one principal's: the same transaction
    # uploaded by two people, or sent by a kiosk and in a file, applies once.
    key = RequestKey(OFFLINE, txn.id)
    if txn.op is OfflineOp.CHECKIN:
        return circulation.checkin(
            txn.barcode, txn.branch, actor=actor, idempotency_key=key, prepare=prepare
        )
    if txn.card_number is None:
        raise ShelfwiseError("request.invalid", detail=f"{txn.id}: no card number")
    if txn.op is OfflineOp.CHECKOUT:
        return circulation.checkout(
            txn.card_number,
            txn.barcode,
            txn.branch,
            actor=actor,
            idempotency_key=key,
            prepare=prepare,
        )
    return circulation.renew(
        txn.card_number,
        txn.barcode,
        actor=actor,
        branch=txn.branch,
        idempotency_key=key,
        prepare=prepare,
    )


def replay(
    circulation: CirculationService, transactions: list[OfflineTransaction], *, actor: Actor
) -> list[OfflineOutcome]:
    """Apply a whole upload, oldest first. Refused as a whole, before anything is applied,
    when one transaction names a branch the uploader may not act at: a desk replays what
    happened at its own branches, and a half-applied file is harder to put right."""
    authorise(actor, at=sorted({t.branch for t in transactions}), desk_only=True)
    outcomes: list[OfflineOutcome] = []
    for txn in sorted(transactions, key=lambda t: (t.at, t.id)):
        try:
            apply(circulation, txn, actor=actor)
        except ShelfwiseError as exc:
            outcomes.append(OfflineOutcome(txn.id, str(txn.op), txn.barcode, "conflict", exc.code))
            continue
        outcomes.append(OfflineOutcome(txn.id, str(txn.op), txn.barcode, "applied", None))
    return outcomes
