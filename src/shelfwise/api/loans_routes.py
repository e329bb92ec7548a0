"""Loans over the API: checkout, check-in, renewal, a reader's standing and loans, a copy's
status, lost copies and a record's availability (retries: ``circulation_inputs``)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, Field

from shelfwise.api.auth import self_or
from shelfwise.api.circulation_inputs import Code, Desk, DeskOrSelf, IdPath, Key, request_key
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.circulation.models import Loan
from shelfwise.circulation.renewals import LoanRenewal
from shelfwise.core.errors import ShelfwiseError, negotiate_language

router = APIRouter(tags=["circulation"], responses=ERROR_RESPONSES)


def _language(request: Request) -> str:
    """Sentences inside a 200 answer (a renewal's refusal) in the language errors use."""
    return negotiate_language(request.headers.get("accept-language"))


Language = Annotated[str, Depends(_language)]


class CheckoutIn(BaseModel):
    card_number: str = Code
    barcode: str = Code
    branch: str = Code


class CheckinIn(BaseModel):
    barcode: str = Code
    branch: str = Code


class RenewIn(BaseModel):
    card_number: str = Code
    barcode: str = Code
    branch: str | None = Field(
        default=None,
        min_length=1,
        max_length=64,
        description="Staff: the branch renewing it (one of theirs); default the lending branch.",
    )


class LoanOut(BaseModel):
    id: int
    barcode: str
    record_id: int
    status: str
    branch_id: int
    loaned_at: datetime
    due_on: date
    renewals: int
    returned_at: datetime | None
    rule_id: int | None


class RefusalOut(BaseModel):
    code: str
    message: str
    params: dict[str, str]


class LoanRenewalOut(BaseModel):
    loan: LoanOut
    title: str
    renewable: bool
    renewed_due_on: date | None = Field(description="the due date renewing now gives")
    refusal: RefusalOut | None = Field(description="why it cannot be renewed now")


class RenewAllOut(BaseModel):
    renewed: list[LoanRenewalOut]
    refused: list[LoanRenewalOut]


class BorrowingStandingOut(BaseModel):
    may_borrow: bool
    may_renew: bool
    may_hold: bool
    open_loans: int
    overdue_loans: int
    lost_loans: int
    owed_cents: int
    fee_limit_cents: int
    blocks: list[RefusalOut] = Field(description="why not, in the order checkout checks them")


class CheckinOut(BaseModel):
    barcode: str
    loan_id: int | None
    fine_cents: int
    hold_id: int | None
    hold_status: str | None
    transit_to_branch_id: int | None
    availability: str


class ItemStatusOut(BaseModel):
    barcode: str
    record_id: int
    home_branch_id: int
    availability: str
    due_on: date | None


def loan_out(loan: Loan) -> LoanOut:
    return LoanOut(**{f: getattr(loan, f) for f in LoanOut.model_fields})


def refusal_out(error: ShelfwiseError, language: str) -> RefusalOut:
    return RefusalOut(code=error.code, message=error.message(language), params=error.params)


def renewal_out(x: LoanRenewal, language: str) -> LoanRenewalOut:
    return LoanRenewalOut(
        loan=loan_out(x.loan),
        title=x.title,
        renewable=x.refusal is None,
        renewed_due_on=x.renewed_due_on,
        refusal=None if x.refusal is None else refusal_out(x.refusal, language),
    )


# Branch scope (docs/api.md): the service refuses a branch outside the account's.
@router.post("/checkout", response_model=LoanOut, status_code=201)
def checkout(
    body: CheckoutIn, who: Desk, services: ServicesDep, idempotency_key: Key = None
) -> LoanOut:
    """Check a copy out at ``branch`` (one of the account's branches)."""
    return loan_out(
        services.circulation.checkout(
            body.card_number,
            body.barcode,
            body.branch,
            actor=who,
            idempotency_key=request_key(who, idempotency_key),
        )
    )


@router.post("/checkin", response_model=CheckinOut)
def checkin(
    body: CheckinIn, who: Desk, services: ServicesDep, idempotency_key: Key = None
) -> CheckinOut:
    """Check a copy in at ``branch`` (one of the account's branches)."""
    result = services.circulation.checkin(
        body.barcode, body.branch, actor=who, idempotency_key=request_key(who, idempotency_key)
    )
    return CheckinOut(**asdict(result))


@router.post("/renew", response_model=LoanOut)
def renew(
    body: RenewIn, who: DeskOrSelf, services: ServicesDep, idempotency_key: Key = None
) -> LoanOut:
    """A reader renews their own loans; desk staff anyone's, at one of their branches."""
    return loan_out(
        services.circulation.renew(
            body.card_number,
            body.barcode,
            actor=who,
            branch=body.branch,
            idempotency_key=request_key(who, idempotency_key),
        )
    )


@router.post("/readers/{card_number}/renew-all", response_model=RenewAllOut)
def renew_all(
    card_number: str,
    who: DeskOrSelf,
    language: Language,
    services: ServicesDep,
    branch: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
    idempotency_key: Key = None,
) -> RenewAllOut:
    """Renew every loan of the reader that may be renewed; the others come back with why
    (the reader themself, or desk staff at ``branch`` or else where each was lent)."""
    done = services.circulation.renew_all(
        card_number, actor=who, branch=branch, idempotency_key=request_key(who, idempotency_key)
    )
    return RenewAllOut(
        renewed=[renewal_out(x, language) for x in done.renewed],
        refused=[renewal_out(x, language) for x in done.refused],
    )


@router.get(
    "/readers/{card_number}/renewals",
    response_model=list[LoanRenewalOut],
    dependencies=[Depends(self_or("readers.read", audit=("loans",)))],
)
def reader_renewals(
    card_number: str, language: Language, services: ServicesDep
) -> list[LoanRenewalOut]:
    """Each open loan: the due date renewing would give, or why it cannot be renewed."""
    return [renewal_out(x, language) for x in services.circulation.renewals_of(card_number)]


@router.get(
    "/readers/{card_number}/standing",
    response_model=BorrowingStandingOut,
    dependencies=[Depends(self_or("readers.read", audit=("standing",)))],
)
def reader_standing(
    card_number: str, language: Language, services: ServicesDep
) -> BorrowingStandingOut:
    """Whether the reader may borrow, renew and place holds now, and why not."""
    s = services.circulation.standing(card_number)
    return BorrowingStandingOut(
        may_borrow=s.may_borrow,
        may_renew=s.may_renew,
        may_hold=s.may_hold,
        open_loans=s.loans.open,
        overdue_loans=s.loans.overdue,
        lost_loans=s.loans.lost,
        owed_cents=s.owed_cents,
        fee_limit_cents=s.fee_limit_cents,
        blocks=[refusal_out(b, language) for b in s.borrow_blocks],
    )


@router.post("/items/{barcode}/lost", response_model=LoanOut)
def declare_lost(barcode: str, who: Desk, services: ServicesDep) -> LoanOut:
    """Declare the copy on loan lost and charge its price (staff of the lending branch)."""
    return loan_out(services.circulation.declare_lost(barcode, actor=who))


@router.get("/items/{barcode}/status", response_model=ItemStatusOut)
def item_status(barcode: str, services: ServicesDep) -> ItemStatusOut:
    s = services.circulation.item_status(barcode)
    return ItemStatusOut(
        barcode=s.barcode,
        record_id=s.record_id,
        home_branch_id=s.home_branch_id,
        availability=str(s.availability),
        due_on=s.due_on,
    )


@router.get("/records/{record_id}/availability", response_model=dict[str, int])
def availability(record_id: IdPath, services: ServicesDep) -> dict[str, int]:
    """Copies on the shelf per branch id."""
    counts = services.circulation.availability([record_id]).get(record_id, {})
    return {str(k): v for k, v in counts.items()}


@router.get(
    "/readers/{card_number}/loans",
    response_model=list[LoanOut],
    dependencies=[Depends(self_or("readers.read", audit=("loans",)))],
)
def reader_loans(card_number: str, services: ServicesDep) -> list[LoanOut]:
    return [loan_out(loan) for loan in services.circulation.loans_of(card_number)]
