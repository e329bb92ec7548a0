"""The review of a staged import (``catalogue.write``; one catalogue for the network):
what it would add, update, merge and reject, the branch codes whose copies it would
reject and the locations it would create; approve all, approve the ticked records or
kinds, discard; undo an applied one within the window. Rules: ``catalogue/staging.py``.
"""

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.catalogue.staging import DECISIONS
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
PERMISSION = "catalogue.write"
StagingId = Annotated[int, Path(ge=1, le=2**62)]
PAGE_SIZE = 200


def review_page(
    web: Web, page: Page, staging_id: int, *, show: str = "", error: str = "", notice: str = ""
) -> Response:
    staging = web.services.staging()
    plan = staging.get(staging_id)
    decision = show if show in DECISIONS else None
    return web.render(
        page,
        "staff/staged.html",
        status=409 if error else 200,
        plan=plan,
        shown=decision or "",
        rows=staging.records(staging_id, decision=decision, limit=PAGE_SIZE),
        can_undo=plan.can_undo(web.services.clock.now()),
        error=error,
        notice=notice,
    )


@router.get("/staff/catalogue/staged")
def staged_list(page: PageDep, web: WebDep) -> Response:
    page.staff(PERMISSION)
    return web.render(page, "staff/staged_list.html", stagings=web.services.staging().recent())


@router.get("/staff/catalogue/staged/{staging_id}")
def staged(
    staging_id: StagingId,
    page: PageDep,
    web: WebDep,
    show: Annotated[str, Query(max_length=16)] = "",
    done: Annotated[str, Query(max_length=16)] = "",
) -> Response:
    page.staff(PERMISSION)
    notice = (
        page.t("staff.staged.done." + done) if done in ("applied", "undone", "discarded") else ""
    )
    return review_page(web, page, staging_id, show=show, notice=notice)


@router.post("/staff/catalogue/staged/{staging_id}/apply")
async def apply(staging_id: StagingId, page: PageDep, web: WebDep) -> Response:
    page.staff(PERMISSION)
    form = await page.request.form()
    seqs = [int(str(v)) for v in form.getlist("seq") if str(v).isdigit()]
    kinds = [str(v) for v in form.getlist("decision") if v in ("add", "update", "merge")]
    try:
        if form.get("part") == "selected":
            web.services.staging().apply(staging_id, seqs=seqs)
        else:
            web.services.staging().apply(staging_id, decisions=kinds or ("add", "update", "merge"))
    except ShelfwiseError as exc:
        return review_page(web, page, staging_id, error=page.error(exc))
    return web.redirect(f"/staff/catalogue/staged/{staging_id}?done=applied")


@router.post("/staff/catalogue/staged/{staging_id}/undo")
async def undo(staging_id: StagingId, page: PageDep, web: WebDep) -> Response:
    page.staff(PERMISSION)
    await page.request.form()
    try:
        web.services.staging().undo(staging_id)
    except ShelfwiseError as exc:
        return review_page(web, page, staging_id, error=page.error(exc))
    return web.redirect(f"/staff/catalogue/staged/{staging_id}?done=undone")


@router.post("/staff/catalogue/staged/{staging_id}/discard")
async def discard(staging_id: StagingId, page: PageDep, web: WebDep) -> Response:
    page.staff(PERMISSION)
    await page.request.form()
    try:
        web.services.staging().discard(staging_id)
    except ShelfwiseError as exc:
        return review_page(web, page, staging_id, error=page.error(exc))
    return web.redirect(f"/staff/catalogue/staged/{staging_id}?done=discarded")
