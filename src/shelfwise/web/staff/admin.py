"""Administration (``access.admin``): staff accounts and roles, API tokens (shown once),
SIP2 terminals with their counters, and the audit log of staff reads (P7)."""

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.access.models import ROLES
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.workplace import allowed_branches

STAFF_ACTIONS = ("enable", "disable", "password", "role")
DONE = (
    "created",
    "enable",
    "disable",
    "password",
    "role",
    "revoked",
    "terminal_enable",
    "terminal_disable",
    "acknowledged",
)


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def admin_page(
    web: Web, page: Page, *, notice: str = "", error: str = "", token: str = "", status: int = 200
) -> Response:
    """The administration page; ``token``, a newly issued API token, is shown this once."""
    services = web.services
    who = page.staff("access.admin")
    response = web.render(
        page,
        "staff/admin.html",
        status=status,
        who=who,
        accounts=services.access.staff_accounts(),
        tokens=services.access.api_tokens(),
        terminals=services.terminals.all(),
        alerts=services.kiosk_alerts.recent(),
        audit=services.access.audit_trail(limit=50),
        roles=ROLES,
        branches=allowed_branches(services, who, page.lang),
        notice=notice,
        error=error,
        token=token,
    )
    if token:
        response.headers["Cache-Control"] = "no-store"  # the token is shown this once
    return response


@router.get("/staff/admin")
def admin(page: PageDep, web: WebDep, done: str = "") -> Response:
    notice = page.t("staff.admin.done." + done) if done in DONE else ""
    return admin_page(web, page, notice=notice)


@router.post("/staff/admin/staff")
async def create_staff(page: PageDep, web: WebDep) -> Response:
    page.staff("access.admin")
    form = await page.request.form()
    try:
        web.services.access.create_staff(
            form_text(form, "username"),
            form_text(form, "name"),
            form_text(form, "password"),
            form_text(form, "role"),
            [b for b in form.getlist("branches") if isinstance(b, str)],
        )
    except ShelfwiseError as exc:
        return admin_page(web, page, error=page.error(exc), status=exc.status)
    return web.redirect("/staff/admin?done=created")


@router.post("/staff/admin/staff/{username}/{action}")
async def change_staff(username: str, action: str, page: PageDep, web: WebDep) -> Response:
    page.staff("access.admin")
    if action not in STAFF_ACTIONS:
        raise ShelfwiseError("request.not_found")
    form = await page.request.form()
    changes: dict[str, Any] = {}
    if action in ("enable", "disable"):
        changes["enabled"] = action == "enable"
    else:
        changes[action] = form_text(form, action)  # password or role
    try:
        web.services.access.update_staff(username, **changes)
    except ShelfwiseError as exc:
        return admin_page(web, page, error=page.error(exc), status=exc.status)
    return web.redirect(f"/staff/admin?done={action}")


@router.post("/staff/admin/tokens")
async def issue_token(page: PageDep, web: WebDep) -> Response:
    page.staff("access.admin")
    form = await page.request.form()
    days = form_text(form, "days")
    try:
        token = web.services.access.issue_api_token(
            form_text(form, "username"),
            form_text(form, "label"),
            days=int(days) if days.isdigit() and int(days) > 0 else None,
        )
    except ShelfwiseError as exc:
        return admin_page(web, page, error=page.error(exc), status=exc.status)
    # Answered with the page, not a redirect: the token is not kept and shows only here.
    return admin_page(web, page, notice=page.t("staff.admin.token_issued"), token=token)


@router.post("/staff/admin/tokens/{token_id}/revoke")
def revoke_token(token_id: int, page: PageDep, web: WebDep) -> Response:
    page.staff("access.admin")
    web.services.access.revoke_api_token(token_id)
    return web.redirect("/staff/admin?done=revoked")
