"""Circulation endpoints: checkout, check-in, renewal, holds, fees, rules and calendars.

Retries carry an ``Idempotency-Key`` header: the first result is stored and
returned again for every retry with the same key by the same principal; the same
key with a different request is a 409 (``circ.idempotency_mismatch``).
"""

from dataclasses import asdict
from datetime import date, datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Header, Path, Query, Request
from pydantic import BaseModel, Field

from shelfwise.access.models import Principal
from shelfwise.api.auth import Guards
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.circulation.deposits import Deposit, DepositService
from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.models import Fee, Hold, Loan
from shelfwise.circulation.offline import OfflineOp, OfflineTransaction, replay
from shelfwise.circulation.renewals import LoanRenewal
from shelfwise.circulation.rules import RULE_FIELDS, Calendar, Hours, LoanRule
from shelfwise.core.errors import ShelfwiseError, negotiate_language

if TYPE_CHECKING:
    from shelfwise.app import Services

Key = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        max_length=200,
        description="Retry key: the same key and request get the first result again; "
        "the same key with another request is a 409.",
    ),
]


def _language(request: Request) -> str:
    """Sentences inside a 200 answer (a renewal's refusal) in the language errors use."""
    return negotiate_language(request.headers.get("accept-language"))


Language = Annotated[str, Depends(_language)]
Code = Field(min_length=1, max_length=64)
# Ids fit a signed 64-bit column on both engines.
IdPath = Annotated[int, Path(ge=1, le=2**62)]


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


class HoldIn(BaseModel):
    card_number: str = Code
    record_id: int = Field(ge=1, le=2**62)
    pickup_branch: str = Code
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


class RuleIn(BaseModel):
    reader_category: str | None = Field(default=None, min_length=1, max_length=32)
    item_type: str | None = Field(default=None, min_length=1, max_length=32)
    branch: str | None = Field(default=None, min_length=1, max_length=32)
    values: dict[str, Annotated[int, Field(ge=0, le=100000)]] = Field(default_factory=dict)


class RuleOut(BaseModel):
    id: int | None
    reader_category: str | None
    item_type: str | None
    branch_id: int | None
    loan_days: int
    renewals: int
    loan_limit: int
    hold_limit: int
    fine_cents_per_day: int
    fine_max_cents: int
    grace_days: int
    hold_shelf_days: int
    lost_fee_cents: int


class ExplainOut(BaseModel):
    rule: RuleOut
    explanation: str


