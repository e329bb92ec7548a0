"""The HTTP app runs the background work it is handed, and starts nothing of its own."""

from __future__ import annotations

import dataclasses

from fastapi.testclient import TestClient

from shelfwise.api.http import create_app
from shelfwise.app import asgi_app
from shelfwise.config import Settings
from shelfwise.runtime import Runtime
from shelfwise.services import Services


class Probe:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")

    def stop(self) -> None:
        self.calls.append("stop")


def test_the_api_lifespan_starts_and_stops_what_the_composition_root_hands_it(
    services: Services,
) -> None:
    probe = Probe()
    with TestClient(create_app(services, probe)) as client:
        assert client.get("/api/v1/health").status_code == 200
        assert probe.calls == ["start"]
    assert probe.calls == ["start", "stop"]


def test_serve_hands_its_runtime_to_the_http_app(services: Services) -> None:
    runtime = Runtime(services, tick_seconds=3600)
    with TestClient(asgi_app(services, runtime)):
        assert runtime.running
        runtime.start()  # once per process: a second start is nothing
        assert runtime.running
    assert not runtime.running


def test_a_runtime_with_the_scheduler_off_runs_nothing(services: Services) -> None:
    off = Settings.load(
        {"data_dir": services.settings.data_dir, "scheduler_enabled": False}, environ={}
    )
    runtime = Runtime(dataclasses.replace(services, settings=off))
    with runtime:
        assert not runtime.running
