"""A signed-in reader with something on every account page (loans, one renewed; a hold
waiting, one ready on the hold shelf; a fee), and the main reader pages to look at.
Shared by the untranslated-string scan and the browser tests."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass

from fastapi.testclient import TestClient

from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.states import HoldStatus
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
    circ = services.circulation
    me = cards[2]
    theirs = [loan for card in (cards[0], cards[1], cards[4]) for loan in circ.loans_of(card)]
    for loan in theirs:  # a copy back from another reader, trapped for my hold
        if any(h.status == HoldStatus.READY for h in circ.holds_of(me)):
            break
        here = branch_code(services, loan.branch_id)
        with contextlib.suppress(ShelfwiseError):
            circ.place_hold(me, loan.record_id, here, actor=SYSTEM)
            circ.checkin(loan.barcode, here, actor=SYSTEM)
    for loan in reversed(theirs):
        if any(h.status == HoldStatus.WAITING for h in circ.holds_of(me)):
            break
        with contextlib.suppress(ShelfwiseError):
            circ.place_hold(me, loan.record_id, branch_code(services, loan.branch_id), actor=SYSTEM)
    for mine in circ.renewals_of(me):
        if mine.refusal is None:
            circ.renew(me, mine.loan.barcode, actor=SYSTEM)
            break
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
        "/branches/NGQ",  # with an event
        "/interlibrary-loan?q=呼兰河传",
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
        "/my-library",
        *[f"/account/holds/{h.id}/cancel" for h in services.circulation.holds_of(me)][:2],
    ]
    return ReaderPages(client, me, paths)
