"""``GET /metrics``: the Prometheus text exposition, for a scraper on this machine or one
holding ``metrics_token``.

Served on the API port but not part of the API (not in the OpenAPI document): it is for
the operator's monitoring, not for readers or staff. Refused (403) to any other caller,
and to a request that came through a proxy (``X-Forwarded-For``/``Forwarded``), which
would otherwise look as if it came from this machine.
"""

from __future__ import annotations

import hmac
import ipaddress
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, FastAPI, Request, Response
from prometheus_client import CollectorRegistry

from shelfwise.core import metrics
from shelfwise.core.errors import ShelfwiseError

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class MetricsSource:
    """What ``/metrics`` of one application serves and to whom: the token a scraper off
    this machine must hold (empty: none may), and the collectors of the library's state."""

    token: str
    state: CollectorRegistry


def install(app: FastAPI, source: MetricsSource) -> None:
    """``/metrics`` on ``app``, serving ``source`` (kept on ``app.state``)."""
    app.state.metrics = source
    app.include_router(router)


def source_of(request: Request) -> MetricsSource:
    source: MetricsSource = request.app.state.metrics
    return source


@router.get("/metrics")
def scrape(request: Request, source: Annotated[MetricsSource, Depends(source_of)]) -> Response:
    if not _may_scrape(request, source.token):
        raise ShelfwiseError("access.forbidden")
    return Response(metrics.exposition(source.state), media_type=metrics.CONTENT_TYPE)


def _may_scrape(request: Request, token: str) -> bool:
    given = request.headers.get("authorization", "")
    if token and hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return True
    proxied = "x-forwarded-for" in request.headers or "forwarded" in request.headers
    host = request.client.host if request.client else ""
    try:
        return not proxied and ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
