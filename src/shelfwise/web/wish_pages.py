"""The wish wall for readers (issue 18): the wall of cards (sorted and filtered by links
that work without JavaScript), a wish's page with its answer, history, "me too" and
share link, and the form to post one, reached from a search that found nothing (``q``
prefills the title). Rules live in ``wishes``; these pages translate."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.opac import branch_names
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.wishes.models import WallFilter, WallOrder, WishDraft, WishKind, WishStatus

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
WishId = Annotated[int, Path(ge=1, le=2**62)]
PAGE = 30
DONE = ("posted", "supported", "reported")
FIELDS = ("kind", "title", "author", "isbn", "reason", "display_name", "branch")


def _choice(value: str, allowed: type[WishKind] | type[WishStatus]) -> str | None:
    return value if value in {str(v) for v in allowed} else None


@router.get("/wishes")
def wall(
    page: PageDep,
    web: WebDep,
    branch: Annotated[str, Query(max_length=64)] = "",
    kind: Annotated[str, Query(max_length=16)] = "",
    status: Annotated[str, Query(max_length=16)] = "",
    order: Annotated[str, Query(max_length=16)] = "newest",
    start: Annotated[int, Query(ge=0, le=100_000)] = 0,
) -> Response:
    """The wall: cards, newest or most supported first, by branch, kind and status."""
    names = branch_names(web, page)
    chosen_kind, chosen_status = _choice(kind, WishKind), _choice(status, WishStatus)
    what = WallFilter(
        branch=branch if branch in names else None,
        kind=WishKind(chosen_kind) if chosen_kind else None,
        status=WishStatus(chosen_status) if chosen_status else None,
        order=WallOrder(order) if order in {str(o) for o in WallOrder} else WallOrder.NEWEST,
        limit=PAGE + 1,
        offset=start,
    )
    found = web.services.wishes.wall(what)
    current = {
        "branch": what.branch or "",
        "kind": chosen_kind or "",
        "status": chosen_status or "",
        "order": str(what.order),
    }

    def link(**change: object) -> str:
        query = {k: v for k, v in {**current, **change}.items() if v not in ("", None)}
        return "/wishes" + (f"?{urlencode(query)}" if query else "")

    return web.render(
        page,
        "wishes/wall.html",
        wishes=found[:PAGE],
        more=len(found) > PAGE,
        start=start,
        current=current,
        link=link,
        names=names,
        kinds=[str(k) for k in WishKind],
        statuses=[str(s) for s in WishStatus],
        orders=[str(o) for o in WallOrder],
    )


def _form(
    web: Web, page: Page, values: dict[str, str], error: str = "", **more: object
) -> Response:
    return web.render(
        page,
        "wishes/new.html",
        status=more.pop("status", 200),  # type: ignore[arg-type]
        values=values,
        error=error,
        names=branch_names(web, page),
        kinds=[str(k) for k in WishKind],
        **more,
    )


@router.get("/wishes/new")
def new(
    page: PageDep,
    web: WebDep,
    q: Annotated[str, Query(max_length=200)] = "",
    author: Annotated[str, Query(max_length=200)] = "",
    isbn: Annotated[str, Query(max_length=20)] = "",
    find: Annotated[str, Query(max_length=200)] = "",
) -> Response:
    """The form, its title prefilled with what a search did not find (or a book another
    library described); with ``find``, what our catalogue and other libraries have."""
    values = dict.fromkeys(FIELDS, "") | {
        "kind": "book",
        "title": q.strip(),
        "author": author.strip(),
        "isbn": isbn.strip(),
    }
    signed = page.principal is not None and page.principal.kind == "reader"
    here = quote(f"/wishes/new?q={quote(q)}" if q else "/wishes/new", safe="")
    found, error, status = None, "", 200
    if find.strip():
        try:
            found = web.services.wish_lookup().lookup(find)
        except ShelfwiseError as exc:
            error, status = page.error(exc), exc.status
    return _form(
        web,
        page,
        values,
        error,
        status=status,
        signed_in=signed,
        login=f"/login?next={here}",
        held=None,
        found=found,
        find=find.strip() or q.strip(),
        wish_link=lambda c: (
            "/wishes/new?"
            + urlencode(
                {
                    k: v
                    for k, v in (("q", c.title), ("author", c.author), ("isbn", c.isbn or ""))
                    if v
                }
            )
        ),
    )


@router.post("/wishes/new")
async def post(page: PageDep, web: WebDep) -> Response:
    who = page.reader()
    form = await page.request.form()
    values = {k: form_text(form, k) for k in FIELDS}
    kind = _choice(values["kind"], WishKind) or "book"
    try:
        draft = WishDraft(
            kind=WishKind(kind),
            title=values["title"],
            display_name=values["display_name"],
            author=values["author"],
            isbn=values["isbn"] if kind == "book" else "",
            reason=values["reason"],
            branch=values["branch"] or None,
            pickup_branch=values["branch"] or None,
            notify=form_text(form, "notify") == "1",
        )
        wish = web.services.wishes.post(draft, actor=who)
    except ShelfwiseError as exc:
        held = exc.params.get("record_id") if exc.code == "wishes.record_exists" else None
        return _form(
            web,
            page,
            values,
            page.error(exc),
            status=exc.status,
            signed_in=True,
            held=held,
            login="",
            found=None,
            find="",
        )
    return web.redirect(f"/wishes/{wish.id}?done=posted")


@router.get("/wishes/{wish_id}")
def wish(
    wish_id: WishId, page: PageDep, web: WebDep, done: Annotated[str, Query(max_length=20)] = ""
) -> Response:
    wishes = web.services.wishes
    found = wishes.get(wish_id, viewer=page.principal)
    if found.merged_into_id is not None:
        return web.redirect(f"/wishes/{found.merged_into_id}")
    reader = page.principal if page.principal and page.principal.kind == "reader" else None
    supported = reader is not None and wishes.supported_by(wish_id, str(reader.card_number))
    base = web.services.settings.web_public_url.rstrip("/") or str(page.request.base_url).rstrip(
        "/"
    )
    return web.render(
        page,
        "wishes/wish.html",
        wish=found,
        history=wishes.history(wish_id),
        supported=supported,
        signed_in=reader is not None,
        names=branch_names(web, page),
        link=f"{base}/wishes/{wish_id}",
        notice=page.t("wishes.done." + done) if done in DONE else "",
    )


@router.post("/wishes/{wish_id}/{action}")
async def act(
    wish_id: WishId,
    action: Annotated[str, Path(pattern="^(support|report)$")],
    page: PageDep,
    web: WebDep,
) -> Response:
    who = page.reader()
    form = await page.request.form()
    if action == "support":
        web.services.wishes.support(
            wish_id,
            actor=who,
            notify=form_text(form, "notify") == "1",
            wants_hold=form_text(form, "wants_hold") == "1",
        )
        return web.redirect(f"/wishes/{wish_id}?done=supported")
    web.services.wishes.report(wish_id, form_text(form, "reason"), actor=who)
    return web.redirect(f"/wishes/{wish_id}?done=reported")
