"""The libraries of the network for readers: a list, and a page per branch with its
address (a ``geo:`` link opens the phone's map app; no map tiles are fetched), the
week's opening hours with "open now" in the library's time, and what it offers (read
from the kinds of shelves it has) — and "make this my library" for a visitor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.catalogue.models import Branch, BranchKind
from shelfwise.circulation.rules import Calendar, Hours
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web import happenings, i18n
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute
from shelfwise.web.record_view import BRANCH_COOKIE, my_branch
from shelfwise.web.security import YEAR, cookie_header

Code = Annotated[str, Path(max_length=32, pattern=r"^[A-Za-z0-9_-]+$")]
# Shelf kinds (catalogue locations) a reader would call a service of the branch.
# Branches with a desk where a person can take a request (kiosks and 24-hour rooms have none).
STAFFED = (BranchKind.CENTRAL, BranchKind.BRANCH)
SERVICE_KINDS = ("children", "korean", "foreign", "reference", "periodicals", "24h")

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


@dataclass(frozen=True, slots=True)
class DayHours:
    day: date
    name: str  # the weekday in the page language (CLDR)
    spans: tuple[Hours, ...] | None  # () closed; None: not published
    today: bool


@dataclass(frozen=True, slots=True)
class BranchToday:
    """A branch's state now, as the home page and the branch page show it."""

    code: str
    name: str
    open_now: bool | None  # None: its hours are not published
    today: tuple[Hours, ...] | None
    week: list[DayHours]


def today_at(web: Web, page: Page, branch: Branch) -> BranchToday:
    calendar = _calendar(web, branch.code)
    now = i18n.local(web.services.clock.now(), web.zone)
    monday = now.date() - timedelta(days=now.weekday())
    names = i18n.locale_of(page.lang).days["format"]["wide"]
    week = [
        DayHours(d, str(names[d.weekday()]), calendar.hours_on(d), d == now.date())
        for d in (monday + timedelta(days=n) for n in range(7))
    ]
    return BranchToday(
        branch.code,
        i18n.branch_name(branch, page.lang),
        calendar.is_open_at(now.replace(tzinfo=None)),
        calendar.hours_on(now.date()),
        week,
    )


@router.get("/branches")
def branch_list(page: PageDep, web: WebDep) -> Response:
    branches = web.services.catalogue.list_branches()
    return web.render(
        page,
        "opac/branches.html",
        branches=[(b, today_at(web, page, b)) for b in branches],
        mine=my_branch(web, page, branches),
    )


@router.get("/branches/{code}")
def branch_page(code: Code, page: PageDep, web: WebDep) -> Response:
    branches = web.services.catalogue.list_branches()
    branch = next((b for b in branches if b.code == code), None)
    if branch is None:
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    kinds = {
        loc.kind for loc in web.services.catalogue.list_locations() if loc.branch_id == branch.id
    }
    shelves = [
        i18n.proper_name_traditional(loc.name) if page.lang == "zh-Hant" else loc.name
        for loc in web.services.catalogue.list_locations()
        if loc.branch_id == branch.id
    ]
    mine = my_branch(web, page, branches)
    return web.render(
        page,
        "opac/branch.html",
        branch=branch,
        state=today_at(web, page, branch),
        services=[k for k in SERVICE_KINDS if k in kinds],
        shelves=shelves,
        geo=f"geo:0,0?q={quote(branch.address)}" if branch.address else "",
        mine=mine is not None and mine.code == branch.code,
        events=happenings.events(
            web, branch.code, {b.code: i18n.branch_name(b, page.lang) for b in branches}
        ),
        stories=happenings.stories(web, page, branch.code),
    )


@router.get("/interlibrary-loan")
def interlibrary_loan(
    page: PageDep, web: WebDep, q: Annotated[str, Query(max_length=200)] = ""
) -> Response:
    """How to borrow a book the network does not hold from another library: at a staffed
    desk (listed with today's hours, my library first), or a wish to buy it. The request
    itself is made at the desk: there is no interlibrary-loan domain to store it yet."""
    branches = web.services.catalogue.list_branches()
    mine = my_branch(web, page, branches)
    staffed = [b for b in branches if b.kind in STAFFED]
    staffed.sort(key=lambda b: mine is None or b.code != mine.code)
    return web.render(
        page,
        "opac/interlibrary.html",
        q=q.strip(),
        desks=[(b, today_at(web, page, b)) for b in staffed],
        mine=mine,
    )


@router.get("/branches/{code}/mine")
def choose_branch(code: Code, page: PageDep, web: WebDep) -> Response:
    """Remember the branch as this browser's "my library" (a preference, like the language:
    a plain link, no data changed, so no CSRF token)."""
    if not any(b.code == code for b in web.services.catalogue.list_branches()):
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    response = web.redirect(f"/branches/{code}")
    secure = page.request.url.scheme == "https"
    response.headers.append(
        "set-cookie", cookie_header(BRANCH_COOKIE, code, secure=secure, max_age=YEAR)
    )
    return response


def _calendar(web: Web, code: str) -> Calendar:
    return web.services.calendars.calendar(code)
