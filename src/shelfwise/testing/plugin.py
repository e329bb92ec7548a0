"""Pytest fixtures shipped with the package (registered through the ``pytest11`` entry point).

``shelf`` gives each test a fresh, migrated Shelfwise on a real database, once
per backend: SQLite in a temporary file, and PostgreSQL as a new database
cloned from a migrated template (fast, and isolated per test). Set
``SHELFWISE_TEST_PG_URL`` to point at a server (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); choose backends with
``--backends sqlite,postgresql``. In CI (``CI=true``) an unreachable PostgreSQL
fails the run instead of skipping it.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.storage import migrate
from shelfwise.storage.database import Database

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
# One template per test process (xdist worker or plain run), so parallel workers
# and concurrent test sessions on one server never drop each other's.
TEMPLATE = f"shelfwise_tpl_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("shelfwise")
    group.addoption(
        "--backends",
        default="sqlite,postgresql",
        help="comma-separated database backends for the `shelf` fixture (sqlite, postgresql)",
    )
    group.addoption(
        "--runslow", action="store_true", default=False, help="also run tests marked slow"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow"):
        return
    skip = pytest.mark.skip(reason="slow tier: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = [
            b.strip() for b in str(metafunc.config.getoption("--backends")).split(",") if b.strip()
        ]
        metafunc.parametrize("backend", chosen, scope="function")


def pg_admin_url() -> str:
    return os.environ.get("SHELFWISE_TEST_PG_URL", DEFAULT_PG)


def _pg_unavailable(reason: str) -> None:
    message = (
        f"PostgreSQL is not reachable at {pg_admin_url()} ({reason}). Start it "
        "(scripts/test does) or set SHELFWISE_TEST_PG_URL."
    )
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def pg_template() -> Iterator[str]:
    """A migrated template database; each test clones it."""
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            _drop_orphaned_templates(conn)
            conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
            conn.execute(text(f"CREATE DATABASE {TEMPLATE}"))
    except Exception as exc:
        admin.dispose()
        _pg_unavailable(str(exc).splitlines()[0])
    url = make_url(pg_admin_url()).set(database=TEMPLATE).render_as_string(hide_password=False)
    db = Database(url)
    migrate.upgrade(db)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
    admin.dispose()


def _drop_orphaned_templates(conn: Connection) -> None:
    """Templates left by test processes that were killed (their pid is gone)."""
    names = conn.execute(
        text("SELECT datname FROM pg_database WHERE datname LIKE 'shelfwise_tpl_%'")
    )
    for (name,) in names.all():
        pid = name.rsplit("_", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'shelfwise.sqlite'}"
        return
    if backend != "postgresql":
        raise pytest.UsageError(f"unknown backend {backend!r}")
    template_url: str = request.getfixturevalue("pg_template")
    name = f"shelfwise_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg_admin_url(), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name} TEMPLATE {TEMPLATE}"))
    yield make_url(template_url).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
    admin.dispose()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 9, 1, 9, 30, tzinfo=UTC))


@pytest.fixture
def shelf(database_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[composition.Shelfwise]:
    settings = Settings.load(
        {"data_dir": tmp_path / "data", "database_url": database_url, "import_batch_size": 50},
        environ={},
    )
    instance = composition.build(settings, clock=clock)
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def marc_data() -> Path:
    """The shared folder of real MARC files (../shared/data/marc beside the repository)."""
    here = Path(__file__).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "data" / "marc"
        if (parent / "pyproject.toml").exists() and candidate.is_dir():
            return candidate
    env = os.environ.get("SHELFWISE_MARC_DATA")
    if env and Path(env).is_dir():
        return Path(env)
    if os.environ.get("CI") == "true":
        pytest.fail("../shared/data/marc is missing: CI must have the shared MARC data")
    pytest.skip("../shared/data/marc is not present beside the repository")
