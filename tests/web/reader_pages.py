"""A signed-in reader with something on every account page (loans, one renewed; a hold
waiting, one ready on the hold shelf; a fee), and the main reader pages to look at.
Shared by the untranslated-string scan and the browser tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient

from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.errors import ShelfwiseError
from shelfwise.services import Services


@dataclass
class ReaderPages:
    client: TestClient
    card: str
    paths: list[str]


def branch_code(services: Services, branch_id: int) -> str:
    return next(b.code for b in services.catalogue.list_branches() if b.id == branch_id)


def furnish(services: Services, cards: list[str]) -> str:
    """Give the demo's adult reader a ready hold, a waiting hold and a renewed loan."""
    me = cards[2]
    others = [services.circulation.loans_of(card) for card in (cards[0], cards[1])]
    ready_for, waiting_for = others[0][0], others[1][0]
    here = branch_code(services, ready_for.branch_id)
    with contextlib.suppress(ShelfwiseError):  # a second run on the module's library
        services.circulation.place_hold(me, ready_for.record_id, here, actor=SYSTEM)
        services.circulation.checkin(ready_for.barcode, here, actor=SYSTEM)
    with contextlib.suppress(ShelfwiseError):
        there = branch_code(services, waiting_for.branch_id)
        services.circulation.place_hold(me, waiting_for.record_id, there, actor=SYSTEM)
    with contextlib.suppress(ShelfwiseError):
        mine = services.circulation.loans_of(me)
        services.circulation.renew(me, mine[0].barcode, actor=SYSTEM)
    return me


def prepare_reader(
    services: Services,
    client: TestClient,
    cards: list[str],
    csrf: Callable[[TestClient, str], str],
) -> ReaderPages:
    me = furnish(services, cards)
    response = client.post(
        "/login",
        data={"card": me, "secret": "1234", "next": "/account", "csrf": csrf(client, "/login")},
    )
    assert response.status_code == 303, response.text[-400:]
    record = services.circulation.loans_of(me)[0].record_id
    paths = [
        "/",
        "/search?q=历史",
        "/search?q=역사",
        "/search?q=history",
        "/search?q=qqqzzzxxx",
        f"/record/{record}",
        "/record/99999999",
        "/branches",
        "/branches/CEN",
        "/branches/HPJ",
        "/login",
        "/register",
        "/register/confirm",
        "/pin-help",
        "/account",
        "/account/loans",
        "/account/holds",
        "/account/history",
        "/account/fees",
        "/account/card",
        "/account/privacy",
    ]
    return ReaderPages(client, me, paths)
