"""D11 (docs/requirements.md): every API route × {anonymous, reader A, reader B, desk at CEN,
desk at BR1, cataloguer, admin, admin at BR1}, with a valid request aimed at reader A's objects
at CEN.

- A role that may call the route gets a **2xx**: every request is valid and its objects are
  fresh (a new copy to check out, a new hold to cancel), so nothing but authorization can
  refuse it. A role that may not gets **401 or 403**, never a lucky 404 or 422.
- Every route staff may call states its **branch scope** (``BRANCH``, ``NETWORK`` with the
  reason, or ``UNSCOPED``). The accounts bound to BR1 act at CEN on every such route and must
  be refused on a ``BRANCH`` route; the same request aimed at BR1 must then succeed, so the
  refusal is the scope and nothing else.
- The routes come from the application itself: a route without a decision, or a staff route
  without a scope, fails the test rather than slipping through.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from circ_helpers import LendingLibrary
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import text

from shelfwise.access.models import NETWORK_ONLY, ROLE_PERMISSIONS, Role
from shelfwise.acquisitions.models import LineDraft, Order
from shelfwise.app import asgi_app
from shelfwise.catalogue.models import Lifecycle
from shelfwise.circulation.rules import Hours
from shelfwise.circulation.scope import SYSTEM, reader_self
from shelfwise.events.models import NewEvent
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.spaces.models import BookingRule
from shelfwise.testing.access import staff_token
from shelfwise.wishes.models import WishDraft, WishKind

HOME, OTHER = "CEN", "BR1"
# The staff accounts of the matrix: role and the branches the account is bound to.
STAFF: dict[str, tuple[Role, tuple[str, ...]]] = {
    "desk_cen": ("desk", (HOME,)),
    "desk_br1": ("desk", (OTHER,)),
    "cataloguer": ("cataloguer", ()),
    "admin": ("admin", ()),
    "admin_br1": ("admin", (OTHER,)),
}
ROLES = ("anonymous", "reader_a", "reader_b", *STAFF)
_n = itertools.count(1)


@dataclass(frozen=True)
class Call:
    """One request: path parameters, JSON body, query, and headers when not the role's."""

    params: dict[str, str] = field(default_factory=dict)
    json: Any = None
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] | None = None


@dataclass
class World:
    app: FastAPI
    client: TestClient
    library: LendingLibrary
    headers: dict[str, dict[str, str]]
    card_a: str
    card_b: str
    record_id: int  # reader A's held title
    hold_id: int
    loan_record: int  # a title no one holds: its copies circulate without traps
    pool: list[int]  # titles with one copy each, for fresh holds
    seats: dict[str, list[int]] = field(default_factory=dict)  # free seats per branch

    @property
    def services(self) -> Any:
        return self.library.services

    def copy(self, branch: str) -> str:
        barcode = f"M{next(_n):07d}"
        self.services.catalogue.add_item(
            record_id=self.loan_record,
            barcode=barcode,
            branch_code=branch,
            lifecycle=Lifecycle.IN_SERVICE,
            price_cents=3000,
        )
        return barcode

    def reader(self, **kw: Any) -> str:
        return str(self.library.reader(f"读者{next(_n)}", **kw).card_number)

    def loan(self, branch: str, card: str | None = None) -> str:
        barcode = self.copy(branch)
        self.services.circulation.checkout(card or self.reader(), barcode, branch, actor=SYSTEM)
        return barcode

    def hold(self, branch: str) -> str:
        record = self.pool.pop()
        return str(
            self.services.circulation.place_hold(self.card_a, record, branch, actor=SYSTEM).id
        )

    def fee(self) -> str:
        return str(self.services.fees.charge(self.card_a, "manual", 100, "matrix").id)

    def fresh_headers(self, role: str) -> dict[str, str]:
        if role == "anonymous":
            return {}
        if role in ("reader_a", "reader_b"):
            card, pin = (self.card_a, "1111") if role == "reader_a" else (self.card_b, "2222")
            return self.session(card, pin)
        kind, branches = STAFF[role]
        return {"Authorization": f"Bearer {staff_token(self.services, kind, branches=branches)}"}

    def session(self, card: str, pin: str) -> dict[str, str]:
        made = self.client.post("/api/v1/sessions", json={"card_number": card, "secret": pin})
        assert made.status_code == 201, made.text
        return {"Authorization": f"Bearer {made.json()['token']}"}


Maker = Callable[[World, str, str], Call]  # (world, role, branch acted at) -> the request


@dataclass(frozen=True)
class Route:
    who: str  # public, signed_in, reader, self (the reader, or staff with the permission), staff
    permission: str | None = None
    scope: str | None = None  # BRANCH, NETWORK, UNSCOPED: for every route staff may call
    make: Maker = lambda w, role, at: Call()
    why: str = ""  # for NETWORK: why staff of any branch may


BRANCH, NETWORK, UNSCOPED = "branch", "network", "unscoped"
SERVES_ANY_READER = "a reader of the network is served at any desk"
PAYS_ANYWHERE = "a reader settles fees and deposits at any desk"


def public(make: Maker | None = None) -> Route:
    return Route("public", make=make or Route.make)


def staff(permission: str, scope: str, make: Maker | None = None, why: str = "") -> Route:
    return Route("staff", permission, scope, make or Route.make, why)


