"""Administration of the branch network (``access.admin``): each branch with its locations
in the page's language, and a form to add a location (code, name, what it is for)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.catalogue.models import LOCATION_KINDS
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def branches_page(
    web: Web, page: Page, *, notice: str = "", error: str = "", status: int = 200
) -> Response:
    services = web.services
    who = page.staff("access.admin")
    locations = services.catalogue.list_locations()
    network = [
        (b, branch_name(b, page.lang), [loc for loc in locations if loc.branch_id == b.id])
        for b in services.catalogue.list_branches()
    ]
    return web.render(
        page,
        "staff/branches.html",
        status=status,
        who=who,
        network=network,
        kinds=LOCATION_KINDS,
        notice=notice,
        error=error,
    )


@router.get("/staff/admin/branches")
def branches(page: PageDep, web: WebDep, done: str = "") -> Response:
    return branches_page(
        web, page, notice=page.t("staff.branches.location_added") if done == "location" else ""
    )


@router.post("/staff/admin/branches/{branch}/locations")
async def add_location(branch: str, page: PageDep, web: WebDep) -> Response:
    page.staff("access.admin")
    form = await page.request.form()
    try:
        web.services.catalogue.add_location(
            branch_code=branch,
            code=form_text(form, "code"),
            name=form_text(form, "name"),
            kind=form_text(form, "kind"),
        )
    except ShelfwiseError as exc:
        return branches_page(web, page, error=page.error(exc), status=exc.status)
    return web.redirect(f"/staff/admin/branches?done=location#branch-{quote(branch)}")
