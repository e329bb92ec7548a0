"""What every page handler gets: the :class:`Page` (language, CSRF token, who is signed in)
and the :class:`Web` object that renders templates and turns refusals into pages.

A page is a module-level function on a module-level router::

    router = APIRouter(route_class=WebRoute, default_response_class=HTMLResponse)

    @router.get("/thing")
    def thing(page: PageDep, web: WebDep) -> Response:
        return web.render(page, "thing.html", value=...)

``WebDep`` is this app's :class:`Web` (``web.install`` keeps it in ``app.state.web``),
``PageDep`` the request as a page sees it. :class:`WebRoute` checks the CSRF token of
every POST before the handler runs and renders a :class:`ShelfwiseError` (or a form
that does not validate) as an error page in the reader's language, never as JSON or a
500.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Coroutine, Mapping
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import quote, urlsplit

import jinja2
from fastapi import Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, RedirectResponse
from fastapi.routing import APIRoute
from markupsafe import Markup

from shelfwise.access.models import LoginSession, Principal
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web import covers, i18n, icons
from shelfwise.web.security import (
    CSRF_FIELD,
    LANG_COOKIE,
    LARGE_COOKIE,
    SESSION_COOKIE,
    Signer,
    cookie_header,
    read_cookie,
)

if TYPE_CHECKING:
    from shelfwise.config import Settings
    from shelfwise.services import Services


class LoginRequired(Exception):
    """Raised by a handler that needs someone signed in; becomes a redirect to the login page."""

    def __init__(self, kind: str = "reader") -> None:
        super().__init__(kind)
        self.kind = kind


@dataclass(slots=True)
class Page:
    """One request as a page sees it."""

    request: Request
    lang: i18n.PageLanguage
    csrf: str
    large_text: bool
    session_token: str | None
    principal: Principal | None
    messages: i18n.Catalogue = field(repr=False)

    def t(self, key: str, **params: object) -> str:
        return self.messages.format(key, self.lang, params)

    @property
    def path(self) -> str:
        query = self.request.url.query
        return self.request.url.path + (f"?{query}" if query else "")

    def reader(self) -> Principal:
        """The signed-in reader, or a redirect to the reader login."""
        if self.principal is None or self.principal.kind != "reader":
            raise LoginRequired("reader")
        return self.principal

    def staff(self, permission: str, branch: str | None = None) -> Principal:
        """The signed-in staff member allowed ``permission``; a redirect or a 403 page otherwise."""
        if self.principal is None or self.principal.kind != "staff":
            raise LoginRequired("staff")
        if not self.principal.can(permission, branch):
            raise ShelfwiseError("web.forbidden")
        return self.principal

    def error(self, exc: ShelfwiseError) -> str:
        """A refusal's sentence in the page's language (field names translated too). A
        refusal worded to the reader ("已借给您") has a wording about the reader for staff
        pages (``staff.about_reader.<code>``): staff are never addressed as the reader."""
        about = f"staff.about_reader.{exc.code}"
        staff = self.principal is not None and self.principal.kind == "staff"
        if staff and about in self.messages.texts:
            return self.t(about, **exc.params)
        return i18n.refusal(exc, self.lang)


# The page language beside the header's globe, as its readers write it.
LANGUAGE_SHORT: dict[i18n.PageLanguage, str] = {"zh": "简", "zh-Hant": "繁", "ko": "한", "en": "EN"}


def library_names(settings: Settings) -> dict[i18n.PageLanguage, str]:
    """The library's name in each page language (library_name where none is set)."""
    zh = settings.library_name_zh or settings.library_name
    return {
        "zh": zh,
        "zh-Hant": i18n.proper_name_traditional(zh),  # a name: 社区 stays 社區
        "ko": settings.library_name_ko or settings.library_name,
        "en": settings.library_name_en or settings.library_name,
    }


