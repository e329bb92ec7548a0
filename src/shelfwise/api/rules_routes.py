"""Loan rules and branch calendars over the API: the rules, setting and deleting one, which
rule holds and why, and a branch's closed days and opening hours."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from shelfwise.api.circulation_inputs import IdPath, Rules
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.circulation.rules import RULE_FIELDS, Calendar, Hours, LoanRule
from shelfwise.core.errors import ShelfwiseError

router = APIRouter(tags=["circulation"], responses=ERROR_RESPONSES)


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


# Every value a rule holds is in what the API returns of it.
assert set(RULE_FIELDS) <= set(RuleOut.model_fields)


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


def rule_out(rule: LoanRule) -> RuleOut:
    return RuleOut(**{f: getattr(rule, f) for f in RuleOut.model_fields})


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


@router.get("/rules", response_model=list[RuleOut])
def rules(services: ServicesDep) -> list[RuleOut]:
    return [rule_out(r) for r in services.loan_rules.rules()]


@router.put("/rules", response_model=RuleOut)
def set_rule(body: RuleIn, who: Rules, services: ServicesDep) -> RuleOut:
    """Create or replace the rule for (category, item type, branch); omitted values default.
    A branch's rule needs that branch in the account's scope; a rule without a branch
    holds everywhere and needs an account bound to no branch."""
    return rule_out(
        services.loan_rules.set_rule(
            reader_category=body.reader_category,
            item_type=body.item_type,
            branch=body.branch,
            values=body.values,
            actor=who,
        )
    )


@router.delete("/rules/{rule_id}", status_code=204)
def delete_rule(rule_id: IdPath, who: Rules, services: ServicesDep) -> None:
    """Delete a rule (scoped as setting it is)."""
    services.loan_rules.delete_rule(rule_id, actor=who)


@router.get("/rules/explain", response_model=ExplainOut)
def explain(
    category: Annotated[str, Query(min_length=1, max_length=32)],
    item_type: Annotated[str, Query(min_length=1, max_length=32)],
    branch: Annotated[str, Query(min_length=1, max_length=32)],
    services: ServicesDep,
) -> ExplainOut:
    view = services.loan_rules.explain(category, item_type, branch)
    return ExplainOut(rule=rule_out(view.rule), explanation=view.explanation)


@router.get("/branches/{code}/calendar", response_model=CalendarIO)
def get_calendar(code: str, services: ServicesDep) -> CalendarIO:
    return calendar_out(services.calendars.calendar(code))


@router.put("/branches/{code}/calendar", response_model=CalendarIO)
def set_calendar(code: str, body: CalendarIO, who: Rules, services: ServicesDep) -> CalendarIO:
    """Replace the branch's closed weekdays and days, and its opening hours when given
    (staff of this branch)."""
    weekly, special = (None, None) if body.hours is None else hours_in(body.hours)
    cal = services.calendars.set_calendar(
        code,
        closed_weekdays=body.closed_weekdays,
        closed_days=body.closed_days,
        actor=who,
        weekly_hours=weekly,
        special_hours=special,
    )
    return calendar_out(cal)
