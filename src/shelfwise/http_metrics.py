"""HTTP requests counted and timed by route template and status, for ``/metrics``.

The label is the route's template (``/api/v1/readers/{card_number}/loans``), never the
path, which names readers and has no bound: the path with each path parameter the
router matched put back as ``{name}`` (the matched route alone does not know the prefix
its router was included under). A request no route matched is ``unmatched``.
"""

from __future__ import annotations

import re
import time

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shelfwise.core.metrics import HTTP_REQUESTS, HTTP_SECONDS


class RequestMetrics:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = [500]

        async def watching(message: Message) -> None:
            if message["type"] == "http.response.start":
                status[0] = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, watching)
        finally:
            route = template(scope)
            method = str(scope["method"])
            HTTP_REQUESTS.labels(method, route, str(status[0])).inc()
            HTTP_SECONDS.labels(method, route).observe(time.perf_counter() - started)


def template(scope: Scope) -> str:
    """The route template of a request the router has matched, else ``unmatched``."""
    if scope.get("route") is None:
        return "unmatched"
    path = str(scope.get("path", ""))
    params = scope.get("path_params") or {}
    for name, value in sorted(params.items(), key=lambda p: -len(str(p[1]))):
        text = str(value)
        if text:  # whole segments only: record 1 must not turn /api/v1 into /api/v{id}
            path = re.sub(rf"(?<=/){re.escape(text)}(?=/|$)", f"{{{name}}}", path)
    return path