def safe_next(target: str | None, default: str = "/") -> str:
    """A same-site path to return to after login or a language switch (never another host)."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


class Web:
    """The web door's shared machinery, built once per app."""

    def __init__(self, services: Services) -> None:
        self.services = services
        self.signer = Signer(services.keys.web)
        self.library_names = library_names(services.settings)
        self.zone = services.clock.zone  # pages show times in the library's zone, not UTC
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("shelfwise.web", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
            auto_reload=False,
        )
        self.static_version = _static_version()

    # --- per request ----------------------------------------------------------------

    def page(self, request: Request) -> Page:
        chosen = i18n.parse_language(read_cookie(request.scope, LANG_COOKIE))
        lang = chosen or i18n.negotiate(request.headers.get("accept-language"))
        seed = str(request.scope.get("state", {}).get("csrf_seed", ""))
        token = read_cookie(request.scope, SESSION_COOKIE)
        return Page(
            request=request,
            lang=lang,
            csrf=self.signer.csrf_token(seed),
            large_text=read_cookie(request.scope, LARGE_COOKIE) == "1",
            session_token=token,
            principal=self.principal(token),
            messages=i18n.catalogue(),
        )

    def principal(self, token: str | None) -> Principal | None:
        if not token:
            return None
        # A login session only: an API token pasted into a cookie is not a browser's login.
        return self.services.access.principal(token, sessions_only=True)

    # --- responses ------------------------------------------------------------------

    def render(self, page: Page, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = self.env.get_template(template).render(self._globals(page) | context)
        return HTMLResponse(
            html, status_code=status, headers={"Content-Language": i18n.HTML_LANG[page.lang]}
        )

    def _globals(self, page: Page) -> dict[str, Any]:
        lang = page.lang
        return {
            "page": page,
            "t": page.t,
            "lang": lang,
            "html_lang": i18n.HTML_LANG[lang],
            "languages": i18n.LANGUAGE_NAMES,
            "language_short": LANGUAGE_SHORT[lang],
            "library_name": self.library_names[lang],
            "icon": icons.icon,
            "cover": covers.cover,
            "logo": icons.LOGO,
            "csrf_field": Markup('<input type="hidden" name="{}" value="{}">').format(
                CSRF_FIELD, page.csrf
            ),
            "static": lambda name: f"/static/{name}?v={self.static_version}",
            # the whole path and query as one value of ?next= (filters, sort and page kept)
            "here": quote(page.path, safe="/"),
            "fmt_date": lambda value: i18n.format_date(value, lang, self.zone),
            "fmt_datetime": lambda value: i18n.format_datetime(value, lang, self.zone),
            "fmt_time": lambda value: i18n.format_time(value, lang, self.zone),
            "fmt_num": lambda value: i18n.format_number(value, lang),
            "fmt_money": lambda cents: i18n.format_money(cents, lang),
            "foreign": lambda text: i18n.foreign(text, lang),
            "lang_attr": lambda text: i18n.lang_attr(text, lang),
        }

    def redirect(self, url: str) -> RedirectResponse:
        return RedirectResponse(url, status_code=303)

    def signed_in(self, page: Page, session: LoginSession, target: str) -> RedirectResponse:
        """Redirect to ``target`` with the session cookie (HttpOnly, SameSite=Lax, Secure
        under https; lasting as long as the session, or the browser session if it never ends)."""
        max_age = None
        if session.expires_at is not None:
            max_age = max(0, int((session.expires_at - self.services.clock.now()).total_seconds()))
        secure = page.request.url.scheme == "https"
        response = self.redirect(target)
        response.headers.append(
            "set-cookie",
            cookie_header(SESSION_COOKIE, session.token, secure=secure, max_age=max_age),
        )
        return response

    def signed_out(self, page: Page, target: str) -> RedirectResponse:
        """End the page's session, clear its cookie and redirect to ``target``."""
        if page.session_token:
            self.services.access.logout(page.session_token)
        secure = page.request.url.scheme == "https"
        response = self.redirect(target)
        response.headers.append(
            "set-cookie", cookie_header(SESSION_COOKIE, "", secure=secure, max_age=0)
        )
        return response

    def error_page(self, request: Request, exc: ShelfwiseError) -> HTMLResponse:
        page = self.page(request)
        return self.render(
            page, "error.html", status=exc.status, message=page.error(exc), code=exc.code
        )


async def web_of(request: Request) -> Web:
    """The :class:`Web` of the app serving ``request`` (``web.install`` keeps it there).

    async: it only reads app.state (a plain ``def`` would cost a thread-pool hand-off)."""
    return _web(request)


def page_of(request: Request) -> Page:
    """The request as a page sees it: language, CSRF token, who is signed in."""
    return _web(request).page(request)


def _web(request: Request) -> Web:
    web = request.app.state.web
    if not isinstance(web, Web):
        raise RuntimeError("the web door is not installed on this app (web.install)")
    return web


WebDep = Annotated[Web, Depends(web_of)]
PageDep = Annotated[Page, Depends(page_of)]


class WebRoute(APIRoute):
    """CSRF on every POST; refusals, bad forms and login redirects as pages."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        original = super().get_route_handler()

        async def handler(request: Request) -> Response:
            web = _web(request)
            try:
                await _check_request(web, request)
                return await original(request)
            except LoginRequired as exc:
                target = "/staff/login" if exc.kind == "staff" else "/login"
                back = request.url.path if request.method == "GET" else "/account"
                return web.redirect(f"{target}?next={quote(back)}")
            except ShelfwiseError as exc:
                return web.error_page(request, exc)
            except RequestValidationError as exc:
                detail = "; ".join(
                    ".".join(str(p) for p in e.get("loc", ())[1:]) for e in exc.errors()
                )
                return web.error_page(request, ShelfwiseError("request.invalid", detail=detail))
            finally:
                # The form was parsed here, not by FastAPI, so its uploaded files
                # (spooled temporary files) are closed here too.
                await request.close()

        return handler


async def _check_request(web: Web, request: Request) -> None:
    """No NUL anywhere; a POST carries this browser's CSRF token."""
    # No NUL in a path, a query or a text field: PostgreSQL cannot hold
    # one, and it is never meaningful (uploaded files may hold anything).
    if "\x00" in request.url.path or b"%00" in request.scope.get("query_string", b""):
        raise ShelfwiseError("request.invalid", detail="NUL")
    if request.method == "POST":
        form = await request.form()
        if any(isinstance(v, str) and "\x00" in v for v in form.values()):
            raise ShelfwiseError("request.invalid", detail="NUL")
        seed = request.scope.get("state", {}).get("csrf_seed")
        token = form.get(CSRF_FIELD)
        if not web.signer.csrf_ok(seed, token if isinstance(token, str) else None):
            raise ShelfwiseError("web.csrf")


def _static_version() -> str:
    digest = hashlib.blake2b(digest_size=6)
    folder = resources.files("shelfwise.web").joinpath("static")
    for name in sorted(p.name for p in folder.iterdir()):
        digest.update(folder.joinpath(name).read_bytes())
    return digest.hexdigest()


def form_text(form: Mapping[str, Any], name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""