def self_or(permission: str, scope: str, make: Maker | None = None, why: str = "") -> Route:
    return Route("self", permission, scope, make or Route.make, why)


def card_a(w: World, role: str, at: str) -> Call:
    return Call({"card_number": w.card_a})


def fresh_card(w: World, role: str, at: str) -> Call:
    return Call({"card_number": w.reader()})


def _delete_reader(w: World, role: str, at: str) -> Call:
    """A reader with nothing open; reader A's role is played by that reader's own login."""
    card = w.reader(pin="4321")
    headers = w.session(card, "4321") if role == "reader_a" else None
    return Call({"card_number": card}, headers=headers)


def _confirm(w: World, role: str, at: str) -> Call:
    done = w.services.readers.register(
        name="确认", category="student", email=f"c{next(_n)}@example.org", self_registered=True
    )
    return Call(json={"card_number": done.reader.card_number, "token": done.verify_token})


def _revoke_token(w: World, role: str, at: str) -> Call:
    w.services.access.issue_api_token("matrix-target", "to revoke", days=1)
    return Call({"token_id": str(w.services.access.api_tokens()[-1].id)})


def _terminal(w: World, at: str) -> str:
    name = f"kiosk-{next(_n)}"
    w.services.terminals.create(name=name, password="kiosk-password", branch=at, institution="SW")
    return name


def _refund(w: World, role: str, at: str) -> Call:
    card = w.reader()
    return Call({"deposit_id": str(w.services.deposits.take(card, 500, "cash").id)})


def _delete_rule(w: World, role: str, at: str) -> Call:
    rule = w.services.loan_rules.set_rule(
        reader_category=None, item_type=f"t{next(_n)}", branch=at, values={}, actor=SYSTEM
    )
    return Call({"rule_id": str(rule.id)})


def _offline(w: World, role: str, at: str) -> Call:
    txn = {
        "id": str(uuid.uuid4()),
        "op": "checkout",
        "at": "2026-09-01T08:00:00Z",
        "barcode": w.copy(at),
        "branch": at,
        "card_number": w.reader(),
    }
    return Call(json=[txn])


# --- spaces and events (issue 19): fresh seats and events per request --------------------
TOMORROW_10 = "2026-09-02T10:00:00+08:00"
TOMORROW_1030 = "2026-09-02T10:30:00+08:00"


def _card(w: World, role: str) -> str:
    return w.card_a if role == "reader_a" else w.reader()


def _seat_booking(w: World, role: str, at: str, *, now: bool, walk_in: bool = False) -> Call:
    card, seat = _card(w, role), w.seats[at].pop()
    start = w.services.rooms.now_window()[0] if now else datetime.fromisoformat(TOMORROW_10)
    booking = w.services.spaces.book(
        card, seat, start, start + timedelta(minutes=30), actor=SYSTEM, walk_in=walk_in
    )
    return Call({"booking_id": str(booking.id)})


def _scan(w: World, role: str, at: str) -> Call:
    card, seat = _card(w, role), w.seats[at].pop()
    start = w.services.rooms.now_window()[0]
    w.services.spaces.book(card, seat, start, start + timedelta(minutes=30), actor=SYSTEM)
    return Call(json={"card_number": card, "code": w.services.spaces.unit_token(seat)})


def _event(w: World, at: str, *, soon: bool = False) -> int:
    now = w.services.clock.now()
    start = now + timedelta(minutes=30) if soon else now + timedelta(days=2)
    new = NewEvent(
        branch=at,
        kind="lecture",
        title=f"矩阵 {next(_n)}",
        starts_at=start,
        ends_at=start + timedelta(hours=1),
        capacity=50,
        registration_opens_at=now - timedelta(hours=1),
        registration_closes_at=start,
    )
    return int(w.services.events.create(new, actor=SYSTEM).id)


def _registered(w: World, role: str, at: str, *, soon: bool = False) -> tuple[int, str]:
    event_id, card = _event(w, at, soon=soon), _card(w, role)
    w.services.events.register(event_id, card, actor=SYSTEM)
    return event_id, card


def _attend(w: World, role: str, at: str) -> Call:
    event_id, card = _registered(w, role, at, soon=True)
    code = w.services.events.door_token(event_id)
    return Call({"event_id": str(event_id)}, json={"card_number": card, "code": code})


def _room_of(w: World, at: str) -> str:
    return str(next(r.id for r in w.services.rooms.rooms(at) if r.code == "MX"))


