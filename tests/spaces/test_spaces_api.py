"""The REST door of spaces and events: a reader's seat and event over HTTP, refusals in
the one error shape, and schemathesis over every operation of the tag (issue 19 item 4)."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from shelfwise.app import asgi_app
from shelfwise.testing.access import staff_headers
from spaces.spaces_helpers import SpacesLibrary, local


def test_a_reader_books_scans_and_releases_over_http(spaces_library: SpacesLibrary) -> None:
    lib, services = spaces_library, spaces_library.services
    reader = services.readers.register(name="李", category="adult", pin="1357").reader
    seat = lib.unit(lib.reading, "A2")
    with TestClient(asgi_app(services)) as client:
        token = client.post(
            "/api/v1/sessions", json={"card_number": reader.card_number, "secret": "1357"}
        ).json()["token"]
        client.headers["Authorization"] = f"Bearer {token}"
        body = {
            "card_number": reader.card_number,
            "unit_id": seat,
            "starts_at": local(1, 8).isoformat(),
            "ends_at": local(1, 9).isoformat(),
        }
        made = client.post("/api/v1/spaces/bookings", json=body)
        assert made.status_code == 201, made.text
        again = client.post("/api/v1/spaces/bookings", json=body)
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "spaces.unit_taken"
        zh = client.post(
            "/api/v1/spaces/bookings",
            json={
                **body,
                "starts_at": local(1, 22).isoformat(),
                "ends_at": local(1, 23).isoformat(),
            },
            headers={"Accept-Language": "zh"},
        )
        assert zh.status_code == 422
        assert zh.json()["error"]["message"] == "该空间在 2026-09-01 22:00 不开放。"
        naive = client.post(
            "/api/v1/spaces/bookings", json={**body, "starts_at": "2026-09-01T10:00:00"}
        )
        assert naive.status_code == 422
        seats = client.get(f"/api/v1/spaces/rooms/{lib.reading.id}/seats").json()
        assert seats["free"] == 9
        assert {s["state"] for s in seats["seats"] if s["unit_id"] == seat} == {"taken"}
        scanned = client.post(
            "/api/v1/spaces/scan",
            json={"card_number": reader.card_number, "code": services.spaces.unit_token(seat)},
        )
        assert scanned.json()["outcome"] == "checked_in"
        forged = client.post(
            "/api/v1/spaces/scan", json={"card_number": reader.card_number, "code": "1.1.AAAA"}
        )
        assert forged.status_code == 403
        assert forged.json()["error"]["code"] == "spaces.qr_invalid"
        booking_id = made.json()["id"]
        released = client.post(f"/api/v1/spaces/bookings/{booking_id}/release")
        assert released.json()["state"] == "released"
        mine = client.get(f"/api/v1/readers/{reader.card_number}/space-bookings").json()
        assert [b["state"] for b in mine["bookings"]] == ["released"]
        assert mine["suspended_until"] is None


@pytest.mark.parametrize("signed_in", [True, False], ids=["admin", "anonymous"])
def test_schemathesis_no_server_errors_in_spaces_and_events(
    spaces_library: SpacesLibrary, signed_in: bool
) -> None:
    services = spaces_library.services
    headers = staff_headers(services, "admin") if signed_in else {}
    schema = schemathesis.openapi.from_asgi("/openapi.json", asgi_app(services)).include(
        tag_regex="^spaces and events$"
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
            max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        def run(case: Any) -> None:
            case.call_and_validate(checks=checks, headers=headers)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:400]}")
    assert operations == 16
    assert failures == []
