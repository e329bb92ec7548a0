"""The readers' catalogue (OPAC): home, results and the record page with its hold button."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Annotated, Any
from urllib.parse import urlencode

import segno
from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response
from markupsafe import Markup

from shelfwise.catalogue.models import RECORD_ID_MAX, Branch
from shelfwise.core.errors import ShelfwiseError
from shelfwise.search.models import Filters, RecordHit, SearchRequest, SearchResult, Sort
from shelfwise.stories.models import pick
from shelfwise.web import branch_pages, happenings, i18n, record_suggestions, record_view
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.stories_pages import collection_hits

PAGE_SIZE = 20
HOME_ARRIVALS = 10
FACET_ORDER = ("available", "lang", "material", "branch", "decade", "subject")
Values = Annotated[list[str] | None, Query(max_length=50)]
RecordId = Annotated[int, Path(ge=1, le=RECORD_ID_MAX)]  # larger names no record


def branch_name(branch: Branch, lang: i18n.PageLanguage) -> str:
    return i18n.branch_name(branch, lang)


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def branch_names(web: Web, page: Page) -> dict[str, str]:
    """Branch code → name in the page language."""
    return {b.code: branch_name(b, page.lang) for b in web.services.catalogue.list_branches()}


@router.get("/")
def home(page: PageDep, web: WebDep) -> Response:
    """New arrivals (by the day copies entered service), popular this month (loan counts
    only) and my library's day; a section with nothing to show is left out."""
    catalogue = web.services.catalogue
    branches = catalogue.list_branches()
    mine = record_view.my_branch(web, page, branches)
    notice = None
    try:
        web.services.search.require_ready()
    except ShelfwiseError as exc:  # the index is being built: say so, keep the page
        notice = page.error(exc)
    arrivals = [catalogue.record_detail(r) for r in catalogue.new_arrivals(HOME_ARRIVALS)]
    popular = [
        (catalogue.record_detail(r), loans)
        for r, loans in web.services.popularity.popular(HOME_ARRIVALS)
    ]
    # The coming events of my library first; the network's when it has none.
    names = {b.code: branch_name(b, page.lang) for b in branches}
    events = (happenings.events(web, mine.code, names) if mine else []) or happenings.events(
        web, None, names
    )
    return web.render(
        page,
        "opac/home.html",
        arrivals=arrivals,
        popular=popular,
        mine=branch_pages.today_at(web, page, mine) if mine else None,
        notice=notice,
        stories=happenings.stories(web, page),
        events=events,
        wishes=happenings.wishes(web),
    )


@router.get("/search")
def results(
    page: PageDep,
    web: WebDep,
    q: Annotated[str, Query(max_length=500)] = "",
    lang: Values = None,
    material: Values = None,
    decade: Annotated[
        list[Annotated[int, Query(ge=-9999, le=9999)]] | None, Query(max_length=20)
    ] = None,
    branch: Values = None,
    subject: Values = None,
    available: bool | None = None,
    sort: Sort = Sort.RELEVANCE,
    p: Annotated[int, Query(ge=1, le=100)] = 1,
    exact: bool = False,
) -> Response:
    chosen, filters = _chosen(lang, material, decade, branch, subject, available)
    request = SearchRequest(q=q, filters=filters, sort=sort, page=p, size=PAGE_SIZE)
    try:
        found = web.services.search.search(request)
        corrected = None if exact else _corrected(web, request, found)
    except ShelfwiseError as exc:
        if exc.status != 503:
            raise
        return _unavailable(web, page, q, exc)
    names = branch_names(web, page)
    label = _labeller(page, names)
    link = _Links(q, chosen, sort, p)
    shown = corrected or found
    return web.render(
        page,
        "opac/results.html",
        q=q,
        result=found,
        shown=shown,
        corrected=corrected,
        chosen=chosen,
        sort=sort,
        sorts=list(Sort),
        facets=_facets(shown, chosen, label),
        applied=[(label(n, v), link(toggle=f"{n}:{v}")) for n, vs in chosen.items() for v in vs],
        names=names,
        pages=_pagination(shown),
        link=link,
        collection=_collection(web, page, q) if p == 1 else None,
    )


