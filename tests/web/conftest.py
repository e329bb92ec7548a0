"""A small demo library for the web tests: branches, multilingual records, readers, loans."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.testing.servers import live_server
from shelfwise.testing.webdemo import build_demo, demo_settings
from web.browser import launch_chromium


@pytest.fixture
def demo(services: Services, tmp_path: Path) -> list[str]:
    """The demo library in the per-test ``shelf`` (SQLite and PostgreSQL)."""
    return build_demo(services, tmp_path, records=120)


@pytest.fixture
def client(services: Services, demo: list[str]) -> Iterator[TestClient]:
    with TestClient(composition.asgi_app(services), follow_redirects=False) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def screenshots(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the browser tests save their screenshots: a temporary folder, so a test run
    never rewrites the tracked docs/screenshots; ./scripts/screenshots points
    SHELFWISE_SCREENSHOTS at docs/screenshots to refresh them."""
    target = os.environ.get("SHELFWISE_SCREENSHOTS")
    return Path(target).resolve() if target else tmp_path_factory.mktemp("screenshots")


@pytest.fixture(scope="module")
def demo_library(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[tuple[Services, list[str]]]:
    """One demo library on SQLite for a whole module (browser tests, benchmarks)."""
    folder = tmp_path_factory.mktemp("web-demo")
    clock = FrozenClock(datetime(2026, 9, 1, 9, 30, tzinfo=UTC))
    services = composition.build(demo_settings(folder), clock=clock)
    cards = build_demo(services, folder, records=400)
    yield services, cards
    services.close()


@pytest.fixture(scope="module")
def base_url(demo_library: tuple[Services, list[str]]) -> Iterator[str]:
    """The module's demo library served over HTTP for the browser tests (a module that needs
    staff accounts or data in it first overrides this fixture)."""
    services, _cards = demo_library
    with live_server(services) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    """One Chromium for the module's browser tests."""
    with launch_chromium() as instance:
        yield instance