SPACE_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/spaces/rooms"): public(),
    ("POST", "/api/v1/spaces/rooms"): staff(
        "circulation.rules",
        BRANCH,
        lambda w, r, at: Call(
            json={"branch": at, "code": f"N{next(_n)}", "name": "新", "kind": "study", "grid": "R"}
        ),
    ),
    ("GET", "/api/v1/spaces/rooms/{room_id}/seats"): public(
        lambda w, r, at: Call({"room_id": _room_of(w, at)})
    ),
    ("POST", "/api/v1/spaces/rooms/{room_id}/visits"): staff(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(
            {"room_id": _room_of(w, at)}, json={"at": "2026-09-01T09:30:00Z", "entries": 3}
        ),
    ),
    ("POST", "/api/v1/spaces/bookings"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(
            json={
                "card_number": _card(w, r),
                "unit_id": w.seats[at].pop(),
                "starts_at": TOMORROW_10,
                "ends_at": TOMORROW_1030,
            }
        ),
    ),
    ("POST", "/api/v1/spaces/bookings/{booking_id}/leave"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: _seat_booking(w, r, at, now=True, walk_in=True),
    ),
    ("POST", "/api/v1/spaces/bookings/{booking_id}/release"): self_or(
        "circulation.desk", BRANCH, lambda w, r, at: _seat_booking(w, r, at, now=False)
    ),
    ("POST", "/api/v1/spaces/scan"): self_or("circulation.desk", BRANCH, _scan),
    ("GET", "/api/v1/readers/{card_number}/space-bookings"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("GET", "/api/v1/events"): public(),
    ("POST", "/api/v1/events"): staff(
        "circulation.rules",
        BRANCH,
        lambda w, r, at: Call(
            json={
                "branch": at,
                "kind": "club",
                "title": "读书会",
                "starts_at": "2026-09-05T14:00:00+08:00",
                "ends_at": "2026-09-05T16:00:00+08:00",
                "capacity": 20,
                "registration_opens_at": "2026-09-01T00:00:00Z",
                "registration_closes_at": "2026-09-05T00:00:00Z",
            }
        ),
    ),
    ("GET", "/api/v1/events/{event_id}"): public(
        lambda w, r, at: Call({"event_id": str(_event(w, at))})
    ),
    ("POST", "/api/v1/events/{event_id}/registrations"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call({"event_id": str(_event(w, at))}, json={"card_number": _card(w, r)}),
    ),
    ("DELETE", "/api/v1/events/{event_id}/registrations/{card_number}"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(
            dict(zip(("event_id", "card_number"), map(str, _registered(w, r, at)), strict=True))
        ),
    ),
    ("POST", "/api/v1/events/{event_id}/attendance"): self_or("circulation.desk", BRANCH, _attend),
    ("GET", "/api/v1/events/{event_id}/attendance"): staff(
        "circulation.desk", BRANCH, lambda w, r, at: Call({"event_id": str(_event(w, at))})
    ),
}


# --- the wish wall and acquisitions (issue 18): fresh wishes and orders per request -------
def _wish_at(w: World, at: str) -> int:
    card = w.reader()
    draft = WishDraft(WishKind.BOOK, f"矩阵愿望 {next(_n)}", "匿名", branch=at)
    return int(w.services.wishes.post(draft, actor=reader_self(card)).id)


def _wish_call(w: World, role: str, at: str) -> Call:
    return Call({"wish_id": str(_wish_at(w, at))})


def _acq(w: World) -> None:
    acq = w.services.acquisitions
    if "MX" not in {v.code for v in acq.vendors()}:
        acq.save_vendor("MX", "矩阵书商", actor=SYSTEM)
        year = w.services.clock.today().year
        for code in (HOME, OTHER):
            acq.save_fund(f"MF-{code}", year, code, code, 10**9, actor=SYSTEM)


def _order_at(w: World, at: str) -> Order:
    _acq(w)
    line = LineDraft(f"MF-{at}", at, 100, record_id=w.record_id)
    order: Order = w.services.acquisitions.order("MX", [line], actor=SYSTEM, by="matrix")
    return order


def _order_json(w: World, role: str, at: str) -> Call:
    _acq(w)
    line = {"fund": f"MF-{at}", "branch": at, "price_cents": 100, "record_id": w.record_id}
    return Call(json={"vendor": "MX", "lines": [line]})


def _received(w: World, role: str, at: str) -> Call:
    barcode = _order_at(w, at).lines[0].barcodes[0]
    w.services.acquisitions.receive(barcode, at, actor=SYSTEM)
    return Call({"barcode": barcode})