def _chosen(
    lang: list[str] | None,
    material: list[str] | None,
    decade: list[int] | None,
    branch: list[str] | None,
    subject: list[str] | None,
    available: bool | None,
) -> tuple[dict[str, list[str]], Filters]:
    """The filters as the page shows them (chips, links) and as the search takes them."""
    chosen = {
        "lang": list(lang or ()),
        "material": list(material or ()),
        "decade": [str(d) for d in decade or ()],
        "branch": list(branch or ()),
        "subject": list(subject or ()),
        "available": ["true"] if available else [],
    }
    filters = Filters(
        lang=tuple(lang or ()),
        material=tuple(material or ()),
        decade=tuple(decade or ()),
        branch=tuple(branch or ()),
        subject=tuple(subject or ()),
        available=available,
    )
    return chosen, filters


def _collection(web: Web, page: Page, q: str) -> dict[str, Any] | None:
    return collection_hits(web, page, q)


@router.get("/record/{record_id}")
def record(record_id: RecordId, page: PageDep, web: WebDep) -> Response:
    return _record_page(web, page, record_id)


@router.post("/record/{record_id}/hold")
async def place_hold(record_id: RecordId, page: PageDep, web: WebDep) -> Response:
    reader = page.reader()
    form = await page.request.form()
    pickup = form_text(form, "pickup")
    try:
        web.services.circulation.place_hold(
            str(reader.card_number), record_id, pickup or None, actor=reader
        )
    except ShelfwiseError as exc:
        return _record_page(web, page, record_id, error=page.error(exc), status=exc.status)
    return web.redirect("/account/holds?placed=1")


def _record_page(
    web: Web, page: Page, record_id: int, *, error: str | None = None, status: int = 200
) -> Response:
    services = web.services
    record = services.catalogue.record_detail(record_id)
    if record.state != "active" and record.merged_into_id:
        return web.redirect(f"/record/{record.merged_into_id}")
    if record.state != "active":
        raise ShelfwiseError("catalogue.record_not_found", record_id=record_id)
    branches = services.catalogue.list_branches()
    mine = record_view.my_branch(web, page, branches)
    grouped = record_view.shelves(
        services.catalogue.items_of(record_id),
        services.circulation.record_status(record_id),
        branches,
        {loc.id: loc for loc in services.catalogue.list_locations()},
        page.lang,
        mine,
    )
    # Behind a proxy the server cannot know the address readers use: web_public_url says it.
    public = services.settings.web_public_url.rstrip("/")
    url = (
        f"{public}/record/{record_id}"
        if public
        else str(page.request.url_for("record", record_id=record_id))
    )
    qr = segno.make(url, error="m").svg_inline(scale=3, title=page.t("record.qr_title"))
    pickups = [(b.code, branch_name(b, page.lang)) for b in branches]
    return web.render(
        page,
        "opac/record.html",
        status=status,
        record=record,
        cover_url=record_view.cover_image(web, record_id),
        shelves=grouped,
        mine=mine,
        mine_name=branch_name(mine, page.lang) if mine else "",
        editions=_editions(web, record.id, record.title),
        pickups=pickups,
        pickup_default=mine.code if mine else "",
        share_url=url,
        qr=Markup(qr),
        error=error,
        # Stories that show this record ("featured in", issue 17), in the page's language.
        featured_in=[
            (
                story.slug,
                *pick(story.document.title, "zh" if page.lang.startswith("zh") else page.lang),
            )
            for story in services.stories.featured_in(record_id)
        ],
        **record_suggestions.around_record(web, page, record_id),
    )


def _unavailable(web: Web, page: Page, q: str, exc: ShelfwiseError) -> Response:
    """The results page while the index is built: the notice, and when to come back."""
    empty = SearchResult(q, 0, (), {}, 1, PAGE_SIZE, Sort.RELEVANCE)
    response = web.render(
        page,
        "opac/results.html",
        status=503,
        q=q,
        result=empty,
        chosen={},
        sort=Sort.RELEVANCE,
        sorts=list(Sort),
        shown=empty,
        corrected=None,
        facets=[],
        applied=[],
        names={},
        pages=[],
        link=_Links(q, {}, Sort.RELEVANCE, 1),
        collection=None,
        notice=page.error(exc),
    )
    response.headers["Retry-After"] = exc.params.get("retry_after", "30")
    return response


