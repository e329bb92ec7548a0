"""Holds over the API: a reader's holds, placing, cancelling and moving one, and a branch's
pull list and hold shelf."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from shelfwise.api.auth import audit_staff_read, self_or
from shelfwise.api.circulation_inputs import Code, Desk, DeskOrSelf, IdPath
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.circulation.models import Hold

router = APIRouter(tags=["circulation"], responses=ERROR_RESPONSES)


class HoldIn(BaseModel):
    card_number: str = Code
    record_id: int = Field(ge=1, le=2**62)
    pickup_branch: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        description="Where to pick it up; left out: the reader's own library (home branch).",
    )
    item_barcode: str | None = Field(default=None, min_length=1, max_length=64)


class PickupIn(BaseModel):
    pickup_branch: str = Code
    # Accepted for older clients and not needed: whose hold it is comes from the login.
    card_number: str | None = Field(default=None, min_length=1, max_length=64)


class HoldOut(BaseModel):
    id: int
    record_id: int
    item_id: int | None
    trapped_item_id: int | None
    pickup_branch_id: int
    status: str
    placed_at: datetime
    shelf_expires_on: date | None
    queue_position: int | None
    shelf_slot: int | None = Field(description="the hold-shelf slot, once ready")
    pickup_code: str | None = Field(description="the code to collect it with, once ready")


class PullOut(BaseModel):
    hold_id: int
    record_id: int
    barcode: str
    call_number: str
    pickup_branch_id: int
    placed_at: datetime


class HoldSlipOut(BaseModel):
    hold_id: int
    status: str
    record_id: int
    barcode: str | None
    call_number: str | None
    pickup_branch_id: int
    card_number: str | None
    reader_name: str | None
    placed_at: datetime
    shelf_expires_on: date | None
    shelf_slot: int | None
    pickup_code: str | None


def hold_out(hold: Hold) -> HoldOut:
    return HoldOut(**{f: getattr(hold, f) for f in HoldOut.model_fields})


@router.get(
    "/readers/{card_number}/holds",
    response_model=list[HoldOut],
    dependencies=[Depends(self_or("readers.read", audit=("holds",)))],
)
def reader_holds(card_number: str, services: ServicesDep) -> list[HoldOut]:
    return [hold_out(h) for h in services.circulation.holds_of(card_number)]


@router.post("/holds", response_model=HoldOut, status_code=201)
def place_hold(body: HoldIn, who: DeskOrSelf, services: ServicesDep) -> HoldOut:
    """A reader's own hold (any pickup branch); staff for anyone, picked up at one of
    their branches."""
    return hold_out(
        services.circulation.place_hold(
            body.card_number,
            body.record_id,
            body.pickup_branch,
            actor=who,
            item_barcode=body.item_barcode,
        )
    )


@router.get("/holds/{hold_id}", response_model=HoldOut)
def get_hold(hold_id: IdPath, who: DeskOrSelf, services: ServicesDep) -> HoldOut:
    return hold_out(services.circulation.get_hold(hold_id, actor=who))


@router.delete("/holds/{hold_id}", response_model=HoldOut)
def cancel_hold(hold_id: IdPath, who: DeskOrSelf, services: ServicesDep) -> HoldOut:
    """The reader's own hold, or staff of its pickup branch."""
    return hold_out(services.circulation.cancel_hold(hold_id, actor=who))


@router.put("/holds/{hold_id}/pickup", response_model=HoldOut)
def change_pickup(
    hold_id: IdPath, body: PickupIn, who: DeskOrSelf, services: ServicesDep
) -> HoldOut:
    """Move a waiting hold to another pickup branch (refused once a copy is trapped);
    staff move holds from and to their own branches."""
    return hold_out(services.circulation.change_pickup(hold_id, body.pickup_branch, actor=who))


@router.get("/branches/{code}/pull-list", response_model=list[PullOut])
def pull_list(code: str, who: Desk, services: ServicesDep) -> list[PullOut]:
    """Copies on this branch's shelves that holds want (staff of this branch)."""
    return [PullOut(**asdict(e)) for e in services.circulation.pull_list(code, actor=who)]


@router.get("/branches/{code}/hold-shelf", response_model=list[HoldSlipOut])
def hold_shelf(code: str, who: Desk, services: ServicesDep) -> list[HoldSlipOut]:
    """Holds trapped for pickup here, with each reader's card and name (audited, P7;
    staff of this branch)."""
    slips = services.circulation.hold_shelf(code, actor=who)
    for slip in slips:
        if slip.card_number is not None:
            audit_staff_read(
                services.access, who, slip.card_number, ("card_number", "name", "holds")
            )
    return [HoldSlipOut(**asdict(e)) for e in slips]
