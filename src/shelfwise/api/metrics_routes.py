"""``GET /metrics``: the Prometheus text exposition, for a scraper on this machine or one
holding ``metrics_token``.

Served on the API port but not part of the API (not in the OpenAPI document): it is for
the operator's monitoring, not for readers or staff. Refused (403) to any other caller,
and to a request that came through a proxy (``X-Forwarded-For``/``Forwarded``), which
would otherwise look as if it came from this machine.
"""

import hmac
import ipaddress

from fastapi import APIRouter, Request, Response
from prometheus_client import CollectorRegistry

from shelfwise.core import metrics
from shelfwise.core.errors import ShelfwiseError


def router(token: str, state: CollectorRegistry) -> APIRouter:
    api = APIRouter(include_in_schema=False)

    @api.get("/metrics")
    def scrape(request: Request) -> Response:
        if not _may_scrape(request, token):
            raise ShelfwiseError("access.forbidden")
        return Response(metrics.exposition(state), media_type=metrics.CONTENT_TYPE)

    return api


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
