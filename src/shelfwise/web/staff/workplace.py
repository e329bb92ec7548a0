"""Where a staff member is working and what the desk pages share.

The working branch (where checkouts and check-ins are recorded) is remembered in
the ``sw_branch`` cookie, chosen from the branches the account may work at. Each
desk form carries a fresh idempotency key, so a reload that posts the form again
gets the stored result instead of acting twice.
"""

from __future__ import annotations

import re
import secrets
from typing import TYPE_CHECKING, Any

from shelfwise.access.models import Principal
from shelfwise.circulation.idempotency import RequestKey
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.i18n import PageLanguage
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page
from shelfwise.web.security import read_cookie

if TYPE_CHECKING:
    from shelfwise.services import Services

BRANCH_COOKIE = "sw_branch"
_KEY = re.compile(r"^web-[A-Za-z0-9_-]{16,64}$")


def allowed_branches(
    services: Services, who: Principal, lang: PageLanguage
) -> list[tuple[str, str]]:
    """(code, name) of the branches this staff member may work at, in the page language."""
    scope = who.branches
    return [
        (b.code, branch_name(b, lang))
        for b in services.catalogue.list_branches()
        if not scope or b.code in scope
    ]


def working_branch(services: Services, page: Page, who: Principal) -> str:
    """The branch from the cookie when this account may work there, else its first branch."""
    allowed = [code for code, _ in allowed_branches(services, who, page.lang)]
    if not allowed:
        raise ShelfwiseError("web.forbidden")
    chosen = read_cookie(page.request.scope, BRANCH_COOKIE)
    return chosen if chosen in allowed else allowed[0]


def branch_names(services: Services, page: Page) -> dict[int, str]:
    """Branch id → name in the page language."""
    return {b.id: branch_name(b, page.lang) for b in services.catalogue.list_branches()}


def titles(services: Services, record_ids: list[int]) -> dict[int, str]:
    out = {}
    for record_id in set(record_ids):
        try:
            out[record_id] = services.catalogue.get_record(record_id).title
        except ShelfwiseError:
            out[record_id] = f"#{record_id}"
    return out


def new_key() -> str:
    """A fresh idempotency key for one desk form."""
    return "web-" + secrets.token_urlsafe(24)


def form_key(value: str, who: Principal) -> RequestKey | None:
    """The form's idempotency key, as this staff member's, when it has the shape we hand
    out (else none is used)."""
    return RequestKey(f"staff:{who.id}", value) if _KEY.match(value) else None


def at_desk(services: Services, page: Page) -> tuple[Principal, str]:
    """The staff member allowed the desk at their working branch, and that branch."""
    who = page.staff("circulation.desk")
    branch = working_branch(services, page, who)
    return page.staff("circulation.desk", branch), branch


def desk_context(services: Services, page: Page, who: Principal, branch: str) -> dict[str, Any]:
    """What every desk page's template needs: who, where, where else, a fresh form key."""
    return {
        "who": who,
        "branch": branch,
        "branches": allowed_branches(services, who, page.lang),
        "key": new_key(),
    }