class SpanIO(BaseModel):
    """Open from ``opens`` to ``closes`` (local time) on a weekday (0 = Monday) or a date."""

    weekday: int | None = Field(default=None, ge=0, le=6)
    day: date | None = None
    opens: str = Field(pattern=r"^([01][0-9]|2[0-3]):[0-5][0-9]$", examples=["09:00"])
    closes: str = Field(pattern=r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$", examples=["21:00"])


class CalendarIO(BaseModel):
    closed_weekdays: list[Annotated[int, Field(ge=0, le=6)]] = Field(max_length=7)
    closed_days: list[date] = Field(max_length=1000)
    hours: list[SpanIO] | None = Field(
        default=None,
        max_length=1000,
        description="Opening hours: weekly spans, and dates whose hours differ. Omitted in a "
        "PUT: the hours stay as they are.",
    )


class ItemStatusOut(BaseModel):
    barcode: str
    record_id: int
    home_branch_id: int
    availability: str
    due_on: date | None


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


def request_key(who: Principal, key: str | None) -> RequestKey | None:
    """The ``Idempotency-Key`` header as this principal's: another's key finds nothing."""
    return RequestKey.of(f"{who.kind}:{who.id}", key)


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


def _minute(text: str) -> int:
    hours, minutes = text.split(":")
    return int(hours) * 60 + int(minutes)


def hours_in(spans: list[SpanIO]) -> tuple[dict[int, list[Hours]], dict[date, list[Hours]]]:
    weekly: dict[int, list[Hours]] = {}
    special: dict[date, list[Hours]] = {}
    for span in spans:
        try:
            hours = Hours(_minute(span.opens), _minute(span.closes))
        except ValueError as exc:
            raise ShelfwiseError("circ.hours_invalid", detail=str(exc)) from None
        if span.weekday is not None and span.day is None:
            weekly.setdefault(span.weekday, []).append(hours)
        elif span.day is not None and span.weekday is None:
            special.setdefault(span.day, []).append(hours)
        else:
            raise ShelfwiseError("circ.hours_invalid", detail="give a weekday or a date")
    return weekly, special


def calendar_out(cal: Calendar) -> CalendarIO:
    spans = [
        SpanIO(weekday=d, opens=h.opens_at, closes=h.closes_at)
        for d, hours in sorted(cal.weekly_hours.items())
        for h in hours
    ]
    spans += [
        SpanIO(day=d, opens=h.opens_at, closes=h.closes_at)
        for d, hours in sorted(cal.special_hours.items())
        for h in hours
    ]
    return CalendarIO(
        closed_weekdays=sorted(cal.closed_weekdays),
        closed_days=sorted(cal.closed_days),
        hours=spans,
    )


def hold_out(hold: Hold) -> HoldOut:
    return HoldOut(**{f: getattr(hold, f) for f in HoldOut.model_fields})


def fee_out(fee: Fee) -> FeeOut:
    return FeeOut(**{f: getattr(fee, f) for f in FeeOut.model_fields})


def rule_out(rule: LoanRule) -> RuleOut:
    return RuleOut(**{f: getattr(rule, f) for f in RuleOut.model_fields})


def router(services: "Services") -> APIRouter:  # noqa: C901, PLR0915 - one nested function per route
    api = APIRouter(tags=["circulation"], responses=ERROR_RESPONSES)
    circ, accounts = services.circulation, services.accounts
    guards = Guards(services.access)
    # Readers act for themselves (the service checks whose it is); staff need the desk.
    DeskOrSelf = Annotated[Principal, Depends(guards.reader_or_staff("circulation.desk"))]
    Desk = Annotated[Principal, Depends(guards.staff("circulation.desk"))]
    Rules = Annotated[Principal, Depends(guards.staff("circulation.rules"))]
    cashier = [Depends(guards.staff("circulation.fees"))]

    # Branch scope (docs/api.md): the service refuses a branch outside the account's.
    @api.post("/checkout", response_model=LoanOut, status_code=201)
    def checkout(body: CheckoutIn, who: Desk, idempotency_key: Key = None) -> LoanOut:
        """Check a copy out at ``branch`` (one of the account's branches)."""
        return loan_out(
            circ.checkout(
                body.card_number,
                body.barcode,
                body.branch,
                actor=who,
                idempotency_key=request_key(who, idempotency_key),
            )
        )

    @api.post("/checkin", response_model=CheckinOut)
    def checkin(body: CheckinIn, who: Desk, idempotency_key: Key = None) -> CheckinOut:
        """Check a copy in at ``branch`` (one of the account's branches)."""
        result = circ.checkin(
            body.barcode, body.branch, actor=who, idempotency_key=request_key(who, idempotency_key)
        )
        return CheckinOut(**asdict(result))

    @api.post("/renew", response_model=LoanOut)
    def renew(body: RenewIn, who: DeskOrSelf, idempotency_key: Key = None) -> LoanOut:
        """A reader renews their own loans; desk staff anyone's, at one of their branches."""
        return loan_out(
            circ.renew(
                body.card_number,
                body.barcode,
                actor=who,
                branch=body.branch,
                idempotency_key=request_key(who, idempotency_key),
            )
        )

    @api.post("/readers/{card_number}/renew-all", response_model=RenewAllOut)
    def renew_all(
        card_number: str,
        who: DeskOrSelf,
        language: Language,
        branch: Annotated[str | None, Query(min_length=1, max_length=64)] = None,
        idempotency_key: Key = None,
    ) -> RenewAllOut:
        """Renew every loan of the reader that may be renewed; the others come back with why
        (the reader themself, or desk staff at ``branch`` or else where each was lent)."""
        done = circ.renew_all(
            card_number, actor=who, branch=branch, idempotency_key=request_key(who, idempotency_key)
        )
        return RenewAllOut(
            renewed=[renewal_out(x, language) for x in done.renewed],
            refused=[renewal_out(x, language) for x in done.refused],
        )

    @api.get(
        "/readers/{card_number}/renewals",
        response_model=list[LoanRenewalOut],
        dependencies=[Depends(guards.self_or("readers.read", audit=("loans",)))],
    )
    def reader_renewals(card_number: str, language: Language) -> list[LoanRenewalOut]:
        """Each open loan: the due date renewing would give, or why it cannot be renewed."""
        return [renewal_out(x, language) for x in circ.renewals_of(card_number)]

    @api.get(
        "/readers/{card_number}/standing",
        response_model=BorrowingStandingOut,
        dependencies=[Depends(guards.self_or("readers.read", audit=("standing",)))],
    )
    def reader_standing(card_number: str, language: Language) -> BorrowingStandingOut:
        """Whether the reader may borrow, renew and place holds now, and why not."""
        s = circ.standing(card_number)
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

    @api.post("/items/{barcode}/lost", response_model=LoanOut)
    def declare_lost(barcode: str, who: Desk) -> LoanOut:
        """Declare the copy on loan lost and charge its price (staff of the lending branch)."""
        return loan_out(circ.declare_lost(barcode, actor=who))

    @api.get("/items/{barcode}/status", response_model=ItemStatusOut)
    def item_status(barcode: str) -> ItemStatusOut:
        s = circ.item_status(barcode)
        return ItemStatusOut(
            barcode=s.barcode,
            record_id=s.record_id,
            home_branch_id=s.home_branch_id,
            availability=str(s.availability),
            due_on=s.due_on,
        )

    @api.get("/records/{record_id}/availability", response_model=dict[str, int])
    def availability(record_id: IdPath) -> dict[str, int]:
        """Copies on the shelf per branch id."""
        counts = circ.availability([record_id]).get(record_id, {})
        return {str(k): v for k, v in counts.items()}

    @api.get(
        "/readers/{card_number}/loans",
        response_model=list[LoanOut],
        dependencies=[Depends(guards.self_or("readers.read", audit=("loans",)))],
    )
    def reader_loans(card_number: str) -> list[LoanOut]:
        return [loan_out(loan) for loan in circ.loans_of(card_number)]

    @api.get(
        "/readers/{card_number}/holds",
        response_model=list[HoldOut],
        dependencies=[Depends(guards.self_or("readers.read", audit=("holds",)))],
    )
    def reader_holds(card_number: str) -> list[HoldOut]:
        return [hold_out(h) for h in circ.holds_of(card_number)]

    @api.get(
        "/readers/{card_number}/fees",
        response_model=list[FeeOut],
        dependencies=[Depends(guards.self_or("readers.read", audit=("fees",)))],
    )
    def reader_fees(card_number: str) -> list[FeeOut]:
        return [fee_out(f) for f in accounts.fees_of(card_number)]

    @api.post("/holds", response_model=HoldOut, status_code=201)
    def place_hold(body: HoldIn, who: DeskOrSelf) -> HoldOut:
        """A reader's own hold (any pickup branch); staff for anyone, picked up at one of
        their branches."""
        return hold_out(
            circ.place_hold(
                body.card_number,
                body.record_id,
                body.pickup_branch,
                actor=who,
                item_barcode=body.item_barcode,
            )
        )

    @api.get("/holds/{hold_id}", response_model=HoldOut)
    def get_hold(hold_id: IdPath, who: DeskOrSelf) -> HoldOut:
        return hold_out(circ.get_hold(hold_id, actor=who))

    @api.delete("/holds/{hold_id}", response_model=HoldOut)
    def cancel_hold(hold_id: IdPath, who: DeskOrSelf) -> HoldOut:
        """The reader's own hold, or staff of its pickup branch."""
        return hold_out(circ.cancel_hold(hold_id, actor=who))

    @api.put("/holds/{hold_id}/pickup", response_model=HoldOut)
    def change_pickup(hold_id: IdPath, body: PickupIn, who: DeskOrSelf) -> HoldOut:
        """Move a waiting hold to another pickup branch (refused once a copy is trapped);
        staff move holds from and to their own branches."""
        return hold_out(circ.change_pickup(hold_id, body.pickup_branch, actor=who))

    @api.get("/branches/{code}/pull-list", response_model=list[PullOut])
    def pull_list(code: str, who: Desk) -> list[PullOut]:
        """Copies on this branch's shelves that holds want (staff of this branch)."""
        return [PullOut(**asdict(e)) for e in circ.pull_list(code, actor=who)]

    @api.get("/branches/{code}/hold-shelf", response_model=list[HoldSlipOut])
    def hold_shelf(code: str, who: Desk) -> list[HoldSlipOut]:
        """Holds trapped for pickup here, with each reader's card and name (audited, P7;
        staff of this branch)."""
        slips = circ.hold_shelf(code, actor=who)
        for slip in slips:
            if slip.card_number is not None:
                guards.audit(who, slip.card_number, ("card_number", "name", "holds"))
        return [HoldSlipOut(**asdict(e)) for e in slips]

    @api.post("/fees", response_model=FeeOut, status_code=201, dependencies=cashier)
    def charge(body: ChargeIn) -> FeeOut:
        return fee_out(accounts.charge(body.card_number, body.kind, body.amount_cents, body.note))

    @api.post("/fees/{fee_id}/payments", response_model=FeeOut, dependencies=cashier)
    def pay(fee_id: IdPath, body: PaymentIn) -> FeeOut:
        return fee_out(accounts.pay(fee_id, body.amount_cents))

    @api.post("/fees/{fee_id}/waiver", response_model=FeeOut, dependencies=cashier)
    def waive(fee_id: IdPath, body: WaiverIn) -> FeeOut:
        return fee_out(accounts.waive(fee_id, body.note))

    @api.get("/rules", response_model=list[RuleOut])
    def rules() -> list[RuleOut]:
        return [rule_out(r) for r in accounts.rules()]

    @api.put("/rules", response_model=RuleOut)
    def set_rule(body: RuleIn, who: Rules) -> RuleOut:
        """Create or replace the rule for (category, item type, branch); omitted values default.
        A branch's rule needs that branch in the account's scope; a rule without a branch
        holds everywhere and needs an account bound to no branch."""
        return rule_out(
            accounts.set_rule(
                reader_category=body.reader_category,
                item_type=body.item_type,
                branch=body.branch,
                values=body.values,
                actor=who,
            )
        )

    @api.delete("/rules/{rule_id}", status_code=204)
    def delete_rule(rule_id: IdPath, who: Rules) -> None:
        """Delete a rule (scoped as setting it is)."""
        accounts.delete_rule(rule_id, actor=who)

    @api.get("/rules/explain", response_model=ExplainOut)
    def explain(
        category: Annotated[str, Query(min_length=1, max_length=32)],
        item_type: Annotated[str, Query(min_length=1, max_length=32)],
        branch: Annotated[str, Query(min_length=1, max_length=32)],
    ) -> ExplainOut:
        view = accounts.explain(category, item_type, branch)
        return ExplainOut(rule=rule_out(view.rule), explanation=view.explanation)

    @api.get("/branches/{code}/calendar", response_model=CalendarIO)
    def get_calendar(code: str) -> CalendarIO:
        return calendar_out(accounts.calendar(code))

    @api.put("/branches/{code}/calendar", response_model=CalendarIO)
    def set_calendar(code: str, body: CalendarIO, who: Rules) -> CalendarIO:
        """Replace the branch's closed weekdays and days, and its opening hours when given
        (staff of this branch)."""
        weekly, special = (None, None) if body.hours is None else hours_in(body.hours)
        cal = accounts.set_calendar(
            code,
            closed_weekdays=body.closed_weekdays,
            closed_days=body.closed_days,
            actor=who,
            weekly_hours=weekly,
            special_hours=special,
        )
        return calendar_out(cal)

    @api.post("/offline-uploads", response_model=list[OfflineOutcomeOut])
    def offline_upload(
        body: Annotated[list[OfflineIn], Field(max_length=5000)], who: Desk
    ) -> list[OfflineOutcomeOut]:
        """Replay transactions recorded offline; each id applies once; conflicts are reported.
        Refused as a whole (403, nothing applied) when a transaction names a branch outside
        the account's."""
        txns = [OfflineTransaction(**t.model_dump()) for t in body]
        outcomes = replay(circ, txns, actor=who)
        return [OfflineOutcomeOut(**asdict(o)) for o in outcomes]

    api.include_router(_deposit_routes(services.deposits, guards))
    assert set(RULE_FIELDS) <= set(RuleOut.model_fields)
    return api


def deposit_out(d: Deposit) -> DepositOut:
    return DepositOut(**{f: getattr(d, f) for f in DepositOut.model_fields})


def _deposit_routes(deposits: DepositService, guards: Guards) -> APIRouter:
    """Deposits (押金) and the deposit-free credit mode (信用借阅): docs/circulation.md."""
    api = APIRouter()
    cashier = [Depends(guards.staff("circulation.fees"))]

    @api.post(
        "/readers/{card_number}/deposits",
        response_model=DepositOut,
        status_code=201,
        dependencies=cashier,
    )
    def take_deposit(card_number: str, body: DepositIn) -> DepositOut:
        """Record a deposit the reader left (method: cash, wechat, alipay, card, transfer)."""
        return deposit_out(deposits.take(card_number, body.amount_cents, body.method, body.note))

    @api.get(
        "/readers/{card_number}/deposits",
        response_model=list[DepositOut],
        dependencies=[Depends(guards.self_or("readers.read", audit=("deposits",)))],
    )
    def reader_deposits(card_number: str) -> list[DepositOut]:
        return [deposit_out(d) for d in deposits.of(card_number)]

    @api.get(
        "/readers/{card_number}/deposit-standing",
        response_model=StandingOut,
        dependencies=[Depends(guards.self_or("readers.read", audit=("deposits",)))],
    )
    def deposit_standing(card_number: str) -> StandingOut:
        """Deposit required and held, and the credit decision with its reasons."""
        s = deposits.standing(card_number)
        return StandingOut(
            required_cents=s.required_cents,
            held_cents=s.held_cents,
            credit_eligible=s.credit.eligible,
            credit_reasons=list(s.credit.reasons),
            may_borrow=s.may_borrow,
            explanation=s.explanation,
        )

    @api.post("/deposits/{deposit_id}/refund", response_model=DepositOut, dependencies=cashier)
    def refund_deposit(deposit_id: IdPath) -> DepositOut:
        """Refund a held deposit (refused while the reader has open loans or fees)."""
        return deposit_out(deposits.refund(deposit_id))

    return api
