"""Request bodies over the configured size are refused with 413 before anything reads them.

FastAPI reads and parses a JSON body before the route's dependencies run (so before the
login check), and a page parses its form before it checks the CSRF token: without a limit,
an anonymous 50 MB JSON body or a 200 MB form is held in memory first. This middleware
sits outside both doors and decides from the headers alone:

- ``Content-Length`` over the limit: refused at once, the body never read;
- no ``Content-Length`` (chunked): read up to the limit and refused as soon as it goes over,
  else handed on; such bodies are held to the ordinary limit, uploads must say their size
  (every browser does);
- the larger upload limit applies only to an upload path, and only when the request carries
  the session of someone allowed to upload there (``may_upload``, checked before reading).

The refusal is the door's own: the API's JSON error, the web's page (``refuse``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

Refuse = Callable[[Request, int], Response | Awaitable[Response]]


class BodyLimit:
    def __init__(
        self,
        app: ASGIApp,
        *,
        limit: int,
        upload_limit: int,
        upload_paths: frozenset[str],
        may_upload: Callable[[Scope], bool],
        refuse: Refuse,
    ) -> None:
        self.app = app
        self.limit = limit
        self.upload_limit = upload_limit
        self.upload_paths = upload_paths
        self.may_upload = may_upload
        self.refuse = refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in ("GET", "HEAD", "OPTIONS"):
            await self.app(scope, receive, send)
            return
        declared = _content_length(scope)
        if declared is None:
            await self._chunked(scope, receive, send)
            return
        allowed = self.limit
        if declared > allowed and scope["path"] in self.upload_paths and self.may_upload(scope):
            allowed = self.upload_limit
        if declared > allowed:
            await self._refuse(scope, receive, send, allowed)
            return
        await self.app(scope, receive, send)

    async def _chunked(self, scope: Scope, receive: Receive, send: Send) -> None:
        held: list[Message] = []
        size = 0
        while True:
            message = await receive()
            held.append(message)
            if message["type"] != "http.request":
                break  # the client went away: let the app see it
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(scope, receive, send, self.limit)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return held.pop(0) if held else await receive()

        await self.app(scope, replay, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, limit: int) -> None:
        answer = self.refuse(Request(scope, receive), limit)
        response = answer if isinstance(answer, Response) else await answer
        # The unread body is not wanted: the connection closes after the answer.
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _content_length(scope: Scope) -> int | None:
    value = Headers(scope=scope).get("content-length")
    if value is None:
        return None
    try:
        return max(0, int(value))
    except ValueError:
        return 0  # unreadable: the server's HTTP parser refuses it before we get here
