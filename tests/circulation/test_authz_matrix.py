"""D11 (docs/requirements.md): every API route × {anonymous, reader A, reader B, desk at CEN,
desk at BR1, cataloguer, admin}, with reader A's objects as the targets; no 2xx for a role
that may not.

The routes come from the application itself, so a new route without a decision
here fails the test rather than slipping through. The expectation of each route is
stated once below, in words a reviewer can check against docs/api.md.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from circ_helpers import Library
from fastapi import FastAPI
from fastapi.testclient import TestClient

from shelfwise.app import asgi_app
from shelfwise.testing.access import staff_token

# Who may call each route (method, path template). "public": anyone. "self": the reader whose
# card (or hold) it is, and staff with the permission. Otherwise the staff roles allowed.
# Desk staff of any branch serve any reader of the network; what they do to items is
# scoped: a checkout or check-in names a branch, which must be one of theirs.
DESK = {"desk_cen", "admin"}
ADMIN = {"admin"}
EXPECTED: dict[tuple[str, str], str | set[str]] = {
    ("GET", "/api/v1/health"): "public",
    ("POST", "/api/v1/sessions"): "public",
    ("GET", "/api/v1/sessions/current"): "signed_in",
    ("DELETE", "/api/v1/sessions/current"): "signed_in",
    ("GET", "/api/v1/staff"): ADMIN,
    ("POST", "/api/v1/staff"): ADMIN,
    ("PATCH", "/api/v1/staff/{username}"): ADMIN,
    ("GET", "/api/v1/api-tokens"): ADMIN,
    ("POST", "/api/v1/api-tokens"): ADMIN,
    ("DELETE", "/api/v1/api-tokens/{token_id}"): ADMIN,
    ("GET", "/api/v1/audit"): ADMIN,
    ("GET", "/api/v1/records/{record_id}"): "public",
    ("GET", "/api/v1/records/{record_id}/marc"): "public",
    ("GET", "/api/v1/records/{record_id}/items"): "public",
    ("GET", "/api/v1/items/{barcode}"): "public",
    ("GET", "/api/v1/branches"): "public",
    ("POST", "/api/v1/readers"): DESK | {"desk_br1"},
    ("GET", "/api/v1/readers/{card_number}"): "self",
    ("PUT", "/api/v1/readers/{card_number}"): DESK | {"desk_br1"},
    ("POST", "/api/v1/readers/{card_number}/block"): DESK | {"desk_br1"},
    ("DELETE", "/api/v1/readers/{card_number}/block"): DESK | {"desk_br1"},
    ("PUT", "/api/v1/readers/{card_number}/consents/{purpose}"): "self",
    ("GET", "/api/v1/readers/{card_number}/consents"): "self",
    ("GET", "/api/v1/readers/{card_number}/export"): "self",
    ("DELETE", "/api/v1/readers/{card_number}"): "self",
    ("POST", "/api/v1/registrations"): "public",
    ("POST", "/api/v1/registrations/confirm"): "public",
    ("GET", "/api/v1/readers/{card_number}/card.svg"): "self",
    ("POST", "/api/v1/checkout"): DESK,
    ("POST", "/api/v1/checkin"): DESK,
    ("POST", "/api/v1/renew"): "self",
    ("POST", "/api/v1/items/{barcode}/lost"): DESK | {"desk_br1"},
    ("GET", "/api/v1/items/{barcode}/status"): "public",
    ("GET", "/api/v1/records/{record_id}/availability"): "public",
    ("GET", "/api/v1/readers/{card_number}/loans"): "self",
    ("GET", "/api/v1/readers/{card_number}/holds"): "self",
    ("GET", "/api/v1/readers/{card_number}/fees"): "self",
    ("POST", "/api/v1/holds"): "self",
    ("GET", "/api/v1/holds/{hold_id}"): "self",
    ("DELETE", "/api/v1/holds/{hold_id}"): "self",
    ("PUT", "/api/v1/holds/{hold_id}/pickup"): "self",
    ("GET", "/api/v1/branches/{code}/pull-list"): DESK | {"desk_br1"},
    ("GET", "/api/v1/branches/{code}/hold-shelf"): DESK | {"desk_br1"},
    ("POST", "/api/v1/fees"): DESK | {"desk_br1"},
    ("POST", "/api/v1/fees/{fee_id}/payments"): DESK | {"desk_br1"},
    ("POST", "/api/v1/fees/{fee_id}/waiver"): DESK | {"desk_br1"},
    ("GET", "/api/v1/rules"): "public",
    ("PUT", "/api/v1/rules"): ADMIN,
    ("DELETE", "/api/v1/rules/{rule_id}"): ADMIN,
    ("GET", "/api/v1/rules/explain"): "public",
    ("GET", "/api/v1/branches/{code}/calendar"): "public",
    ("PUT", "/api/v1/branches/{code}/calendar"): ADMIN,
    ("POST", "/api/v1/offline-uploads"): DESK | {"desk_br1"},
    ("POST", "/api/v1/readers/{card_number}/deposits"): DESK | {"desk_br1"},
    ("GET", "/api/v1/readers/{card_number}/deposits"): "self",
    ("GET", "/api/v1/readers/{card_number}/deposit-standing"): "self",
    ("POST", "/api/v1/deposits/{deposit_id}/refund"): DESK | {"desk_br1"},
    ("GET", "/api/v1/search"): "public",
    ("GET", "/api/v1/suggest"): "public",
}
ROLES = ("anonymous", "reader_a", "reader_b", "desk_cen", "desk_br1", "cataloguer", "admin")
STAFF_WITH_READER_ACCESS = {"desk_cen", "desk_br1", "admin"}


@dataclass
class World:
    app: FastAPI
    client: TestClient
    headers: dict[str, dict[str, str]]
    params: dict[str, str]
    card_a: str
    record_id: int
    barcode: str


@pytest.fixture
def world(library: Library) -> Iterator[World]:
    shelf = library.shelf
    record_id, (barcode, other) = library.title("权限矩阵", copies=2)
    a = library.reader("甲", pin="1111")
    b = library.reader("乙", pin="2222")
    shelf.circulation.checkout(a.card_number, barcode, "CEN")
    hold = shelf.circulation.place_hold(a.card_number, record_id, "CEN")
    fee = shelf.accounts.charge(a.card_number, "manual", 100, "matrix")
    deposit = shelf.deposits.take(a.card_number, 500, "cash")
    app = asgi_app(shelf)
    with TestClient(app) as client:

        def reader_token(card: str, pin: str) -> dict[str, str]:
            token = client.post("/api/v1/sessions", json={"card_number": card, "secret": pin})
            return {"Authorization": f"Bearer {token.json()['token']}"}

        def bearer(role: str, branches: tuple[str, ...] = ()) -> dict[str, str]:
            return {"Authorization": f"Bearer {staff_token(shelf, role, branches=branches)}"}

        headers = {
            "anonymous": {},
            "reader_a": reader_token(a.card_number, "1111"),
            "reader_b": reader_token(b.card_number, "2222"),
            "desk_cen": bearer("desk", ("CEN",)),
            "desk_br1": bearer("desk", ("BR1",)),
            "cataloguer": bearer("cataloguer"),
            "admin": bearer("admin"),
        }
        params = {
            "card_number": a.card_number,
            "hold_id": str(hold.id),
            "fee_id": str(fee.id),
            "deposit_id": str(deposit.id),
            "rule_id": "1",
            "token_id": "1",
            "record_id": str(record_id),
            "barcode": other,
            "code": "CEN",
            "username": "test-admin",
            "purpose": "reading_history",
        }
        yield World(app, client, headers, params, a.card_number, record_id, barcode)


def _body(path: str, world: World) -> dict[str, Any]:
    """A valid body for routes that find the reader in the body, so the guard is what decides."""
    card = world.card_a
    bodies: dict[str, dict[str, Any]] = {
        "/api/v1/renew": {"card_number": card, "barcode": world.barcode},
        "/api/v1/holds": {
            "card_number": card,
            "record_id": world.record_id,
            "pickup_branch": "CEN",
        },
        "/api/v1/holds/{hold_id}/pickup": {"pickup_branch": "BR1"},
        "/api/v1/checkout": {
            "card_number": card,
            "barcode": world.params["barcode"],
            "branch": "CEN",
        },
        "/api/v1/checkin": {"barcode": world.barcode, "branch": "CEN"},
    }
    return bodies.get(path, {})


def _allowed(expected: str | set[str], role: str) -> bool:
    if expected == "public":
        return True
    if expected == "signed_in":
        return role != "anonymous"
    if expected == "self":
        return role == "reader_a" or role in STAFF_WITH_READER_ACCESS
    assert isinstance(expected, set)
    return role in expected


def test_every_api_route_has_a_decision(world: World) -> None:
    # The OpenAPI document lists every route the application serves under /api/v1.
    paths = world.app.openapi()["paths"]
    routes = {
        (method.upper(), path)
        for path, operations in paths.items()
        if path.startswith("/api/v1")
        for method in operations
    }
    assert routes - set(EXPECTED) == set(), "routes without an authorization decision"
    assert set(EXPECTED) - routes == set(), "decisions for routes that no longer exist"


def test_no_role_gets_a_2xx_where_it_may_not(world: World) -> None:
    unexpected: list[str] = []
    refused_ok: list[str] = []
    # Safe methods first, then the rest, and deletions of the reader and of the session last:
    # each role's session must live through the run.
    order = sorted(EXPECTED, key=lambda k: (k[0] != "GET", k[0] == "DELETE", k[1]))
    for method, path in order:
        if (method, path) in {
            ("DELETE", "/api/v1/readers/{card_number}"),
            ("DELETE", "/api/v1/sessions/current"),
        }:
            continue  # covered below, once everything else has run
        url = re.sub(r"\{(\w+)\}", lambda m: world.params[m.group(1)], path)
        for role in ROLES:
            allowed = _allowed(EXPECTED[(method, path)], role)
            response = world.client.request(
                method,
                url,
                headers=world.headers[role],
                json=_body(path, world) if method in {"POST", "PUT", "PATCH"} else None,
            )
            if not allowed and response.status_code < 300:
                unexpected.append(f"{role} {method} {url} -> {response.status_code}")
            if not allowed and response.status_code not in (401, 403):
                refused_ok.append(f"{role} {method} {path} -> {response.status_code}")
            if allowed and response.status_code in (401, 403):
                unexpected.append(f"{role} refused {method} {url}: {response.text[:120]}")
    assert unexpected == []
    # A refusal is an authorization refusal, not a lucky 404/422 that hides a missing guard.
    assert refused_ok == []


def test_readers_cannot_reach_each_other_and_a_branch_desk_stays_in_its_branch(
    world: World,
) -> None:
    c, h = world.client, world.headers
    card = world.card_a
    assert c.delete(f"/api/v1/readers/{card}", headers=h["reader_b"]).status_code == 403
    checkout = {"card_number": card, "barcode": world.params["barcode"], "branch": "CEN"}
    refused = c.post("/api/v1/checkout", json=checkout, headers=h["desk_br1"])
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "access.forbidden"
    assert c.post("/api/v1/checkout", json=checkout, headers=h["desk_cen"]).status_code == 201
    assert c.delete("/api/v1/sessions/current", headers=h["reader_b"]).status_code == 204
    assert c.get("/api/v1/sessions/current", headers=h["reader_b"]).status_code == 401
