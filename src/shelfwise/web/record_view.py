"""The record page's copies as a reader looks for them: by branch, the reader's own library
first, each copy with its shelf (location), call number and status; and "my library" —
the reader's home branch, or a visitor's choice kept in a cookie."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from shelfwise.catalogue.models import Branch, Item, Location
from shelfwise.circulation.models import ItemStatus
from shelfwise.web import i18n
from shelfwise.web.pages import Page, Web
from shelfwise.web.security import read_cookie

BRANCH_COOKIE = "sw_branch"  # a visitor's "my library" (a signed-in reader's is their home)


@dataclass(frozen=True, slots=True)
class ShelfCopy:
    barcode: str
    location: str  # 朝鲜文图书借阅区; "" when the copy has none
    call_number: str
    status: str  # on_shelf, on_loan, in_transit, ... (status.* messages)
    due_on: date | None


@dataclass(slots=True)
class BranchShelf:
    code: str
    name: str
    mine: bool
    rank: int  # the branch's place in the network's order
    copies: list[ShelfCopy] = field(default_factory=list)

    @property
    def on_shelf(self) -> int:
        return sum(1 for c in self.copies if c.status == "on_shelf")


def my_branch(web: Web, page: Page, branches: Iterable[Branch]) -> Branch | None:
    """The reader's own library: a signed-in reader's home branch, else the visitor's cookie."""
    by_code = {b.code: b for b in branches}
    if page.principal is not None and page.principal.kind == "reader":
        home = web.services.readers.get(str(page.principal.card_number)).home_branch_id
        found = next((b for b in by_code.values() if b.id == home), None)
        if found is not None:
            return found
    return by_code.get(read_cookie(page.request.scope, BRANCH_COOKIE) or "")


def cover_image(web: Web, record_id: int) -> str | None:
    """The record's own picture for its cover: the thumbnail of its first digital object
    open to everyone (a scanned cover, a photograph). Pictures only some may see are not
    used: a cover is shown to every visitor, and the media door would refuse the others."""
    for item in web.services.media.for_record(record_id):
        if item.access == "open" and "thumb" in item.files:
            return f"/media/{item.id}/thumb"
    return None


def shelves(
    items: Iterable[Item],
    statuses: Iterable[ItemStatus],
    branches: Iterable[Branch],
    locations: Mapping[int, Location],
    lang: i18n.PageLanguage,
    mine: Branch | None,
) -> list[BranchShelf]:
    """Copies grouped by branch: mine first, then branches with a copy on the shelf, then
    the rest, each in the network's order; withdrawn copies are not shown."""
    status_of = {s.item_id: s for s in statuses}
    by_id = {b.id: b for b in branches}
    order = {b.id: n for n, b in enumerate(by_id.values())}
    groups: dict[int, BranchShelf] = {}
    for item in items:
        if str(item.lifecycle) == "withdrawn":
            continue
        branch = by_id[item.home_branch_id]
        group = groups.setdefault(
            branch.id,
            BranchShelf(
                branch.code, i18n.branch_name(branch, lang), branch == mine, order[branch.id]
            ),
        )
        state = status_of.get(item.id)
        where = locations.get(item.location_id) if item.location_id is not None else None
        group.copies.append(
            ShelfCopy(
                barcode=item.barcode,
                location=_place_name(where.name, lang) if where else "",
                call_number=item.call_number,
                status=str(state.availability) if state else "unavailable",
                due_on=state.due_on if state else None,
            )
        )
    return sorted(groups.values(), key=lambda g: (not g.mine, g.on_shelf == 0, g.rank))


def _place_name(name: str, lang: i18n.PageLanguage) -> str:
    """A shelf's name is catalogued in Chinese; traditional pages convert it as a name."""
    return i18n.proper_name_traditional(name) if lang == "zh-Hant" else name
