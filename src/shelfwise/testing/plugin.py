"""Pytest fixtures shipped with the package (registered through the ``pytest11`` entry point).

``services`` gives each test a fresh, migrated Services bundle on a real database, once
per backend: SQLite in a temporary file, and PostgreSQL as a database cloned once from a
migrated template and emptied back to the template's rows after each test (isolated per
test; see ``shelfwise.testing.pg_databases`` for why it is not dropped). Set
``SHELFWISE_TEST_PG_URL`` to point at a server (default
``postgresql+psycopg://postgres@127.0.0.1:5432/postgres``); choose backends with
``--backends sqlite,postgresql``. In CI (``CI=true``) an unreachable PostgreSQL
fails the run instead of skipping it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.engine import make_url

# Only light modules at import time: pytest loads this plugin before pytest-cov starts
# measuring, so a module imported here would have its definitions counted as never run.
# The application is imported inside the fixtures.
from shelfwise.testing import corpus, tools

if TYPE_CHECKING:
    from shelfwise.core.clock import FrozenClock
    from shelfwise.services import Services
    from shelfwise.testing.pg_databases import ReusedDatabases

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
_CORPUS_COUNT = pytest.StashKey[int]()

# One template per test process (xdist worker or plain run), so parallel workers
# and concurrent test sessions on one server never drop each other's.
TEMPLATE = f"shelfwise_tpl_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("shelfwise")
    group.addoption(
        "--backends",
        default="sqlite,postgresql",
        help="comma-separated database backends for the `services` fixture (sqlite, postgresql)",
    )
    group.addoption(
        "--runslow", action="store_true", default=False, help="also run tests marked slow"
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "corpus: reads the real MARC corpus (../shared/data/marc); deselected when it is absent",
    )
    corpus.configure(config.rootpath)
    _hypothesis_without_clocks()


def _hypothesis_without_clocks() -> None:
    """Hypothesis's deadline and its too-slow health checks time each example on the wall
    clock; on a shared two-core machine, with coverage tracing every line, they fail tests
    whose code is right. Tests never assert wall-clock times, so these are off for all."""
    try:
        from hypothesis import HealthCheck, settings
    except ImportError:  # the plugin also loads where only the package is installed
        return
    slow = [HealthCheck.too_slow]
    settings.register_profile("shelfwise", deadline=None, suppress_health_check=slow)
    settings.load_profile("shelfwise")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--runslow"):
        skip = pytest.mark.skip(reason="slow tier: run with --runslow")
        for item in items:
            if "slow" in item.keywords:
                item.add_marker(skip)
    for item in items:
        if "marc_corpus" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)
    tier = [item for item in items if "corpus" in item.keywords]
    present = corpus.corpus_dir() is not None
    if not present and tier:
        items[:] = [item for item in items if "corpus" not in item.keywords]
        config.hook.pytest_deselected(items=tier)
    config.stash[_CORPUS_COUNT] = len(tier)
    workeroutput = getattr(config, "workeroutput", None)
    if workeroutput is not None:  # an xdist worker: tell the controller
        workeroutput["shelfwise_corpus_tests"] = len(tier)


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node: Any, error: object) -> None:
    """xdist: each worker collected the whole suite; keep the corpus-tier count it saw."""
    count = getattr(node, "workeroutput", {}).get("shelfwise_corpus_tests")
    if count is not None:
        node.config.stash[_CORPUS_COUNT] = max(count, node.config.stash.get(_CORPUS_COUNT, 0))


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    count = config.stash.get(_CORPUS_COUNT, 0)
    if not count:
        return
    where = corpus.corpus_dir()
    if where is not None:
        line = f"corpus tier: {count} tests selected over the real MARC files in {where}"
    else:
        line = (
            f"corpus tier: {count} tests deselected: no MARC corpus at "
            f"{corpus.expected_location()} (../shared/data/marc beside the repository; "
            "CI has it, see docs/testing.md)"
        )
    terminalreporter.write_sep("-", line)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "backend" in metafunc.fixturenames:
        chosen = [
            b.strip() for b in str(metafunc.config.getoption("--backends")).split(",") if b.strip()
        ]
        metafunc.parametrize("backend", chosen, scope="function")


def pg_admin_url() -> str:
    return os.environ.get("SHELFWISE_TEST_PG_URL", DEFAULT_PG)


def _pg_unavailable(reason: str) -> None:
    tools.missing(
        f"PostgreSQL at {pg_admin_url()} ({reason})",
        "postgresql and start it, or set SHELFWISE_TEST_PG_URL",
    )


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
    from shelfwise.storage import migrate
    from shelfwise.storage.database import Database

    url = make_url(pg_admin_url()).set(database=TEMPLATE).render_as_string(hide_password=False)
    db = Database(url)
    migrate.upgrade(db)
    db.dispose()
    yield url
    with admin.connect() as conn:
        conn.execute(text(f"DROP DATABASE IF EXISTS {TEMPLATE} WITH (FORCE)"))
    admin.dispose()


def _drop_orphaned_templates(conn: Connection) -> None:
    """Templates and clones left by test processes that were killed (their pid is gone)."""
    names = conn.execute(
        # shelfwise_tpl_<worker>_<pid>, and its clones shelfwise_tp<n>_<worker>_<pid>
        text("SELECT datname FROM pg_database WHERE datname LIKE 'shelfwise_tp%'")
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


@pytest.fixture(scope="session")
def pg_databases(pg_template: str) -> Iterator[ReusedDatabases]:
    """This process's PostgreSQL test databases, each emptied and reused after a test."""
    from shelfwise.testing.pg_databases import ReusedDatabases

    pool = ReusedDatabases(pg_admin_url(), TEMPLATE)
    yield pool
    pool.drop_all()


@pytest.fixture
def database_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[str]:
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path / 'shelfwise.sqlite'}"
        return
    if backend != "postgresql":
        raise pytest.UsageError(f"unknown backend {backend!r}")
    pool: ReusedDatabases = request.getfixturevalue("pg_databases")
    name = pool.take()
    yield pool.url(name)
    pool.give_back(name)


@pytest.fixture
def clock() -> FrozenClock:
    from shelfwise.core.clock import FrozenClock

    return FrozenClock(datetime(2026, 9, 1, 9, 30, tzinfo=UTC))


@pytest.fixture
def services(database_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[Services]:
    from shelfwise import app as composition
    from shelfwise.config import Settings

    settings = Settings.load(
        {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "import_batch_size": 50,
            # Argon2 at its production cost (64 MiB, 3 passes) takes half a second on a busy
            # test machine; what the tests check does not depend on the cost.
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 8192,
        },
        environ={},
    )
    instance = composition.build(settings, clock=clock)
    yield instance
    instance.close()


@pytest.fixture(scope="session")
def marc_corpus() -> Path:
    """The real MARC corpus (../shared/data/marc); a test using it is in the corpus tier."""
    found = corpus.corpus_dir()
    if found is None:  # never reached: the plugin deselects corpus tests without a corpus
        raise pytest.UsageError(f"no MARC corpus at {corpus.expected_location()}")
    return found


@pytest.fixture(scope="session")
def marc_fixtures() -> Path:
    """tests/fixtures/marc: the real (``real/``) and generated (``generated/``) MARC files."""
    return corpus.fixtures_dir()
