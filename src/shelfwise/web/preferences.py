"""The reader's display preferences, remembered in cookies: page language and large text.

Plain links (GET), so they work without JavaScript; they change only how pages
look, never data, so they need no CSRF token.
"""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web import i18n
from shelfwise.web.pages import Page, PageDep, WebDep, WebRoute, safe_next
from shelfwise.web.security import LANG_COOKIE, LARGE_COOKIE, YEAR, cookie_header

Next = Annotated[str, Query(alias="next", max_length=2000)]


router = APIRouter(route_class=WebRoute, include_in_schema=False)


@router.get("/lang/{code}")
def choose_language(code: str, page: PageDep, web: WebDep, next_: Next = "/") -> Response:
    language = i18n.parse_language(code)
    if language is None:
        raise ShelfwiseError("request.not_found")
    response = web.redirect(safe_next(next_))
    _remember(response, page, LANG_COOKIE, language)
    return response


@router.get("/prefs/large-text")
def large_text(
    page: PageDep,
    web: WebDep,
    on: Annotated[bool, Query()] = True,
    next_: Next = "/",
) -> Response:
    response = web.redirect(safe_next(next_))
    _remember(response, page, LARGE_COOKIE, "1" if on else "0")
    return response


def _remember(response: Response, page: Page, name: str, value: str) -> None:
    secure = page.request.url.scheme == "https"
    response.headers.append("set-cookie", cookie_header(name, value, secure=secure, max_age=YEAR))
