"""Kiosks on the administration page (``access.admin``): disable or enable a SIP2 terminal
account, acknowledge a kiosk alert (S-3). Both answer with the administration page."""

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import PageDep, WebDep, WebRoute

TERMINAL_ACTIONS = ("enable", "disable")


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


@router.post("/staff/admin/terminals/{name}/{action}")
def change_terminal(name: str, action: str, page: PageDep, web: WebDep) -> Response:
    """Disable a kiosk account (its logins fail, a connected kiosk is cut off at its
    next message), or enable it again."""
    page.staff("access.admin")
    if action not in TERMINAL_ACTIONS:
        raise ShelfwiseError("request.not_found")
    web.services.terminals.set_enabled(name, action == "enable")
    return web.redirect(f"/staff/admin?done=terminal_{action}#terminals-h")


@router.post("/staff/admin/alerts/{alert_id}/acknowledge")
def acknowledge_alert(alert_id: int, page: PageDep, web: WebDep) -> Response:
    who = page.staff("access.admin")
    web.services.kiosk_alerts.acknowledge(alert_id, who.name)
    return web.redirect("/staff/admin?done=acknowledged#alerts-h")
