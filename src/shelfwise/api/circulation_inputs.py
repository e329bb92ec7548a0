"""What the circulation routes share: who may call, the retry key, ids and codes.

Retries carry an ``Idempotency-Key`` header: the first result is stored and
returned again for every retry with the same key by the same principal; the same
key with a different request is a 409 (``circ.idempotency_mismatch``).

The routes: ``loans_routes`` (checkout, check-in, renewal, standing, item status),
``holds_routes`` (holds, the pull list and the hold shelf), ``fees_routes`` (fees and
deposits), ``rules_routes`` (loan rules and branch calendars) and ``offline_routes``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Path
from pydantic import Field

from shelfwise.access.models import Principal
from shelfwise.api.auth import reader_or_staff, staff
from shelfwise.circulation.idempotency import RequestKey

Key = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Retry key: the same key and request get the first result again; "
        "the same key with another request is a 409.",
    ),
]
Code = Field(min_length=1, max_length=64)
# Ids fit a signed 64-bit column on both engines.
IdPath = Annotated[int, Path(ge=1, le=2**62)]

# Readers act for themselves (the service checks whose it is); staff need the desk.
DeskOrSelf = Annotated[Principal, Depends(reader_or_staff("circulation.desk"))]
Desk = Annotated[Principal, Depends(staff("circulation.desk"))]
Rules = Annotated[Principal, Depends(staff("circulation.rules"))]
CASHIER = [Depends(staff("circulation.fees"))]


def request_key(who: Principal, key: str | None) -> RequestKey | None:
    """The ``Idempotency-Key`` header as this principal's: another's key finds nothing."""
    return RequestKey.of(f"{who.kind}:{who.id}", key)
