"""The reader's preferences: page language and large text (cookies), and "my library" — the
branch a reader (their home branch, through the readers service) or a visitor (a cookie)
calls theirs.

Language and text size are plain links (GET), so they work without JavaScript; they change
only how pages look, never data, so they need no CSRF token. So is a visitor's library (a
cookie); a signed-in reader's is their account's, changed by a POST.

For other pages: :func:`my_branch` is the code of the page's "my library" (None: none
chosen) — the record page lists its copies first and preselects it as the pickup branch;
``available_at=mine`` in search means the same branch for a signed-in reader.
"""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web import i18n
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text, safe_next
from shelfwise.web.record_view import BRANCH_COOKIE
from shelfwise.web.security import LANG_COOKIE, LARGE_COOKIE, YEAR, cookie_header, read_cookie

Next = Annotated[str, Query(alias="next", max_length=2000)]
BranchCode = Annotated[str, Query(max_length=32)]


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


# --- my library -------------------------------------------------------------------------


def my_branch(web: Web, page: Page) -> str | None:
    """The branch code of the page's "my library": a signed-in reader's home branch, else
    the visitor's choice (a cookie naming a branch that exists)."""
    who = page.principal
    if who is not None and who.kind == "reader" and who.card_number:
        return web.services.readers.home_branch(who.card_number)
    chosen = read_cookie(page.request.scope, BRANCH_COOKIE)
    return chosen if chosen in _branches(web, page) else None


def _branches(web: Web, page: Page) -> dict[str, str]:
    """Branch code → name in the page language."""
    return {b.code: i18n.branch_name(b, page.lang) for b in web.services.catalogue.list_branches()}


def _signed_in(page: Page) -> bool:
    return page.principal is not None and page.principal.kind == "reader"


@router.get("/my-library", response_class=HTMLResponse)
def my_library(page: PageDep, web: WebDep, next_: Next = "/", saved: str = "") -> Response:
    return web.render(
        page,
        "account/my_library.html",
        branches=list(_branches(web, page).items()),
        current=my_branch(web, page),
        signed_in=_signed_in(page),
        next=safe_next(next_),
        notice=page.t("mylib.saved") if saved else "",
    )


@router.post("/my-library")
async def save_my_library(page: PageDep, web: WebDep) -> Response:
    """A signed-in reader's choice, kept on their account (``ReaderService.set_home_branch``)."""
    reader = page.reader()
    form = await page.request.form()
    code = form_text(form, "code") or None
    web.services.readers.set_home_branch(str(reader.card_number), code)
    return web.redirect(_after(form_text(form, "next")))


@router.get("/prefs/branch")
def visitor_branch(
    page: PageDep, web: WebDep, code: BranchCode = "", next_: Next = "/"
) -> Response:
    """A visitor's choice, kept a year in a cookie (an empty code forgets it)."""
    if code and code not in _branches(web, page):
        raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    response = web.redirect(_after(next_))
    secure = page.request.url.scheme == "https"
    response.headers.append(
        "set-cookie",
        cookie_header(BRANCH_COOKIE, code, secure=secure, max_age=YEAR if code else 0),
    )
    return response


def _after(target: str) -> str:
    """Back where the reader came from, or the page itself with the saved notice."""
    back = safe_next(target, "")
    return back if back and back != "/" else "/my-library?saved=1"
