"""Staff sign-in and sign-out, the staff home page and the choice of working branch."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.access.lockout import login_sources
from shelfwise.access.models import Principal
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import LoginRequired, Page, PageDep, WebDep, WebRoute, form_text, safe_next
from shelfwise.web.security import YEAR, cookie_header
from shelfwise.web.staff.workplace import BRANCH_COOKIE, allowed_branches, working_branch

Next = Annotated[str, Query(alias="next", max_length=2000)]
# What the staff home offers, by the permission each entry needs.
SECTIONS = (
    ("circulation.desk", "/staff/desk", "staff.nav.desk"),
    ("circulation.desk", "/staff/checkin", "staff.nav.checkin"),
    ("circulation.desk", "/staff/holds", "staff.nav.holds"),
    ("readers.write", "/staff/readers/new", "staff.nav.register"),
    ("access.admin", "/staff/admin", "staff.nav.admin"),
    ("access.admin", "/staff/admin/branches", "staff.branches.title"),
    ("circulation.rules", "/staff/rules", "staff.rules.title"),
    ("catalogue.write", "/staff/catalogue", "staff.nav.catalogue"),
    ("circulation.desk", "/staff/wishes", "staff.wishes.title"),
    ("catalogue.write", "/staff/acquisitions", "staff.acq.title"),
)


def staff_target(target: str | None) -> str:
    """Where to go after signing in: a staff page (a reader page would ask for another login)."""
    chosen = safe_next(target, "/staff")
    return chosen if chosen == "/staff" or chosen.startswith("/staff/") else "/staff"


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


@router.get("/staff/login")
def login_form(page: PageDep, web: WebDep, next_: Next = "/staff") -> Response:
    return web.render(page, "staff/login.html", next=staff_target(next_), error=None)


@router.post("/staff/login")
async def login(page: PageDep, web: WebDep) -> Response:
    form = await page.request.form()
    target = staff_target(form_text(form, "next"))
    username = form_text(form, "username")
    try:
        client = page.request.client
        session = web.services.access.login_staff(
            username,
            form_text(form, "password"),
            sources=login_sources(address=client.host if client else None),
        )
    except ShelfwiseError as exc:
        return web.render(
            page,
            "staff/login.html",
            status=exc.status,
            next=target,
            error=page.error(exc),
            username=username,
        )
    return web.signed_in(page, session, target)


@router.post("/staff/logout")
def logout(page: PageDep, web: WebDep) -> Response:
    return web.signed_out(page, "/staff/login")


@router.get("/staff")
def home(page: PageDep, web: WebDep) -> Response:
    who = signed_in_staff(page)
    offered = [(url, key) for permission, url, key in SECTIONS if who.can(permission)]
    return web.render(page, "staff/home.html", who=who, offered=offered)


@router.get("/staff/branch")
def choose_branch(
    page: PageDep,
    web: WebDep,
    code: Annotated[str, Query(max_length=32)] = "",
    next_: Next = "/staff/desk",
) -> Response:
    """Only a preference (where this browser's desk works), so a plain GET form."""
    who = page.staff("circulation.desk")
    allowed = [c for c, _ in allowed_branches(web.services, who, page.lang)]
    response = web.redirect(staff_target(next_))
    chosen = code if code in allowed else working_branch(web.services, page, who)
    secure = page.request.url.scheme == "https"
    response.headers.append(
        "set-cookie", cookie_header(BRANCH_COOKIE, chosen, secure=secure, max_age=YEAR)
    )
    return response


def signed_in_staff(page: Page) -> Principal:
    """Any signed-in staff member (the home page needs no particular permission)."""
    if page.principal is None or page.principal.kind != "staff":
        raise LoginRequired("staff")
    return page.principal
