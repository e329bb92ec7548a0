"""Mounting the web door on the app: pages at ``/``, static files at ``/static/``."""

from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from fastapi import APIRouter, FastAPI, HTTPException, Request
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web import (
    account,
    branch_pages,
    events_pages,
    iiif_manifests,
    media_bytes,
    opac,
    preferences,
    recommend_pages,
    spaces_pages,
    staff,
    stories_pages,
    stories_staff,
    wish_pages,
)
from shelfwise.web.pages import PageDep, Web, WebRoute
from shelfwise.web.security import WebMiddleware, is_web_path
from shelfwise.web.staff.cataloguing import UPLOAD_PATH
from shelfwise.web.staff.imports import ImportJobs
from shelfwise.web.stories_staff import MEDIA_UPLOAD_PATH

if TYPE_CHECKING:
    from shelfwise.services import Services

__all__ = ["MEDIA_UPLOAD_PATH", "UPLOAD_PATH", "Web", "install"]

# Last: every web path no other router answers is a 404 page.
not_found_router = APIRouter(route_class=WebRoute, include_in_schema=False)


def install(app: FastAPI, services: "Services") -> Web:
    """Add the web's routes, static files and middleware to ``app``; returns the :class:`Web`.

    The pages are module-level functions; they find this app's :class:`Web` in
    ``app.state.web`` and the catalogue's import jobs in ``app.state.import_jobs``."""
    web = Web(services)
    app.state.web = web
    app.state.import_jobs = ImportJobs(services)
    static = Path(str(resources.files("shelfwise.web").joinpath("static")))
    app.mount("/static", StaticFiles(directory=static), name="static")
    app.include_router(preferences.router)
    app.include_router(opac.router)
    app.include_router(branch_pages.router)
    app.include_router(account.router)
    app.include_router(recommend_pages.router)
    app.include_router(spaces_pages.router)
    app.include_router(events_pages.router)
    app.include_router(wish_pages.router)
    app.include_router(staff.router)
    app.include_router(media_bytes.router)
    app.include_router(iiif_manifests.router)
    app.include_router(stories_pages.router)
    app.include_router(stories_staff.router)
    app.include_router(not_found_router)
    app.add_middleware(WebMiddleware)
    return web


def method_not_allowed(web: Web, request: Request, allow: str) -> Response:
    """405 as a page in the reader's language, with ``Allow``."""
    error = ShelfwiseError("request.method_not_allowed", method=request.method, allow=allow)
    response = web.error_page(request, error)
    response.headers["Allow"] = allow
    return response


@not_found_router.get("/{path:path}", response_class=HTMLResponse)
def not_found(path: str, page: PageDep) -> Response:
    if not is_web_path("/" + path):
        raise HTTPException(status_code=404)  # the API's JSON 404
    raise ShelfwiseError("request.not_found")
