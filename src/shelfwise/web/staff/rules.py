"""Loan rules and branch calendars (``circulation.rules``), through ``services.loan_rules`` and ``services.calendars``."""

import itertools
import re
from datetime import date
from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData

from shelfwise.circulation.rules import DEFAULT_RULE, RULE_FIELDS, Hours, format_hours, parse_hours
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.workplace import allowed_branches, branch_names

DONE = ("rule", "deleted", "calendar", "hours")
MONEY_FIELDS = frozenset(f for f in RULE_FIELDS if "_cents" in f)  # kept in fen
_YUAN = re.compile(r"(\d{1,7})(?:\.(\d{1,2}))?")
_TIME = re.compile(r"([01]\d|2[0-3]):([0-5]\d)(?::\d\d)?|24:00")
SPANS_A_DAY = 2  # the pickers offer two spans a day (morning, afternoon and evening)


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def rules_page(
    web: Web, page: Page, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    """The rules and the calendars of the branches this account may change."""
    services = web.services
    who = page.staff("circulation.rules")
    branches = allowed_branches(services, who, page.lang)
    calendars = {code: services.calendars.calendar(code) for code, _ in branches}
    return web.render(
        page,
        "staff/rules.html",
        status=status,
        rules=services.loan_rules.rules(),
        default=DEFAULT_RULE,
        fields=RULE_FIELDS,
        categories=services.readers.policy.categories,
        branches=branches,
        names=branch_names(services, page),
        calendars=calendars,
        hours={code: format_hours(cal) for code, cal in calendars.items()},
        spans=range(SPANS_A_DAY),
        money=MONEY_FIELDS,
        notice=notice,
        error=error,
    )


@router.get("/staff/rules")
def rules(page: PageDep, web: WebDep, done: str = "") -> Response:
    notice = page.t("staff.rules.done." + done) if done in DONE else ""
    return rules_page(web, page, notice=notice)


@router.post("/staff/rules")
async def set_rule(page: PageDep, web: WebDep) -> Response:
    who = page.staff("circulation.rules")
    form = await page.request.form()
    try:
        web.services.loan_rules.set_rule(
            reader_category=form_text(form, "reader_category") or None,
            item_type=form_text(form, "item_type") or None,
            branch=form_text(form, "branch") or None,
            values=_rule_values(form),
            actor=who,
        )
    except ShelfwiseError as exc:
        return rules_page(web, page, error=page.error(exc), status=exc.status)
    return web.redirect("/staff/rules?done=rule")


def _rule_values(form: FormData) -> dict[str, int]:
    """The rule's fields filled in, as whole numbers (an empty one is left to the default);
    money is typed in yuan (``0.50``) and stored in fen."""
    values = {}
    for name in RULE_FIELDS:
        text = form_text(form, name)
        if not text:
            continue
        if name in MONEY_FIELDS:
            match = _YUAN.fullmatch(text.replace(",", ""))
            if match is None:
                raise ShelfwiseError("circ.rule_invalid", fields=name)
            values[name] = int(match.group(1)) * 100 + int((match.group(2) or "").ljust(2, "0"))
        elif text.isdigit():
            values[name] = int(text)
        else:
            raise ShelfwiseError("circ.rule_invalid", fields=name)
    return values


@router.post("/staff/rules/{rule_id}/delete")
def delete_rule(rule_id: int, page: PageDep, web: WebDep) -> Response:
    who = page.staff("circulation.rules")
    try:
        web.services.loan_rules.delete_rule(rule_id, actor=who)
    except ShelfwiseError as exc:
        return rules_page(web, page, error=page.error(exc), status=exc.status)
    return web.redirect("/staff/rules?done=deleted")


@router.post("/staff/calendars/{branch}")
async def set_calendar(branch: str, page: PageDep, web: WebDep) -> Response:
    who = page.staff("circulation.rules")
    form = await page.request.form()
    try:
        weekdays = [int(d) for d in form.getlist("weekday") if isinstance(d, str) and d.isdigit()]
        # The days kept ticked, and the one the date picker adds (typed lists still work).
        typed = [v for v in form.getlist("days") if isinstance(v, str)] + [
            form_text(form, "add_day")
        ]
        days = sorted(
            {
                _day(part)
                for text in typed
                for part in text.replace(",", " ").split()
                if part.strip()
            }
        )
        web.services.calendars.set_calendar(
            branch,
            closed_weekdays=weekdays,
            closed_days=days,
            reason=form_text(form, "reason"),
            actor=who,
        )
    except ShelfwiseError as exc:
        return rules_page(web, page, error=page.error(exc), status=exc.status)
    return web.redirect(f"/staff/rules?done=calendar#cal-{quote(branch)}")


@router.post("/staff/calendars/{branch}/hours")
async def set_hours(branch: str, page: PageDep, web: WebDep) -> Response:
    who = page.staff("circulation.rules")
    form = await page.request.form()
    try:
        if "hours" in form:  # the text form (one day a line), still read
            try:
                weekly, special = parse_hours(form_text(form, "hours"))
            except ValueError as exc:
                raise ShelfwiseError("circ.hours_invalid", detail=str(exc)) from None
        else:
            weekly = _picked_hours(form)
            special = dict(web.services.calendars.calendar(branch).special_hours)
        web.services.calendars.set_hours(
            branch, weekly_hours=weekly, special_hours=special, actor=who
        )
    except ShelfwiseError as exc:
        return rules_page(web, page, error=page.error(exc), status=exc.status)
    return web.redirect(f"/staff/rules?done=hours#hours-{quote(branch)}")


def _picked_hours(form: FormData) -> dict[int, tuple[Hours, ...]]:
    """Weekly hours from the time pickers ``open-<weekday>-<n>``/``close-<weekday>-<n>``
    (weekday 0 = Monday); a span with neither time is no span."""
    weekly: dict[int, tuple[Hours, ...]] = {}
    for weekday in range(7):
        spans = []
        for n in range(SPANS_A_DAY):
            opens = form_text(form, f"open-{weekday}-{n}")
            closes = form_text(form, f"close-{weekday}-{n}")
            if not opens and not closes:
                continue
            try:
                spans.append(Hours(_minutes(opens), _minutes(closes)))
            except ValueError:
                raise ShelfwiseError(
                    "circ.hours_invalid", detail=f"{opens or '?'}-{closes or '?'}"
                ) from None
        if spans:
            spans.sort(key=lambda h: h.opens)
            if any(a.closes > b.opens for a, b in itertools.pairwise(spans)):
                raise ShelfwiseError("circ.hours_invalid", detail=" ".join(str(h) for h in spans))
            weekly[weekday] = tuple(spans)
    return weekly


def _minutes(text: str) -> int:
    match = _TIME.fullmatch(text)
    if match is None:
        raise ValueError(text)
    if text == "24:00":
        return 24 * 60
    return int(match.group(1)) * 60 + int(match.group(2))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ShelfwiseError("request.invalid", detail=text) from None