BUYS_FOR_ALL = "the funds overview and an order are read by any buyer of the network"
WISH_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/wishes"): public(),
    ("GET", "/api/v1/wishes/stats"): public(),
    ("POST", "/api/v1/wishes"): Route(
        "reader",
        make=lambda w, r, at: Call(
            json={"kind": "event", "title": f"愿望 {next(_n)}", "display_name": "匿", "branch": at}
        ),
    ),
    ("GET", "/api/v1/wishes/{wish_id}"): public(_wish_call),
    ("GET", "/api/v1/wishes/{wish_id}/history"): public(_wish_call),
    ("POST", "/api/v1/wishes/{wish_id}/supports"): Route(
        "reader", make=lambda w, r, at: Call(_wish_call(w, r, at).params, json={})
    ),
    ("POST", "/api/v1/wishes/{wish_id}/reports"): Route(
        "reader",
        make=lambda w, r, at: Call(_wish_call(w, r, at).params, json={"reason": "矩阵"}),
    ),
    ("GET", "/api/v1/wishes/queue"): staff(
        "circulation.desk", BRANCH, lambda w, r, at: Call(query={"branch": at})
    ),
    ("POST", "/api/v1/wishes/{wish_id}/status"): staff(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(_wish_call(w, r, at).params, json={"status": "in_review"}),
    ),
    ("POST", "/api/v1/wishes/{wish_id}/answer"): staff(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(_wish_call(w, r, at).params, json={"text": "好"}),
    ),
    ("POST", "/api/v1/wishes/{wish_id}/approve"): staff("circulation.desk", BRANCH, _wish_call),
    ("POST", "/api/v1/wishes/{wish_id}/hide"): staff(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(_wish_call(w, r, at).params, json={"text": "矩阵"}),
    ),
    ("POST", "/api/v1/wishes/{wish_id}/merge"): staff(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(_wish_call(w, r, at).params, json={"into": _wish_at(w, at)}),
    ),
    ("GET", "/api/v1/acquisitions/funds"): staff("catalogue.write", NETWORK, why=BUYS_FOR_ALL),
    ("PUT", "/api/v1/acquisitions/funds/{code}"): staff(
        "catalogue.write",
        BRANCH,
        lambda w, r, at: Call(
            {"code": f"F{next(_n)}"},
            json={"year": 2026, "branch": at, "name": "矩阵", "allocated_cents": 100},
        ),
    ),
    ("PUT", "/api/v1/acquisitions/vendors/{code}"): staff(
        "catalogue.write",
        UNSCOPED,
        lambda w, r, at: Call({"code": f"V{next(_n)}"}, json={"name": "矩阵"}),
    ),
    ("POST", "/api/v1/acquisitions/orders"): staff("catalogue.write", BRANCH, _order_json),
    ("GET", "/api/v1/acquisitions/orders/{order_id}"): staff(
        "catalogue.write",
        NETWORK,
        lambda w, r, at: Call({"order_id": str(_order_at(w, at).id)}),
        BUYS_FOR_ALL,
    ),
    ("POST", "/api/v1/acquisitions/orders/{order_id}/invoice"): staff(
        "catalogue.write",
        BRANCH,
        lambda w, r, at: Call(
            {"order_id": str(_order_at(w, at).id)}, json={"number": "I", "total_cents": 0}
        ),
    ),
    ("POST", "/api/v1/acquisitions/receipts"): staff(
        "catalogue.write",
        BRANCH,
        lambda w, r, at: Call(
            json={"scanned": _order_at(w, at).lines[0].barcodes[0], "branch": at}
        ),
    ),
    ("POST", "/api/v1/acquisitions/items/{barcode}/in-service"): staff(
        "catalogue.write", BRANCH, _received
    ),
}


# --- stories and digital objects (issue 17): fresh stories per request -------------------
STORIES = "stories and digital objects are the network's collection, curated for every branch"
_STORY = {"title": {"zh": "矩阵故事"}, "sections": [{"kind": "text", "text": {"zh": "正文"}}]}
_pictures: dict[int, int] = {}


def _story(w: World, *, published: bool = False) -> Any:
    from shelfwise.stories import documents

    made = w.services.stories.create(f"m-{next(_n)}", documents.from_data(_STORY), "matrix")
    return w.services.stories.act(made.id, "publish", "matrix") if published else made


def _open_picture(w: World, role: str, at: str) -> Call:
    """One open picture per library (drawing and deriving it per request would be slow)."""
    key = id(w.services)
    if key not in _pictures:
        from shelfwise.testing.media_files import picture

        path = picture(w.library.tmp / "matrix.png", (64, 48), colour="#336699")
        rights = "http://rightsstatements.org/vocab/InC/1.0/"
        _pictures[key] = w.services.media.ingest_file(path, rights=rights, actor="m").object.id
    return Call({"object_id": str(_pictures[key])})


STORY_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/stories"): public(),
    ("GET", "/api/v1/stories/{slug}"): public(
        lambda w, r, at: Call({"slug": _story(w, published=True).slug})
    ),
    ("GET", "/api/v1/media/{object_id}"): public(_open_picture),
    ("POST", "/api/v1/stories"): staff(
        "catalogue.write",
        NETWORK,
        lambda w, r, at: Call(json={"slug": f"n-{next(_n)}", "document": _STORY}),
        STORIES,
    ),
    ("PUT", "/api/v1/stories/{story_id}"): staff(
        "catalogue.write",
        NETWORK,
        lambda w, r, at: Call({"story_id": str(_story(w).id)}, json={"document": _STORY}),
        STORIES,
    ),
    ("POST", "/api/v1/stories/{story_id}/workflow"): staff(
        "catalogue.write",
        NETWORK,
        lambda w, r, at: Call({"story_id": str(_story(w).id)}, json={"action": "submit"}),
        STORIES,
    ),
    ("GET", "/api/v1/stories/{story_id}/revisions"): staff(
        "catalogue.write",
        NETWORK,
        lambda w, r, at: Call({"story_id": str(_story(w).id)}),
        STORIES,
    ),
}


# --- statistics (issue 21): an administrator bound to branches sees those branches ----------
ANALYTICS_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/analytics/{act}"): staff(
        "analytics.read",
        BRANCH,
        lambda w, r, at: Call({"act": "loans"}, query={"by": "day,branch", "branch": at}),
    ),
    ("GET", "/api/v1/analytics/dashboards/{chart}"): staff(
        "analytics.read",
        BRANCH,
        lambda w, r, at: Call({"chart": "visits_by_hour"}, query={"branch": at}),
    ),
}


