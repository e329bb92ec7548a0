"""One error shape for every API response: ``{"error": {"code", "message", "params"}}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException

from shelfwise.core.errors import ShelfwiseError, negotiate_language

log = logging.getLogger(__name__)


def _envelope(error: ShelfwiseError, request: Request) -> JSONResponse:
    language = negotiate_language(request.headers.get("accept-language"))
    body = error.body(language)
    return JSONResponse(
        {"error": {"code": body.code, "message": body.message, "params": body.params}},
        status_code=body.status,
        headers={"Content-Language": language},
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(ShelfwiseError)
    async def _domain(request: Request, exc: ShelfwiseError) -> JSONResponse:
        return _envelope(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        detail = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}"
            for e in exc.errors()
        )
        return _envelope(ShelfwiseError("request.invalid", detail=detail), request)

    @app.exception_handler(HTTPException)
    async def _http(request: Request, exc: HTTPException) -> JSONResponse:
        if exc.status_code == 404:
            return _envelope(ShelfwiseError("request.not_found"), request)
        return _envelope(ShelfwiseError("request.invalid", detail=str(exc.detail)), request)

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s %s", request.method, request.url.path)
        return _envelope(ShelfwiseError("server.internal"), request)
