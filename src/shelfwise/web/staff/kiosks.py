"""Kiosks on the administration page (``access.admin``): disable or enable a SIP2 terminal
account, acknowledge a kiosk alert (S-3). Both answer with the administration page."""

# No `from __future__ import annotations`: FastAPI must evaluate the closures in Depends().
from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import HTMLResponse, Response

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, Web

TERMINAL_ACTIONS = ("enable", "disable")


def router(web: Web) -> APIRouter:
    pages = APIRouter(
        route_class=web.route_class, default_response_class=HTMLResponse, include_in_schema=False
    )
    services = web.services
    PageDep = Annotated[Page, Depends(web.page)]

    @pages.post("/staff/admin/terminals/{name}/{action}")
    def change_terminal(name: str, action: str, page: PageDep) -> Response:
        """Disable a kiosk account (its logins fail, a connected kiosk is cut off at its
        next message), or enable it again."""
        page.staff("access.admin")
        if action not in TERMINAL_ACTIONS:
            raise ShelfwiseError("request.not_found")
        services.terminals.set_enabled(name, action == "enable")
        return web.redirect(f"/staff/admin?done=terminal_{action}#terminals-h")

    @pages.post("/staff/admin/alerts/{alert_id}/acknowledge")
    def acknowledge_alert(alert_id: int, page: PageDep) -> Response:
        who = page.staff("access.admin")
        services.kiosk_alerts.acknowledge(alert_id, who.name)
        return web.redirect("/staff/admin?done=acknowledged#alerts-h")

    return pages
