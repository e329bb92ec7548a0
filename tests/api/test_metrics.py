"""``/metrics``: the Prometheus text format, parsed by prometheus_client's own parser; the
counters move with what the library does; no reader data; loopback or a token only."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from shelfwise.app import asgi_app, build
from shelfwise.catalogue.models import BranchKind
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.scheduler import Job, Scheduler
from shelfwise.testing.access import staff_token
from shelfwise.testing.servers import SLOW_MACHINE, live_server

Sample = tuple[str, tuple[tuple[str, str], ...]]


def scrape(text: str) -> dict[Sample, float]:
    """Every sample of the exposition by name and labels (the parser fails on bad text)."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


def value(samples: dict[Sample, float], name: str, **labels: str) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.fixture
def library(services: Services, tmp_path: Path) -> tuple[Services, str, list[str]]:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="中心馆")
    holdings = [Field("852", "  ", [("b", "CEN"), ("p", f"MX{k:04d}")]) for k in range(3)]
    record = Record(
        "00000nam a2200000 a 4500",
        [Field("001", data="metrics-1"), Field("245", "10", [("a", "度量")]), *holdings],
    )
    (tmp_path / "m.mrc").write_bytes(encode(record))
    services.importer().import_file(tmp_path / "m.mrc")
    card = services.readers.register(name="度量读者", category="adult").reader.card_number
    return services, card, ["MX0000", "MX0001", "MX0002"]


def test_metrics_move_with_a_checkout_and_hold_no_reader_data(
    library: tuple[Services, str, list[str]], clock: FrozenClock
) -> None:
    services, card, barcodes = library
    desk = {"Authorization": f"Bearer {staff_token(services, 'desk', branches=('CEN',))}"}
    services.search.rebuild()
    with live_server(services) as base, httpx.Client(base_url=base, timeout=SLOW_MACHINE) as http:
        before = scrape(http.get("/metrics").text)
        lent = http.post(
            "/api/v1/checkout",
            json={"card_number": card, "barcode": barcodes[0], "branch": "CEN"},
            headers=desk,
        )
        assert lent.status_code == 201
        again = http.post(
            "/api/v1/checkout",
            json={"card_number": card, "barcode": barcodes[0], "branch": "CEN"},
            headers=desk,
        )
        assert again.status_code == 409
        assert http.get(f"/api/v1/readers/{card}/loans", headers=desk).status_code == 200
        services.terminals.alert({"kind": "login_backoff", "subject": "sip2-ip:10.1.1.1"})
        clock.advance(timedelta(seconds=90))
        Scheduler(services.db, services.clock, [Job("test.boom", 60, _boom)]).run_due()
        page = http.get("/metrics")
        proxied = http.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})
    assert page.headers["content-type"].startswith("text/plain; version=0.0.4")
    after = scrape(page.text)

    def moved(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert moved("shelfwise_circulation_operations_total", kind="checkout", result="ok") == 1
    refusal = again.json()["error"]["code"]  # the result label is the refusal's code
    assert moved("shelfwise_circulation_operations_total", kind="checkout", result=refusal) == 1
    route = {"method": "POST", "route": "/api/v1/checkout"}
    assert moved("shelfwise_http_requests_total", **route, status="201") == 1
    assert moved("shelfwise_http_requests_total", **route, status="409") == 1
    assert moved("shelfwise_http_request_duration_seconds_count", **route) == 2
    loans = {"method": "GET", "route": "/api/v1/readers/{card_number}/loans", "status": "200"}
    assert moved("shelfwise_http_requests_total", **loans) == 1
    assert moved("shelfwise_scheduler_job_runs_total", job="test.boom", outcome="failed") == 1
    assert value(after, "shelfwise_outbox_pending") >= 1
    assert value(after, "shelfwise_outbox_oldest_pending_seconds") >= 90
    assert value(after, "shelfwise_search_index_documents") == 1
    assert value(after, "shelfwise_search_index_size_bytes") > 0
    assert any(n == "shelfwise_search_index_info" for n, _ in after)
    assert card not in page.text  # route templates and codes, never values
    assert barcodes[0] not in page.text
    assert proxied.status_code == 403  # through a proxy, loopback is not this machine


def _boom() -> str:
    raise RuntimeError("a job that fails")


def test_metrics_are_refused_off_the_machine_unless_the_token_is_given(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    with TestClient(asgi_app(services)) as client:  # its requests come from "testclient"
        refused = client.get("/metrics")
        assert refused.status_code == 403
        assert refused.json()["error"]["code"] == "access.forbidden"
        assert "/metrics" not in client.get("/openapi.json").json()["paths"]
    settings = Settings.load(
        {"data_dir": tmp_path / "data", "database_url": database_url, "metrics_token": "m" * 32},
        environ={},
    )
    tokened = build(settings, migrate_db=False)
    try:
        with TestClient(asgi_app(tokened)) as client:
            assert (
                client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 403
            )
            served = client.get("/metrics", headers={"Authorization": f"Bearer {'m' * 32}"})
            assert served.status_code == 200
            assert "shelfwise_outbox_pending" in served.text
    finally:
        tokened.close()
