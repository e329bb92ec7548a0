"""One error shape for every API response: ``{"error": {"code", "message", "params"}}``."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from shelfwise.core.errors import ShelfwiseError, negotiate_language

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    code: str
    message: str
    params: dict[str, str]


class ErrorOut(BaseModel):
    """The one error envelope of every API response."""

    error: ErrorBody


# Documented on every route of the access, readers, circulation and SIP2-terminal routers:
# refusals carry a stable code.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": meaning}
    for status, meaning in (
        (401, "Not logged in, or a wrong card number, PIN or password"),
        (
            403,
            "Not allowed for this account, or the reader may not borrow (blocked, expired, fees)",
        ),
        (404, "No such reader, item, branch, hold, fee or rule"),
        (409, "Refused by a circulation rule (the code says which)"),
        (422, "The request is not valid"),
        (429, "Too many attempts or requests: locked or limited until the time the message gives"),
    )
}


def envelope(error: ShelfwiseError, request: Request) -> JSONResponse:
    """The one error shape, in the language the request asks for."""
    language = negotiate_language(request.headers.get("accept-language"))
    body = error.body(language)
    headers: dict[str, str] = {"Content-Language": language}
    if body.status == 503 and "retry_after" in body.params:
        headers["Retry-After"] = body.params["retry_after"]  # when to come back (RFC 9110)
    return JSONResponse(
        {"error": {"code": body.code, "message": body.message, "params": body.params}},
        status_code=body.status,
        headers=headers,
    )


def allowed_methods(header: str | None) -> str:
    """The ``Allow`` value for a 405: the route's methods, with HEAD wherever GET is."""
    methods = {m.strip().upper() for m in (header or "GET").split(",") if m.strip()}
    if "GET" in methods:
        methods.add("HEAD")
    return ", ".join(sorted(methods))


def method_not_allowed(request: Request, allow_header: str | None) -> JSONResponse:
    """405 in the error shape, with ``Allow``."""
    allow = allowed_methods(allow_header)
    error = ShelfwiseError("request.method_not_allowed", method=request.method, allow=allow)
    response = envelope(error, request)
    response.headers["Allow"] = allow
    return response


def install(app: FastAPI) -> None:
    @app.exception_handler(ShelfwiseError)
    async def _domain(request: Request, exc: ShelfwiseError) -> JSONResponse:
        return envelope(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return envelope(ShelfwiseError("request.invalid", detail=detail), request)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return envelope(ShelfwiseError("request.not_found"), request)
        if exc.status_code == 405:
            return method_not_allowed(request, (exc.headers or {}).get("Allow"))
        return envelope(ShelfwiseError("request.invalid", detail=str(exc.detail)), request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return envelope(ShelfwiseError("server.internal"), request)
