"""Money over the API: a reader's fees, charging, payments and waivers, and deposits (押金)
with the deposit-free credit mode (信用借阅): docs/circulation.md."""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from shelfwise.api.auth import self_or
from shelfwise.api.circulation_inputs import CASHIER, Code, IdPath
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.circulation.deposits import Deposit
from shelfwise.circulation.models import Fee

router = APIRouter(tags=["circulation"], responses=ERROR_RESPONSES)


class FeeOut(BaseModel):
    id: int
    loan_id: int | None
    kind: str
    status: str
    amount_cents: int
    paid_cents: int
    waived_cents: int
    note: str
    created_at: datetime


class ChargeIn(BaseModel):
    card_number: str = Code
    kind: str = Field(min_length=1, max_length=16)
    amount_cents: int = Field(ge=1, le=10**9)
    note: str = Field(default="", max_length=500)


class PaymentIn(BaseModel):
    amount_cents: int = Field(ge=1, le=10**9)


class WaiverIn(BaseModel):
    note: str = Field(min_length=1, max_length=500)


class DepositIn(BaseModel):
    amount_cents: int = Field(ge=1, le=10**9)
    method: str = Field(
        min_length=1, max_length=16, description="cash, wechat, alipay, card, transfer"
    )
    note: str = Field(default="", max_length=500)


class DepositOut(BaseModel):
    id: int
    amount_cents: int
    status: str
    method: str
    note: str
    created_at: datetime
    closed_at: datetime | None


class StandingOut(BaseModel):
    required_cents: int
    held_cents: int
    credit_eligible: bool
    credit_reasons: list[str]
    may_borrow: bool
    explanation: str


def fee_out(fee: Fee) -> FeeOut:
    return FeeOut(**{f: getattr(fee, f) for f in FeeOut.model_fields})


def deposit_out(d: Deposit) -> DepositOut:
    return DepositOut(**{f: getattr(d, f) for f in DepositOut.model_fields})


@router.get(
    "/readers/{card_number}/fees",
    response_model=list[FeeOut],
    dependencies=[Depends(self_or("readers.read", audit=("fees",)))],
)
def reader_fees(card_number: str, services: ServicesDep) -> list[FeeOut]:
    return [fee_out(f) for f in services.fees.fees_of(card_number)]


@router.post("/fees", response_model=FeeOut, status_code=201, dependencies=CASHIER)
def charge(body: ChargeIn, services: ServicesDep) -> FeeOut:
    return fee_out(services.fees.charge(body.card_number, body.kind, body.amount_cents, body.note))


@router.post("/fees/{fee_id}/payments", response_model=FeeOut, dependencies=CASHIER)
def pay(fee_id: IdPath, body: PaymentIn, services: ServicesDep) -> FeeOut:
    return fee_out(services.fees.pay(fee_id, body.amount_cents))


@router.post("/fees/{fee_id}/waiver", response_model=FeeOut, dependencies=CASHIER)
def waive(fee_id: IdPath, body: WaiverIn, services: ServicesDep) -> FeeOut:
    return fee_out(services.fees.waive(fee_id, body.note))


@router.post(
    "/readers/{card_number}/deposits",
    response_model=DepositOut,
    status_code=201,
    dependencies=CASHIER,
)
def take_deposit(card_number: str, body: DepositIn, services: ServicesDep) -> DepositOut:
    """Record a deposit the reader left (method: cash, wechat, alipay, card, transfer)."""
    return deposit_out(
        services.deposits.take(card_number, body.amount_cents, body.method, body.note)
    )


@router.get(
    "/readers/{card_number}/deposits",
    response_model=list[DepositOut],
    dependencies=[Depends(self_or("readers.read", audit=("deposits",)))],
)
def reader_deposits(card_number: str, services: ServicesDep) -> list[DepositOut]:
    return [deposit_out(d) for d in services.deposits.of(card_number)]


@router.get(
    "/readers/{card_number}/deposit-standing",
    response_model=StandingOut,
    dependencies=[Depends(self_or("readers.read", audit=("deposits",)))],
)
def deposit_standing(card_number: str, services: ServicesDep) -> StandingOut:
    """Deposit required and held, and the credit decision with its reasons."""
    s = services.deposits.standing(card_number)
    return StandingOut(
        required_cents=s.required_cents,
        held_cents=s.held_cents,
        credit_eligible=s.credit.eligible,
        credit_reasons=list(s.credit.reasons),
        may_borrow=s.may_borrow,
        explanation=s.explanation,
    )


@router.post("/deposits/{deposit_id}/refund", response_model=DepositOut, dependencies=CASHIER)
def refund_deposit(deposit_id: IdPath, services: ServicesDep) -> DepositOut:
    """Refund a held deposit (refused while the reader has open loans or fees)."""
    return deposit_out(services.deposits.refund(deposit_id))
