"""Every HTTP request gets an id: in the ``X-Request-ID`` response header and on every log
line written while it is answered (``request_id``), so one request's lines can be found.

A caller's own ``X-Request-ID`` (a proxy's, a kiosk vendor's) is kept when it is a short
token of letters, digits, ``.``, ``_`` and ``-``; anything else is replaced.
"""

from __future__ import annotations

import re
import secrets

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shelfwise.core.log_format import REQUEST_ID

HEADER = "x-request-id"
_SANE = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class RequestIds:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = Headers(scope=scope).get(HEADER, "")
        request_id = given if _SANE.match(given) else secrets.token_hex(8)
        token = REQUEST_ID.set(request_id)

        async def with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [(k, v) for k, v in message.get("headers", []) if k != HEADER.encode()]
                message = {**message, "headers": [*headers, (HEADER.encode(), request_id.encode())]}
            await send(message)

        try:
            await self.app(scope, receive, with_id)
        finally:
            REQUEST_ID.reset(token)
