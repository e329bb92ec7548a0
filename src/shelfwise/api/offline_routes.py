"""Offline circulation over the API: checkouts and check-ins a desk recorded while it could
not reach the server, replayed once it can (``circulation/offline.py``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field

from shelfwise.api.circulation_inputs import Code, Desk
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.circulation.offline import OfflineOp, OfflineTransaction, replay

router = APIRouter(tags=["circulation"], responses=ERROR_RESPONSES)


class OfflineIn(BaseModel):
    id: str = Field(min_length=1, max_length=100)
    op: OfflineOp
    at: datetime
    barcode: str = Code
    branch: str = Code
    card_number: str | None = Field(default=None, min_length=1, max_length=64)


class OfflineOutcomeOut(BaseModel):
    id: str
    op: str
    barcode: str
    outcome: str
    code: str | None


@router.post("/offline-uploads", response_model=list[OfflineOutcomeOut])
def offline_upload(
    body: Annotated[list[OfflineIn], Field(max_length=5000)], who: Desk, services: ServicesDep
) -> list[OfflineOutcomeOut]:
    """Replay transactions recorded offline; each id applies once; conflicts are reported.
    Refused as a whole (403, nothing applied) when a transaction names a branch outside
    the account's."""
    txns = [OfflineTransaction(**t.model_dump()) for t in body]
    outcomes = replay(services.circulation, txns, actor=who)
    return [OfflineOutcomeOut(**asdict(o)) for o in outcomes]
