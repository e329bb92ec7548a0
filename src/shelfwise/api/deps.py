"""What a route is handed besides its request: the services bundle of this application.

``create_app`` puts the bundle on ``app.state`` once (:func:`install_services`); a route
declares ``services: ServicesDep`` and FastAPI hands it over. So routes are plain
module-level functions on module-level routers: they can be imported, found by name and
measured, and the same router serves every application built in one process (tests build
many).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from fastapi import Depends, FastAPI, Request

if TYPE_CHECKING:
    # For the type checker only: the composition root sits above the doors (import-linter's
    # layers), and FastAPI needs no more than the dependency to hand the bundle over.
    from shelfwise.services import Services


def install_services(app: FastAPI, services: Services) -> None:
    """The bundle every route of ``app`` is handed (set once, when the application is built)."""
    app.state.services = services


async def services_of(request: Request) -> Services:
    # async: it only reads app.state, and FastAPI runs a plain ``def`` dependency in the
    # thread pool — one hand-off per request for nothing (it showed in the search profile).
    services: Services = request.app.state.services
    return services


ServicesDep = Annotated["Services", Depends(services_of)]