# --- recommendations (issue 21, P11): the reader's own; co-borrowing names no one -----------
RECOMMEND_ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/records/{record_id}/also-borrowed"): public(
        lambda w, r, at: Call({"record_id": str(w.record_id)})
    ),
    ("GET", "/api/v1/recommendations"): Route("reader"),
}


ROUTES: dict[tuple[str, str], Route] = {
    ("GET", "/api/v1/health"): public(),
    ("POST", "/api/v1/sessions"): public(
        lambda w, r, at: Call(json={"card_number": w.card_a, "secret": "1111"})
    ),
    ("GET", "/api/v1/sessions/current"): Route("signed_in"),
    ("DELETE", "/api/v1/sessions/current"): Route(
        "signed_in", make=lambda w, role, at: Call(headers=w.fresh_headers(role))
    ),
    ("GET", "/api/v1/staff"): staff("access.admin", UNSCOPED),
    ("POST", "/api/v1/staff"): staff(
        "access.admin",
        UNSCOPED,
        lambda w, r, at: Call(
            json={
                "username": f"new-{next(_n)}",
                "name": "新馆员",
                "password": "a-long-password",
                "role": "desk",
                "branches": [at],
            }
        ),
    ),
    ("PATCH", "/api/v1/staff/{username}"): staff(
        "access.admin",
        UNSCOPED,
        lambda w, r, at: Call({"username": "matrix-target"}, json={"enabled": True}),
    ),
    ("GET", "/api/v1/api-tokens"): staff("access.admin", UNSCOPED),
    ("POST", "/api/v1/api-tokens"): staff(
        "access.admin",
        UNSCOPED,
        lambda w, r, at: Call(json={"username": "matrix-target", "label": "matrix"}),
    ),
    ("DELETE", "/api/v1/api-tokens/{token_id}"): staff("access.admin", UNSCOPED, _revoke_token),
    ("GET", "/api/v1/audit"): staff("access.admin", UNSCOPED),
    ("GET", "/api/v1/sip2-terminals"): staff("access.admin", UNSCOPED),
    ("PATCH", "/api/v1/sip2-terminals/{name}"): staff(
        "access.admin",
        UNSCOPED,
        lambda w, r, at: Call({"name": _terminal(w, at)}, json={"enabled": False}),
    ),
    ("GET", "/api/v1/records/{record_id}"): public(
        lambda w, r, at: Call({"record_id": str(w.record_id)})
    ),
    ("GET", "/api/v1/records/{record_id}/marc"): public(
        lambda w, r, at: Call({"record_id": str(w.record_id)})
    ),
    ("GET", "/api/v1/records/{record_id}/items"): public(
        lambda w, r, at: Call({"record_id": str(w.record_id)})
    ),
    ("GET", "/api/v1/items/{barcode}"): public(lambda w, r, at: Call({"barcode": w.copy(at)})),
    ("GET", "/api/v1/branches"): public(),
    ("POST", "/api/v1/readers"): staff(
        "readers.write",
        NETWORK,
        lambda w, r, at: Call(json={"name": "新读者", "category": "adult", "home_branch": at}),
        SERVES_ANY_READER,
    ),
    ("GET", "/api/v1/readers/{card_number}"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("PUT", "/api/v1/readers/{card_number}"): staff(
        "readers.write",
        NETWORK,
        lambda w, r, at: Call(
            {"card_number": w.reader()}, json={"name": "改名", "category": "adult"}
        ),
        SERVES_ANY_READER,
    ),
    ("POST", "/api/v1/readers/{card_number}/block"): staff(
        "readers.write",
        NETWORK,
        lambda w, r, at: Call({"card_number": w.reader()}, json={"reason": "矩阵"}),
        SERVES_ANY_READER,
    ),
    ("DELETE", "/api/v1/readers/{card_number}/block"): staff(
        "readers.write",
        NETWORK,
        lambda w, r, at: Call(
            {"card_number": w.services.readers.block(w.reader(), "矩阵").card_number}
        ),
        SERVES_ANY_READER,
    ),
    ("PUT", "/api/v1/readers/{card_number}/consents/{purpose}"): self_or(
        "readers.write",
        NETWORK,
        lambda w, r, at: Call(
            {"card_number": w.card_a, "purpose": "reading_history"}, json={"granted": False}
        ),
        SERVES_ANY_READER,
    ),
    ("GET", "/api/v1/readers/{card_number}/home-branch"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("PUT", "/api/v1/readers/{card_number}/home-branch"): self_or(
        "readers.write",
        NETWORK,
        lambda w, r, at: Call({"card_number": w.card_a}, json={"branch": HOME}),
        SERVES_ANY_READER,
    ),
    ("GET", "/api/v1/readers/{card_number}/consents"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("GET", "/api/v1/readers/{card_number}/export"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("DELETE", "/api/v1/readers/{card_number}"): self_or(
        "readers.write", NETWORK, _delete_reader, SERVES_ANY_READER
    ),
    ("POST", "/api/v1/registrations"): public(
        lambda w, r, at: Call(
            json={
                "name": "自助",
                "email": f"r{next(_n)}@example.org",
                "category": "student",
                "pin": "2468",
            }
        )
    ),
    ("POST", "/api/v1/registrations/confirm"): public(_confirm),
    ("GET", "/api/v1/readers/{card_number}/card.svg"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("POST", "/api/v1/checkout"): staff(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(
            json={"card_number": w.reader(), "barcode": w.copy(at), "branch": at}
        ),
    ),
    ("POST", "/api/v1/checkin"): staff(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(json={"barcode": w.loan(at), "branch": at}),
    ),
    ("POST", "/api/v1/renew"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(json={"card_number": w.card_a, "barcode": w.loan(at, w.card_a)}),
    ),
    ("POST", "/api/v1/readers/{card_number}/renew-all"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call({"card_number": w.card_a}, query={"branch": at}),
    ),
    ("GET", "/api/v1/readers/{card_number}/renewals"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("GET", "/api/v1/readers/{card_number}/standing"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("POST", "/api/v1/items/{barcode}/lost"): staff(
        "circulation.desk", BRANCH, lambda w, r, at: Call({"barcode": w.loan(at)})
    ),
    ("GET", "/api/v1/items/{barcode}/status"): public(
        lambda w, r, at: Call({"barcode": w.copy(at)})
    ),
    ("GET", "/api/v1/records/{record_id}/availability"): public(
        lambda w, r, at: Call({"record_id": str(w.record_id)})
    ),
    ("GET", "/api/v1/readers/{card_number}/loans"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("GET", "/api/v1/readers/{card_number}/holds"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("GET", "/api/v1/readers/{card_number}/fees"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("POST", "/api/v1/holds"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call(
            json={"card_number": w.card_a, "record_id": w.pool.pop(), "pickup_branch": at}
        ),
    ),
    ("GET", "/api/v1/holds/{hold_id}"): self_or(
        "circulation.desk",
        NETWORK,
        lambda w, r, at: Call({"hold_id": str(w.hold_id)}),
        SERVES_ANY_READER,
    ),
    ("DELETE", "/api/v1/holds/{hold_id}"): self_or(
        "circulation.desk", BRANCH, lambda w, r, at: Call({"hold_id": w.hold(at)})
    ),
    ("PUT", "/api/v1/holds/{hold_id}/pickup"): self_or(
        "circulation.desk",
        BRANCH,
        lambda w, r, at: Call({"hold_id": w.hold(at)}, json={"pickup_branch": at}),
    ),
    ("GET", "/api/v1/branches/{code}/pull-list"): staff(
        "circulation.desk", BRANCH, lambda w, r, at: Call({"code": at})
    ),
    ("GET", "/api/v1/branches/{code}/hold-shelf"): staff(
        "circulation.desk", BRANCH, lambda w, r, at: Call({"code": at})
    ),
    ("POST", "/api/v1/fees"): staff(
        "circulation.fees",
        NETWORK,
        lambda w, r, at: Call(
            json={"card_number": w.card_a, "kind": "manual", "amount_cents": 100}
        ),
        PAYS_ANYWHERE,
    ),
    ("POST", "/api/v1/fees/{fee_id}/payments"): staff(
        "circulation.fees",
        NETWORK,
        lambda w, r, at: Call({"fee_id": w.fee()}, json={"amount_cents": 50}),
        PAYS_ANYWHERE,
    ),
    ("POST", "/api/v1/fees/{fee_id}/waiver"): staff(
        "circulation.fees",
        NETWORK,
        lambda w, r, at: Call({"fee_id": w.fee()}, json={"note": "矩阵"}),
        PAYS_ANYWHERE,
    ),
    ("GET", "/api/v1/rules"): public(),
    ("PUT", "/api/v1/rules"): staff(
        "circulation.rules",
        BRANCH,
        lambda w, r, at: Call(json={"branch": at, "values": {"loan_days": 21}}),
    ),
    ("DELETE", "/api/v1/rules/{rule_id}"): staff("circulation.rules", BRANCH, _delete_rule),
    ("GET", "/api/v1/rules/explain"): public(
        lambda w, r, at: Call(query={"category": "adult", "item_type": "book", "branch": at})
    ),
    ("GET", "/api/v1/branches/{code}/calendar"): public(lambda w, r, at: Call({"code": at})),
    ("PUT", "/api/v1/branches/{code}/calendar"): staff(
        "circulation.rules",
        BRANCH,
        lambda w, r, at: Call({"code": at}, json={"closed_weekdays": [], "closed_days": []}),
    ),
    ("POST", "/api/v1/offline-uploads"): staff("circulation.desk", BRANCH, _offline),
    ("POST", "/api/v1/readers/{card_number}/deposits"): staff(
        "circulation.fees",
        NETWORK,
        lambda w, r, at: Call(
            {"card_number": w.card_a}, json={"amount_cents": 100, "method": "cash"}
        ),
        PAYS_ANYWHERE,
    ),
    ("GET", "/api/v1/readers/{card_number}/deposits"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("GET", "/api/v1/readers/{card_number}/deposit-standing"): self_or(
        "readers.read", NETWORK, card_a, SERVES_ANY_READER
    ),
    ("POST", "/api/v1/deposits/{deposit_id}/refund"): staff(
        "circulation.fees", NETWORK, _refund, PAYS_ANYWHERE
    ),
    ("GET", "/api/v1/search"): public(lambda w, r, at: Call(query={"q": "权限"})),
    ("GET", "/api/v1/suggest"): public(lambda w, r, at: Call(query={"q": "权"})),
    **SPACE_ROUTES,
    **WISH_ROUTES,
    **STORY_ROUTES,
    **ANALYTICS_ROUTES,
    **RECOMMEND_ROUTES,
}


def allowed(route: Route, role: str, at: str) -> bool:
    """What the matrix expects of ``role`` calling ``route`` on objects at branch ``at``."""
    if route.who == "public":
        return True
    if route.who == "signed_in":
        return role != "anonymous"
    if route.who == "reader":  # readers for themselves; staff post and support nothing
        return role in ("reader_a", "reader_b")
    if route.who == "self" and role == "reader_a":
        return True
    if role not in STAFF:
        return False
    kind, branches = STAFF[role]
    assert route.permission is not None
    if route.permission not in ROLE_PERMISSIONS[kind]:
        return False
    if not branches or route.scope == NETWORK:
        return True
    if route.scope == UNSCOPED or route.permission in NETWORK_ONLY:
        return False
    return at in branches


@pytest.fixture
def world(library: LendingLibrary) -> Iterator[World]:
    services = library.services
    services.loan_rules.set_rule(
        reader_category=None,
        item_type=None,
        branch=None,
        values={"loan_limit": 1000, "hold_limit": 1000},
        actor=SYSTEM,
    )
    record_id, (barcode, _other) = library.title("权限矩阵", copies=2)
    loan_record, _ = library.title("借还", copies=0)
    pool = _titles(library, 60)
    a = library.reader("甲", pin="1111")
    b = library.reader("乙", pin="2222")
    # A's held title is on loan to B (a reader cannot hold a title she has on loan); A has
    # a loan of another title.
    services.circulation.checkout(b.card_number, barcode, HOME, actor=SYSTEM)
    _, (own,) = library.title("甲的书")
    services.circulation.checkout(a.card_number, own, HOME, actor=SYSTEM)
    hold = services.circulation.place_hold(a.card_number, record_id, HOME, actor=SYSTEM)
    services.access.create_staff("matrix-target", "Target", "a-long-password", "desk")
    seats = _spaces(services)
    app = asgi_app(services)
    with TestClient(app) as client:
        w = World(
            app, client, library, {}, a.card_number, b.card_number, record_id, hold.id,
            loan_record, pool,
        )  # fmt: skip
        w.headers = {role: w.fresh_headers(role) for role in ROLES}
        w.seats = seats
        yield w


def _spaces(services: Any) -> dict[str, list[int]]:
    """Open hours at both branches, generous booking rules, a 60-seat room each."""
    for code in (HOME, OTHER):
        services.calendars.set_hours(
            code,
            weekly_hours={d: [Hours(8 * 60, 22 * 60)] for d in range(7)},
            special_hours={},
            actor=SYSTEM,
        )
    services.rooms.set_rule(BookingRule("*", 1440, 7, 20), actor=SYSTEM)
    seats = {}
    for code in (HOME, OTHER):
        room = services.rooms.create_room(
            code, code="MX", name="矩阵", kind="reading", grid="SSSSSSSSSS\n" * 6, actor=SYSTEM
        )
        seats[code] = [u.id for u in services.rooms.room(room.id)[1]]
    return seats


def _titles(library: LendingLibrary, count: int) -> list[int]:
    """``count`` titles with one copy at CEN each, imported in one file."""
    tag = next(_n)
    records = [
        Record(
            "00000nam a2200000 a 4500",
            [Field("001", data=f"pool-{tag}-{k}"), Field("245", "10", [("a", f"预约 {tag} {k}")])],
        )
        for k in range(count)
    ]
    path = library.tmp / f"pool-{tag}.mrc"
    path.write_bytes(b"".join(encode(r) for r in records))
    library.services.importer().import_file(path)
    with library.services.db.read() as conn:
        ids = [
            int(i)
            for i in conn.execute(
                text("SELECT id FROM records ORDER BY id DESC LIMIT :n"), {"n": count}
            ).scalars()
        ]
    for record_id in ids:
        library.services.catalogue.add_item(
            record_id=record_id,
            barcode=f"P{next(_n):07d}",
            branch_code=HOME,
            lifecycle=Lifecycle.IN_SERVICE,
        )
    return ids


def _send(w: World, method: str, path: str, role: str, call: Call) -> Any:
    url = re.sub(r"\{(\w+)\}", lambda m: call.params[m.group(1)], path)
    headers = w.headers[role] if call.headers is None else call.headers
    return w.client.request(method, url, headers=headers, json=call.json, params=call.query)


def _routes(app: FastAPI) -> set[tuple[str, str]]:
    paths = app.openapi()["paths"]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1")
        for method in operations
    }


def test_every_api_route_has_a_decision_and_every_staff_route_a_branch_scope(
    world: World,
) -> None:
    routes = _routes(world.app)
    assert routes - set(ROUTES) == set(), "routes without an authorization decision"
    assert set(ROUTES) - routes == set(), "decisions for routes that no longer exist"
    unscoped = [
        f"{m} {p}"
        for (m, p), r in ROUTES.items()
        if r.who in ("staff", "self") and r.scope not in (BRANCH, NETWORK, UNSCOPED)
    ]
    assert unscoped == [], "staff routes that do not state their branch scope"
    unexplained = [f"{m} {p}" for (m, p), r in ROUTES.items() if r.scope == NETWORK and not r.why]
    assert unexplained == [], "network-wide staff routes without the reason"


def test_every_role_gets_a_2xx_where_it_may_and_401_or_403_where_it_may_not(
    world: World,
) -> None:
    wrong: list[str] = []
    # The session's own end last: every other role's session must live through the run.
    order = sorted(ROUTES, key=lambda k: k == ("DELETE", "/api/v1/sessions/current"))
    for method, path in order:
        route = ROUTES[(method, path)]
        for role in ROLES:
            expected = allowed(route, role, HOME)
            response = _send(world, method, path, role, route.make(world, role, HOME))
            if expected and not 200 <= response.status_code < 300:
                wrong.append(f"{role} {method} {path} -> {response.status_code} {response.text}")
            if not expected and response.status_code not in (401, 403):
                wrong.append(f"{role} {method} {path} -> {response.status_code}, not a refusal")
    assert wrong == []


def test_accounts_bound_to_br1_are_refused_at_cen_and_served_at_br1(world: World) -> None:
    """D11's branch column: per route, a BR1 account acting at CEN, then at BR1."""
    wrong: list[str] = []
    checked = 0
    for (method, path), route in ROUTES.items():
        if route.scope is None:
            continue
        for role in ("desk_br1", "admin_br1"):
            kind, _ = STAFF[role]
            assert route.permission is not None
            if route.permission not in ROLE_PERMISSIONS[kind]:
                continue
            at_home = _send(world, method, path, role, route.make(world, role, HOME))
            at_own = _send(world, method, path, role, route.make(world, role, OTHER))
            checked += 1
            home_ok, own_ok = allowed(route, role, HOME), allowed(route, role, OTHER)
            if home_ok != (200 <= at_home.status_code < 300) or (
                not home_ok and at_home.status_code != 403
            ):
                wrong.append(f"{role} at {HOME}: {method} {path} -> {at_home.status_code}")
            if own_ok != (200 <= at_own.status_code < 300):
                wrong.append(f"{role} at {OTHER}: {method} {path} -> {at_own.status_code}")
            if route.scope == BRANCH and not home_ok and at_home.status_code == 403:
                code = at_home.json()["error"]["code"]
                if code != "access.branch_forbidden":
                    wrong.append(f"{role} {method} {path}: refused with {code}")
    assert wrong == []
    assert checked >= 30


def test_readers_cannot_reach_each_other_and_a_branch_desk_stays_in_its_branch(
    world: World,
) -> None:
    c, h = world.client, world.headers
    card = world.card_a
    assert c.delete(f"/api/v1/readers/{card}", headers=h["reader_b"]).status_code == 403
    checkout = {"card_number": card, "barcode": world.copy(HOME), "branch": HOME}
    refused = c.post("/api/v1/checkout", json=checkout, headers=h["desk_br1"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "access.branch_forbidden"
    assert c.post("/api/v1/checkout", json=checkout, headers=h["desk_cen"]).status_code == 201
    mine = c.get(f"/api/v1/holds/{world.hold_id}", headers=h["reader_b"])
    assert mine.status_code == 403
    assert mine.json()["error"]["code"] == "access.not_yours"
    assert c.delete("/api/v1/sessions/current", headers=h["reader_b"]).status_code == 204
    assert c.get("/api/v1/sessions/current", headers=h["reader_b"]).status_code == 401


def test_what_a_refused_branch_account_leaves_untouched(world: World) -> None:
    """The refusals of issue 12 item 3 change nothing: no loan, no lost fee, no upload applied,
    no hold moved or placed; and a rule for every branch needs an account bound to none."""
    c, h, services = world.client, world.headers["desk_br1"], world.services
    lost = world.loan(HOME)
    assert c.post(f"/api/v1/items/{lost}/lost", headers=h).status_code == 403
    assert str(services.circulation.item_status(lost).availability) == "on_loan"
    upload = _offline(world, "desk_br1", HOME).json
    mixed = [*upload, *_offline(world, "desk_br1", OTHER).json]
    assert c.post("/api/v1/offline-uploads", json=mixed, headers=h).status_code == 403
    assert all(
        str(services.circulation.item_status(t["barcode"]).availability) == "on_shelf"
        for t in mixed
    )
    hold = world.hold(HOME)
    moved = c.put(f"/api/v1/holds/{hold}/pickup", json={"pickup_branch": OTHER}, headers=h)
    assert moved.status_code == 403
    assert services.circulation.get_hold(int(hold), actor=SYSTEM).pickup_branch_id == next(
        b.id for b in services.catalogue.list_branches() if b.code == HOME
    )
    placed = c.post(
        "/api/v1/holds",
        json={"card_number": world.card_b, "record_id": world.pool[-1], "pickup_branch": HOME},
        headers=h,
    )
    assert placed.status_code == 403
    assert services.circulation.holds_of(world.card_b) == []
    everywhere = {"values": {"loan_days": 7}}
    refused = c.put("/api/v1/rules", json=everywhere, headers=world.headers["admin_br1"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "access.network_forbidden"
    assert (
        c.put("/api/v1/rules", json=everywhere, headers=world.headers["admin"]).status_code == 200
    )
