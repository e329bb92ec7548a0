"""What the record page shows around a record from the recommend domain (issue 21, P11):
"readers who borrowed this also borrowed" (pairs of k or more consenting readers, none of
them named) and the coming events of the stories that show the record. Everyone sees it;
a signed-in reader does not see titles they have on loan or have borrowed."""

from __future__ import annotations

from typing import Any

from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.pages import Page, Web


def around_record(web: Web, page: Page, record_id: int) -> dict[str, Any]:
    principal = page.principal
    card = principal.card_number if principal is not None and principal.kind == "reader" else None
    services = web.services
    also = []
    for s in services.recommend.also_borrowed_for(record_id, card):
        try:
            also.append((s.record_id, services.catalogue.get_record(s.record_id).title))
        except ShelfwiseError:  # withdrawn since the training: not offered
            continue
    _, events = services.everyone.around(record_id)
    return {"also_borrowed": also, "related_events": events}
