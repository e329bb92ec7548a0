"""The account's "For you" section (issue 21, P11): the reader's own suggestions while
they consent, each saying why, and for every reader the suggestions made from aggregates
(popular at their branch this month, new in the classes their category reads)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.web.account import card_of, section, titles
from shelfwise.web.opac import branch_names
from shelfwise.web.pages import PageDep, WebDep, WebRoute

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


@router.get("/account/suggestions")
def suggestions(page: PageDep, web: WebDep) -> Response:
    offered = web.services.recommend.for_reader(card_of(page))
    shown = [*(offered.for_you or []), *offered.popular, *offered.new_in_class]
    ids = [s.record_id for s in shown] + [s.because for s in shown if s.because is not None]
    return section(
        web,
        page,
        "suggestions",
        offered=offered,
        titles=titles(web, ids),
        branch_name=branch_names(web, page).get(offered.branch or "", offered.branch or ""),
    )
