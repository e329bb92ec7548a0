"""Checks every API request makes before its route sees it.

A NUL character is never meaningful in a card number, a barcode or a name, and
PostgreSQL cannot hold one in text: without this check the same request would be
a 404 on SQLite and a server error on PostgreSQL. It is refused up front, the same
way on both, as an invalid request a person can correct.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query, Request

from shelfwise.catalogue.models import RECORD_ID_MAX
from shelfwise.core.errors import ShelfwiseError

_NUL_IN_JSON = b"\\u0000"


async def reject_nul(request: Request) -> None:
    raw_query = request.scope.get("query_string", b"")
    if "\x00" in request.url.path or b"%00" in raw_query:
        raise ShelfwiseError("request.invalid", detail="a NUL character is not allowed")
    if request.method in {"POST", "PUT", "PATCH"}:
        body = await request.body()
        if b"\x00" in body or _NUL_IN_JSON in body:
            raise ShelfwiseError("request.invalid", detail="a NUL character is not allowed")


# A record id in a path: larger than a BIGINT names no record (it had been a 500).
RecordIdPath = Annotated[int, Path(ge=1, le=RECORD_ID_MAX)]
# Years and decades as facet filters: what a catalogue can hold (it had been a 500).
YearsQuery = Annotated[list[Annotated[int, Query(ge=-9999, le=9999)]] | None, Query()]