def _editions(web: Web, record_id: int, title: str) -> list[RecordHit]:
    """The other editions and translations of the record's work, as search groups them."""
    try:
        found = web.services.search.search(SearchRequest(q=title[:200], size=10, facets=False))
    except ShelfwiseError:  # the index is being built: the record page stands without them
        return []
    for work in found.works:
        if any(r.record_id == record_id for r in work.records):
            return [r for r in work.records if r.record_id != record_id]
    return []


@dataclass(frozen=True, slots=True)
class FacetChoice:
    key: str  # the value as the URL carries it
    label: str
    count: int
    on: bool


@dataclass(frozen=True, slots=True)
class FacetView:
    name: str
    values: list[FacetChoice]


def _labeller(page: Page, names: dict[str, str]) -> Callable[[str, str], str]:
    """A facet value as readers read it: a language's, material's or branch's name."""
    texts = page.messages.texts

    def label(facet: str, value: str) -> str:
        if facet == "available":
            return page.t("facet.available_now")
        if facet == "decade":
            return page.t("facet.decade_value", decade=value)
        if facet == "branch":
            return names.get(value, value)
        key = {"lang": "langname.", "material": "material."}.get(facet, "") + value
        return page.t(key) if facet in ("lang", "material") and key in texts else value

    return label


def _facets(
    found: SearchResult, chosen: dict[str, list[str]], label: Callable[[str, str], str]
) -> list[FacetView]:
    """The facets worth offering: a facet whose every match has one value narrows nothing
    and is left out (a chosen value shows as a chip above the results instead)."""
    out = []
    for name in FACET_ORDER:
        counted = [(v.value, v.count) for v in found.facets.get(name, ())]
        if name == "available":
            counted = [("true", c) for v, c in counted if v == "yes" and c < found.total_records]
        elif len(counted) < 2:
            continue
        on = chosen.get(name, [])
        values = [FacetChoice(k, label(name, k), c, k in on) for k, c in counted[:12]]
        if values:
            out.append(FacetView(name, values))
    return out


def _pagination(found: SearchResult) -> list[int]:
    # works when the search grouped every hit; else the record count (an upper bound)
    shown = found.total_works if found.total_works is not None else found.total_records
    last = min(100, max(1, -(-shown // max(found.size, 1))))
    around = range(max(1, found.page - 2), min(last, found.page + 2) + 1)
    return sorted({1, *around, last}) if found.works else []


class _Links:
    """Results URLs from the page's own: a facet value toggled, every filter cleared, or the
    sort or page changed; what is not changed is kept."""

    def __init__(self, q: str, chosen: dict[str, list[str]], sort: Sort, p: int) -> None:
        self.q, self.chosen, self.sort, self.p = q, chosen, sort, p

    def __call__(self, **change: str) -> str:
        params: list[tuple[str, str]] = [("q", change.get("q", self.q))] if self.q else []
        facets = {} if "clear" in change else {k: list(v) for k, v in self.chosen.items()}
        toggle = change.get("toggle")
        if toggle:
            name, _, value = toggle.partition(":")
            values = facets.setdefault(name, [])
            if value in values:
                values.remove(value)
            else:
                values.append(value)
        for name, values in facets.items():
            params.extend((name, v) for v in values)
        new_sort = change.get("sort", str(self.sort))
        if new_sort != Sort.RELEVANCE:
            params.append(("sort", new_sort))
        reset = bool(toggle) or "sort" in change or "clear" in change or "q" in change
        page = change.get("p", "1" if reset else str(self.p))
        if page != "1":
            params.append(("p", page))
        return "/search?" + urlencode(params)


def _corrected(web: Web, request: SearchRequest, found: SearchResult) -> SearchResult | None:
    """The corrected query's results, when nothing matched and its correction finds some:
    the reader sees books, and is offered the words as typed."""
    if found.works or not found.did_you_mean or request.page != 1:
        return None
    retry = web.services.search.search(replace(request, q=found.did_you_mean))
    return retry if retry.works else None
