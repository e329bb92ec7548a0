"""GET /api/v1/analytics/{act} (issue 21 item 2): staff tokens, branch scope, the k rule
and the one error shape. Who may call it at all is in tests/circulation/test_authz_matrix.py."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from analytics.helpers import StatsLibrary
from analytics.test_counters import deliver
from shelfwise.app import asgi_app
from shelfwise.circulation.scope import SYSTEM
from shelfwise.testing.access import staff_token


def _lend(stats: StatsLibrary) -> None:
    """Seven readers borrow at CEN, two at BR1 (a cell of two readers: hidden), five at BR2
    (hidden too: the smallest beside BR1, whose count the total would otherwise give away)."""
    services = stats.services
    cen = stats.title("clc:K", 7)
    br1 = stats.title("ddc:900", 2, "BR1")
    for i, barcode in enumerate(cen):
        card = stats.reader(f"c{i}", "adult", 1980 + i).card_number
        services.circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
    for i, barcode in enumerate(br1):
        card = stats.reader(f"b{i}", "child", 2016).card_number
        services.circulation.checkout(card, barcode, "BR1", actor=SYSTEM)
    for i, barcode in enumerate(stats.title("kdc:800", 5, "BR2")):
        card = stats.reader(f"d{i}", "adult", 1990).card_number
        services.circulation.checkout(card, barcode, "BR2", actor=SYSTEM)
    deliver(stats, relays=1)


def _client(stats: StatsLibrary) -> TestClient:
    return TestClient(asgi_app(stats.services))


def _auth(stats: StatsLibrary, role: str, branches: tuple[str, ...] = ()) -> dict[str, str]:
    return {"Authorization": f"Bearer {staff_token(stats.services, role, branches=branches)}"}


def test_loans_by_day_and_branch_with_the_small_branch_hidden(stats: StatsLibrary) -> None:
    _lend(stats)
    today = stats.services.clock.today().isoformat()
    with _client(stats) as client:
        answer = client.get(
            "/api/v1/analytics/loans",
            params={"by": "day,branch", "from": today, "to": today},
            headers=_auth(stats, "admin"),
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["min_readers"] == 5
    assert body["dimension"] == "all"
    cells = {(c["period"], c["branch"]): c["events"] for c in body["cells"]}
    assert cells == {(today, "CEN"): 7, (today, "BR1"): None, (today, "BR2"): None}


def test_a_manager_bound_to_a_branch_sees_that_branch_only(stats: StatsLibrary) -> None:
    _lend(stats)
    manager = _auth(stats, "admin", ("BR1",))
    with _client(stats) as client:
        mine = client.get("/api/v1/analytics/loans", params={"by": "branch"}, headers=manager)
        other = client.get(
            "/api/v1/analytics/loans", params={"by": "branch", "branch": "CEN"}, headers=manager
        )
        desk = client.get("/api/v1/analytics/loans", headers=_auth(stats, "desk"))
    assert mine.status_code == 200, mine.text
    assert [c["branch"] for c in mine.json()["cells"]] == ["BR1"]
    assert other.status_code == 403
    assert other.json()["error"]["code"] == "access.branch_forbidden"
    assert desk.status_code == 403
    assert desk.json()["error"]["code"] == "access.forbidden"


def test_bad_questions_get_the_one_error_shape(stats: StatsLibrary) -> None:
    admin = _auth(stats, "admin")
    cases = [
        ("/api/v1/analytics/loans", {"by": "week"}, "analytics.bad_grouping"),
        ("/api/v1/analytics/loans", {"by": "category,main_class"}, "analytics.bad_grouping"),
        (
            "/api/v1/analytics/holds",
            {"from": "2026-09-10", "to": "2026-09-01"},
            "analytics.bad_period",
        ),
        ("/api/v1/analytics/loans", {"branch": "NOPE"}, "catalogue.branch_not_found"),
        ("/api/v1/analytics/loans", {"from": "yesterday"}, "request.invalid"),
        ("/api/v1/analytics/visits", {}, "request.invalid"),
    ]
    with _client(stats) as client:
        for path, params, code in cases:
            answer = client.get(path, params=params, headers=admin)
            assert answer.status_code in (404, 422), (path, params, answer.text)
            error = answer.json()["error"]
            assert error["code"] == code, (path, params, error)
            assert error["message"]


def test_generated_questions_get_answers_or_clear_errors(stats: StatsLibrary) -> None:
    """schemathesis makes requests from the route's OpenAPI description (dates, groupings,
    branches of every shape): never a server error, always the documented status and shape."""
    import schemathesis
    from hypothesis import HealthCheck, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.core.result import Ok
    from schemathesis.specs.openapi.checks import (
        response_schema_conformance,
        status_code_conformance,
    )

    _lend(stats)
    headers = _auth(stats, "admin")
    schema = schemathesis.openapi.from_asgi("/openapi.json", asgi_app(stats.services)).include(
        tag_regex="^analytics$"
    )
    checks = [not_a_server_error, response_schema_conformance, status_code_conformance]
    operations = [r.ok() for r in schema.get_all_operations() if isinstance(r, Ok)]
    # The counters' questions and the dashboards' charts (issue 21's two routes).
    assert sorted(o.label for o in operations) == [
        "GET /api/v1/analytics/dashboards/{chart}",
        "GET /api/v1/analytics/{act}",
    ]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=40,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
        )
        def run(case: Any) -> None:
            case.call_and_validate(checks=checks, headers=headers)

        run()


def test_a_dashboard_chart_through_the_api_is_the_pages(stats: StatsLibrary) -> None:
    """The API's chart is the one the page draws: the same columns and rows, hidden figures
    null; a branch manager is held to their branch."""
    services = stats.services
    barcodes = stats.title("clc:K", 6)
    for i, barcode in enumerate(barcodes):
        card = stats.reader(f"api-{i}").card_number
        services.circulation.checkout(card, barcode, "CEN", actor=SYSTEM)
    deliver(stats, relays=1)
    services.analytics.take_stock()
    client = _client(stats)
    got = client.get("/api/v1/analytics/dashboards/turnover", headers=_auth(stats, "admin"))
    assert got.status_code == 200, got.text
    body = got.json()
    built = services.dashboards().build(
        actor=SYSTEM, days=30, branch="", until=services.clock.today(), view="collection"
    )
    assert body["columns"] == list(built.chart("turnover").columns)
    assert body["rows"] == [list(r) for r in built.chart("turnover").rows]
    assert ["clc:K", 6, 6, 1.0] in body["rows"]
    assert body["stock_taken_at"] is not None
    mine = client.get(
        "/api/v1/analytics/dashboards/turnover",
        params={"branch": "CEN"},
        headers=_auth(stats, "admin", ("BR1",)),
    )
    assert mine.status_code == 403
    assert mine.json()["error"]["code"] == "access.branch_forbidden"
