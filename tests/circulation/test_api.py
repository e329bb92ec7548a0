"""The REST door of readers and circulation: a desk day over HTTP, and schemathesis.

schemathesis generates requests from the OpenAPI document for every reader and
circulation operation and checks: no server error, responses match their
documented schema and status codes. It runs twice: as an administrator (every
operation reaches its handler) and anonymously (every protected operation must
refuse with 401, never 500).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from circ_helpers import LendingLibrary
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from shelfwise.app import asgi_app
from shelfwise.circulation.scope import SYSTEM
from shelfwise.testing.access import staff_headers


@pytest.fixture
def client(library: LendingLibrary) -> Iterator[TestClient]:
    with TestClient(asgi_app(library.services)) as c:
        c.headers.update(staff_headers(library.services, "admin"))
        yield c


def test_desk_day_over_http(client: TestClient, library: LendingLibrary) -> None:
    record_id, (barcode,) = library.title()
    reader = client.post("/api/v1/readers", json={"name": "王芳", "category": "adult"}).json()
    card = reader["card_number"]
    other = client.post("/api/v1/readers", json={"name": "陈", "category": "senior"}).json()
    headers = {"Idempotency-Key": "desk-1:0001"}
    body = {"card_number": card, "barcode": barcode, "branch": "CEN"}
    first = client.post("/api/v1/checkout", json=body, headers=headers)
    assert first.status_code == 201
    assert client.post("/api/v1/checkout", json=body, headers=headers).json() == first.json()
    refused = client.post(
        "/api/v1/checkout",
        json={**body, "card_number": other["card_number"]},
        headers={"Accept-Language": "en"},
    )
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "circ.item_on_loan"
    assert "already on loan" in refused.json()["error"]["message"]
    hold = client.post(
        "/api/v1/holds",
        json={"card_number": other["card_number"], "record_id": record_id, "pickup_branch": "BR1"},
    ).json()
    assert hold["queue_position"] == 1
    renewal = client.post("/api/v1/renew", json={"card_number": card, "barcode": barcode})
    assert renewal.json()["error"]["code"] == "circ.renew_on_hold"
    checkin = client.post("/api/v1/checkin", json={"barcode": barcode, "branch": "CEN"}).json()
    assert checkin["hold_status"] == "in_transit"
    assert client.get(f"/api/v1/items/{barcode}/status").json()["availability"] == "in_transit"
    assert client.get("/api/v1/branches/CEN/pull-list").json() == []
    rule = client.put(
        "/api/v1/rules", json={"reader_category": "senior", "values": {"loan_days": 60}}
    ).json()
    explained = client.get(
        "/api/v1/rules/explain", params={"category": "senior", "item_type": "book", "branch": "CEN"}
    ).json()
    assert explained["rule"]["id"] == rule["id"]
    assert "most specific" in explained["explanation"]
    cal = client.put(
        "/api/v1/branches/CEN/calendar", json={"closed_weekdays": [0], "closed_days": []}
    )
    assert cal.json()["closed_weekdays"] == [0]
    exported = client.get(f"/api/v1/readers/{card}/export").json()
    assert exported["profile"]["name"] == "王芳"
    assert client.delete(f"/api/v1/readers/{card}").status_code == 204
    assert client.get(f"/api/v1/readers/{card}").json()["error"]["code"] == "readers.not_found"


@pytest.mark.parametrize("signed_in", [True, False], ids=["admin", "anonymous"])
def test_schemathesis_no_server_errors(library: LendingLibrary, signed_in: bool) -> None:
    """Every reader, circulation and access operation, a few generated requests each, all checks."""
    headers = staff_headers(library.services, "admin") if signed_in else {}
    library.title(copies=2)
    library.reader("模糊测试")
    schema = schemathesis.openapi.from_asgi("/openapi.json", asgi_app(library.services)).include(
        tag_regex="^(readers|circulation|access)$"
    )
    checks = [not_a_server_error, response_schema_conformance, status_code_conformance]
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"invalid operation in the OpenAPI document: {result}")
            continue
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        def run(case: Any) -> None:
            case.call_and_validate(checks=checks, headers=headers)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:400]}")
    assert operations >= 25
    assert failures == []


def test_a_readers_idempotency_key_is_their_own_and_a_reused_one_is_a_409(
    library: LendingLibrary,
) -> None:
    """Issue 12: reader A sent reader B's Idempotency-Key and got B's loan back with a
    200, and A's own renewal silently did not happen."""
    services = library.services
    _, (a_copy, b_copy) = library.title(copies=2)
    a, b = library.reader("甲", pin="1111"), library.reader("乙", pin="2222")
    services.circulation.checkout(a.card_number, a_copy, "CEN", actor=SYSTEM)
    services.circulation.checkout(b.card_number, b_copy, "CEN", actor=SYSTEM)
    with TestClient(asgi_app(services)) as client:

        def as_reader(card: str, pin: str) -> dict[str, str]:
            session = client.post("/api/v1/sessions", json={"card_number": card, "secret": pin})
            token = session.json()["token"]
            return {"Authorization": f"Bearer {token}", "Idempotency-Key": "renew-0001"}

        reader_a, reader_b = as_reader(a.card_number, "1111"), as_reader(b.card_number, "2222")
        b_body = {"card_number": b.card_number, "barcode": b_copy}
        b_renewed = client.post("/api/v1/renew", json=b_body, headers=reader_b)
        assert (b_renewed.status_code, b_renewed.json()["barcode"]) == (200, b_copy)
        a_body = {"card_number": a.card_number, "barcode": a_copy}
        a_renewed = client.post("/api/v1/renew", json=a_body, headers=reader_a)
        assert a_renewed.status_code == 200
        assert (a_renewed.json()["barcode"], a_renewed.json()["renewals"]) == (a_copy, 1)
        # B's retry is answered from B's first renewal, not renewed again ...
        assert (
            client.post("/api/v1/renew", json=b_body, headers=reader_b).json() == b_renewed.json()
        )
        # ... and B's key with another request is refused with a code, never a stale 200.
        reused = client.post("/api/v1/renew", json={**b_body, "barcode": a_copy}, headers=reader_b)
        assert (reused.status_code, reused.json()["error"]["code"]) == (
            409,
            "circ.idempotency_mismatch",
        )
    assert [loan.renewals for loan in services.circulation.loans_of(a.card_number)] == [1]
    assert [loan.renewals for loan in services.circulation.loans_of(b.card_number)] == [1]
