"""Copy cataloguing pages (``catalogue.write``; one catalogue for the network, so any
branch's cataloguer): search a remote target, review a record as MARC text with the
records of ours it would join, save. The rules are in ``catalogue/copying.py``; this door
only turns the form into calls and the answers into the page. The search keeps no state:
the review asks the target again for the record at its position.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.catalogue.models import RECORD_ID_MAX
from shelfwise.catalogue.remote import MAX_RECORDS, RemoteRecord
from shelfwise.core.errors import ShelfwiseError
from shelfwise.marc.description import Dialect
from shelfwise.marc.mnemonic import read_lines, write_lines
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
PERMISSION = "catalogue.write"
OUTCOMES = ("added", "merged", "updated", "unchanged")
Text = Annotated[str, Query(max_length=200)]
Position = Annotated[int, Query(ge=1, le=MAX_RECORDS)]


def _page(web: Web, page: Page, **values: object) -> Response:
    services = web.services
    defaults: dict[str, object] = {
        "targets": services.copying().targets(),
        "target": "",
        "q": "",
        "result": None,
        "picked": None,
        "text": "",
        "matches": [],
        "line_errors": [],
        "error": "",
        "status": 200,
    }
    defaults.update(values)
    status = int(str(defaults.pop("status")))
    return web.render(page, "staff/copy.html", status=status, **defaults)


@router.get("/staff/catalogue/copy")
def copy_search(page: PageDep, web: WebDep, target: Text = "", q: Text = "") -> Response:
    page.staff(PERMISSION)
    if not q and not target:
        return _page(web, page)
    try:
        result = web.services.copying().search(target, q, maximum=20)
    except ShelfwiseError as exc:
        status = 422 if exc.status < 500 else 502
        return _page(web, page, target=target, q=q, error=page.error(exc), status=status)
    return _page(web, page, target=target, q=q, result=result)


def _review(
    web: Web,
    page: Page,
    target: str,
    q: str,
    picked: RemoteRecord,
    text: str,
    **values: object,
) -> Response:
    matches = web.services.copying().matches(picked.marc, picked.dialect)
    return _page(web, page, target=target, q=q, picked=picked, text=text, matches=matches, **values)


@router.get("/staff/catalogue/copy/review")
def copy_review(page: PageDep, web: WebDep, target: Text, q: Text, n: Position) -> Response:
    page.staff(PERMISSION)
    try:
        picked = web.services.copying().pick(target, q, n)
    except ShelfwiseError as exc:
        status = 422 if exc.status < 500 else 502
        return _page(web, page, target=target, q=q, error=page.error(exc), status=status)
    return _review(web, page, target, q, picked, write_lines(picked.marc))


@router.post("/staff/catalogue/copy/save")
async def copy_save(page: PageDep, web: WebDep) -> Response:
    page.staff(PERMISSION)
    form = await page.request.form()
    target, q, text = form_text(form, "target"), form_text(form, "q"), form_text(form, "marc")
    dialect_name = form_text(form, "dialect")
    dialect = Dialect(dialect_name) if dialect_name in {d.value for d in Dialect} else None
    read = read_lines(text)
    if dialect is None or isinstance(read, list):
        problems = read if isinstance(read, list) else []
        error = page.t("staff.copy.text_wrong")
        return _page(
            web, page, target=target, q=q, text=text, line_errors=problems, error=error,
            dialect=dialect_name, status=422,
        )  # fmt: skip
    picked = RemoteRecord(1, read, dialect)
    try:
        saved = web.services.copying().save(read, dialect)
    except ShelfwiseError as exc:
        return _review(web, page, target, q, picked, text, error=page.error(exc), status=422)
    return web.redirect(f"/staff/catalogue/copy/saved/{saved.record_id}?outcome={saved.outcome}")


@router.get("/staff/catalogue/copy/saved/{record_id}")
def copy_saved(
    record_id: Annotated[int, Path(ge=1, le=RECORD_ID_MAX)],
    page: PageDep,
    web: WebDep,
    outcome: Text = "added",
) -> Response:
    page.staff(PERMISSION)
    record = web.services.catalogue.get_record(record_id)
    shown = outcome if outcome in OUTCOMES else "added"
    return web.render(page, "staff/copy_saved.html", record=record, outcome=shown)
