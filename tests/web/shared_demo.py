"""One demo library per test module and backend, copied for each test.

Building the demo (branches, 120 records, the index, readers with loans) takes most of a
web test's time: a module that asked for it test by test built it a dozen times on each
backend. A module that imports these fixtures builds it once per backend and gives each
test its own copy, so a test that writes (a cover uploaded, a hold placed) changes
nothing another test sees: SQLite's file and the data folder (index, media) are copied;
on PostgreSQL the built database is the template of each test's database (``CREATE
DATABASE … TEMPLATE``, a file copy inside the server).

Use it in a test module with::

    from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
        copied_client,
        copied_demo,
        copied_services,
        pytest_generate_tests,
        shared_demo,
    )

The copies register as ``services``, ``demo`` and ``client`` (the names the tests take).
"""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, make_url, text

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.testing.plugin import pg_admin_url
from shelfwise.testing.webdemo import build_demo

RECORDS = 120
NOW = datetime(2026, 9, 1, 9, 30, tzinfo=UTC)  # the plugin's clock fixture's instant

__all__ = [
    "copied_client",
    "copied_demo",
    "copied_services",
    "pytest_generate_tests",
    "shared_demo",
]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """The module's tests run once per backend chosen with ``--backends``, grouped so that
    one backend's library is built, used and dropped before the next."""
    if "demo_backend" in metafunc.fixturenames:
        option = str(metafunc.config.getoption("--backends"))
        chosen = [b.strip() for b in option.split(",") if b.strip()]
        metafunc.parametrize("demo_backend", chosen, scope="module")


@dataclass(frozen=True, slots=True)
class Built:
    backend: str
    folder: Path  # data/ (index, media) and, on SQLite, the database file
    url: str  # the built database
    cards: list[str]
    # PostgreSQL checkpoints on DROP DATABASE (seconds on a busy machine): a test's copy
    # is dropped in the background while the next test runs; the module waits for them.
    drops: ThreadPoolExecutor
    dropping: list[Future[None]]


def _settings(folder: Path, url: str) -> Settings:
    # The plugin's services fixture's settings, so a test sees what it saw before.
    return Settings.load(
        {
            "data_dir": folder / "data",
            "database_url": url,
            "import_batch_size": 50,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 8192,
        },
        environ={},
    )


def _pg_database(name: str, template: str) -> str:
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    finally:
        admin.dispose()
    return make_url(pg_admin_url()).set(database=name).render_as_string(hide_password=False)


def _pg_drop(name: str) -> None:
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(scope="module")
def shared_demo(
    demo_backend: str, tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> Iterator[Built]:
    """The demo library, built once for the module on ``demo_backend`` and closed."""
    folder = tmp_path_factory.mktemp(f"demo-{demo_backend}")
    name = ""
    if demo_backend == "sqlite":
        url = f"sqlite:///{folder / 'shelfwise.sqlite'}"
    elif demo_backend == "postgresql":
        template = make_url(request.getfixturevalue("pg_template")).database
        name = f"shelfwise_demo_{uuid.uuid4().hex[:12]}"
        url = _pg_database(name, str(template))
    else:
        raise pytest.UsageError(f"unknown backend {demo_backend!r}")
    built = composition.build(_settings(folder, url), clock=FrozenClock(NOW))
    try:
        cards = build_demo(built, folder, records=RECORDS)
    finally:
        built.close()  # a template must have no connection left
    with ThreadPoolExecutor(max_workers=1) as drops:
        built_library = Built(demo_backend, folder, url, cards, drops, [])
        yield built_library
        for dropped in built_library.dropping:
            dropped.result()  # a failed drop fails the module's last test, not silently
    if name:
        _pg_drop(name)


@pytest.fixture(name="services")
def copied_services(shared_demo: Built, tmp_path: Path, clock: FrozenClock) -> Iterator[Services]:
    """This test's own copy of the module's demo library, on the plugin's ``clock`` (the same
    instant the library was built at), so a test that moves the clock moves the services'."""
    shutil.copytree(shared_demo.folder / "data", tmp_path / "data")
    name = ""
    if shared_demo.backend == "sqlite":
        shutil.copyfile(shared_demo.folder / "shelfwise.sqlite", tmp_path / "shelfwise.sqlite")
        url = f"sqlite:///{tmp_path / 'shelfwise.sqlite'}"
    else:
        name = f"shelfwise_t_{uuid.uuid4().hex[:12]}"
        url = _pg_database(name, str(make_url(shared_demo.url).database))
    instance = composition.build(_settings(tmp_path, url), clock=clock)
    yield instance
    instance.close()
    if name:
        shared_demo.dropping.append(shared_demo.drops.submit(_pg_drop, name))


@pytest.fixture(name="demo")
def copied_demo(shared_demo: Built) -> list[str]:
    """The demo readers' card numbers (the copy has them too)."""
    return list(shared_demo.cards)


@pytest.fixture(name="client")
def copied_client(services: Services) -> Iterator[TestClient]:
    with TestClient(composition.asgi_app(services), follow_redirects=False) as test_client:
        yield test_client
