"""The wish wall for staff (issue 18): a branch's moderation queue and open wishes, each
with its buttons — show, hide with a reason, put in review, accept or decline with a
public answer, answer; a book wish has its "order" link to acquisitions' order form
(``web/staff/acquisitions.py``: the second click orders). Every change is the wish
service's, which checks the branch again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff.workplace import allowed_branches
from shelfwise.wishes.models import WallFilter, WishStatus

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
Id = Annotated[int, Path(ge=1, le=2**62)]
BranchQuery = Annotated[str, Query(max_length=64)]
ACTIONS = {
    "review": WishStatus.IN_REVIEW,
    "accept": WishStatus.ACCEPTED,
    "decline": WishStatus.DECLINED,
    "fulfil": WishStatus.FULFILLED,
}


def _branch(web: Web, page: Page, asked: str) -> str:
    who = page.staff("circulation.desk")
    choices = allowed_branches(web.services, who, page.lang)
    code = asked or (choices[0][0] if choices else "")
    page.staff("circulation.desk", code)
    return code


@router.get("/staff/wishes")
def queue(page: PageDep, web: WebDep, branch: BranchQuery = "", done: BranchQuery = "") -> Response:
    """The branch's moderation queue, then its open wishes, newest first."""
    code = _branch(web, page, branch)
    who = page.staff("circulation.desk", code)
    wishes = web.services.wishes
    open_ = [
        w
        for w in wishes.wall(WallFilter(branch=code, limit=100))
        if w.status not in (WishStatus.FULFILLED, WishStatus.DECLINED)
    ]
    return web.render(
        page,
        "staff/wishes.html",
        branch=code,
        branches=allowed_branches(web.services, who, page.lang),
        queue=wishes.queue(actor=who, branch=code),
        wishes=open_,
        done=done == "1",
    )


@router.post("/staff/wishes/{wish_id}/{action}")
async def act(
    wish_id: Id,
    action: Annotated[str, Path(pattern="^(show|hide|answer|review|accept|decline|fulfil)$")],
    page: PageDep,
    web: WebDep,
) -> Response:
    who = page.staff("circulation.desk")
    form = await page.request.form()
    note = form_text(form, "note")
    wishes = web.services.wishes
    if action == "show":
        wish = wishes.approve(wish_id, actor=who)
    elif action == "hide":
        wish = wishes.hide(wish_id, note, actor=who)
    elif action == "answer":
        wish = wishes.answer(wish_id, note, actor=who)
    else:
        wish = wishes.move(wish_id, ACTIONS[action], actor=who, note=note)
    return web.redirect(f"/staff/wishes?branch={wish.branch or ''}&done=1")
