"""The ASGI application: routes of each domain under ``/api/v1``."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Protocol

from fastapi import APIRouter, Depends, FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shelfwise import __version__
from shelfwise.api import (
    access_routes,
    analytics_routes,
    catalogue_routes,
    errors,
    fees_routes,
    holds_routes,
    loans_routes,
    offline_routes,
    readers_routes,
    recommend_routes,
    rules_routes,
    search_routes,
    spaces_routes,
    stories_routes,
    terminal_routes,
    wishes_routes,
)
from shelfwise.api.deps import ServicesDep, install_services
from shelfwise.api.inputs import reject_nul

if TYPE_CHECKING:
    from shelfwise.services import Services


class Background(Protocol):
    """The process's background work, as the lifespan sees it (``shelfwise.runtime.Runtime``)."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


class HeadAsGet:
    """HEAD is answered as GET without the body (RFC 9110 9.3.2), on every door.

    Routes declare GET only; this turns a HEAD into the GET it stands for and drops
    the body on the way out, keeping the status and headers (Content-Length too).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(dict(scope, method="GET"), receive, without_body)


operations = APIRouter(tags=["operations"])


@operations.get("/api/v1/health")
def health(services: ServicesDep) -> dict[str, str]:
    return {"status": "ok", "version": __version__, "database": services.db.dialect}


def create_app(services: Services, background: Background | None = None) -> FastAPI:
    """The API over ``services``; its lifespan starts and stops ``background`` (what the
    composition root hands it), and the API itself starts nothing."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        if background is not None:
            background.start()
        try:
            yield
        finally:
            if background is not None:
                background.stop()

    app = FastAPI(
        title="Shelfwise API",
        version=__version__,
        description="Catalogue, search and circulation of a public-library network. "
        "Errors always have the shape {error: {code, message, params}}; "
        "messages follow Accept-Language (zh, ko, en).",
        lifespan=lifespan,
    )
    install_services(app, services)  # what every route is handed (api/deps.py)
    errors.install(app)
    app.add_middleware(HeadAsGet)
    app.include_router(operations)  # the health check: no NUL check, nothing to check
    checks = [Depends(reject_nul)]  # every /api/v1 route; the pages and SRU/OAI have their own
    app.include_router(access_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(catalogue_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(readers_routes.router, prefix="/api/v1", dependencies=checks)
    for circulation in (loans_routes, holds_routes, fees_routes, rules_routes, offline_routes):
        app.include_router(circulation.router, prefix="/api/v1", dependencies=checks)
    app.include_router(search_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(terminal_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(spaces_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(wishes_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(stories_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(analytics_routes.router, prefix="/api/v1", dependencies=checks)
    app.include_router(recommend_routes.router, prefix="/api/v1", dependencies=checks)
    return app
