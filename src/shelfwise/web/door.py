"""Mounting the web door on the app: pages at ``/``, static files at ``/static/``."""

# No `from __future__ import annotations`: FastAPI must evaluate the closures in Depends().
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web import account, opac, preferences, staff
from shelfwise.web.pages import Page, Web
from shelfwise.web.security import WebMiddleware, is_web_path
from shelfwise.web.staff.cataloguing import UPLOAD_PATH

if TYPE_CHECKING:
    from shelfwise.app import Services

__all__ = ["UPLOAD_PATH", "Web", "install"]


def install(app: FastAPI, services: "Services") -> Web:
    """Add the web's routes, static files and middleware to ``app``; returns the :class:`Web`."""
    web = Web(services)
    static = Path(str(resources.files("shelfwise.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.include_router(preferences.router(web))
    app.include_router(opac.router(web))
    app.include_router(account.router(web))
    app.include_router(staff.router(web))
    app.include_router(_not_found(web))  # last: every other web path is a 404 page
    app.add_middleware(WebMiddleware)
    return web


def method_not_allowed(web: Web, request: Request, allow: str) -> Response:
    """405 as a page in the reader's language, with ``Allow``."""
    error = ShelfwiseError("request.method_not_allowed", method=request.method, allow=allow)
    response = web.error_page(request, error)
    response.headers["Allow"] = allow
    return response


def _not_found(web: Web) -> APIRouter:
    router = APIRouter(route_class=web.route_class, include_in_schema=False)

    @router.get("/{path:path}", response_class=HTMLResponse)
    def not_found(path: str, page: Annotated[Page, Depends(web.page)]) -> Response:
        if not is_web_path("/" + path):
            raise HTTPException(status_code=404)  # the API's JSON 404
        raise ShelfwiseError("request.not_found")

    return router
