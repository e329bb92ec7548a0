"""Killing an import mid-way leaves no half-written record; running it again completes it.

reliability.md §4.6. The import runs in a child process that the parent kills
with SIGKILL (no chance to clean up) once the database shows a chosen number of
records committed — polled, so the kill lands while the import is really under
way, not during the child's start-up. After each kill:

* what the parent saw committed is still there (a commit survives the crash);
* the import stopped part-way (the kill did interrupt it);
* committed work is whole: every record has its master source and its item, and
  records arrive in whole batches of ``BATCH`` (one batch, one transaction);
* on SQLite, ``PRAGMA integrity_check`` is ``ok``.

The next trial resumes the same import from wherever the previous one died, and a
final run must end with exactly ``N`` records, sources and items.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from shelfwise.catalogue.models import BranchKind
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services
from shelfwise.storage.tables import items, records, sources

N = 3000
BATCH = 100
POLL_SECONDS = 0.01
DEADLINE_SECONDS = 240.0


def _file(path: Path) -> Path:
    with path.open("wb") as out:
        for i in range(N):
            out.write(
                encode(
                    Record(
                        "00000nam a2200000 a 4500",
                        [
                            Field("001", data=f"k{i}"),
                            Field("003", data="KILL"),
                            Field("100", "1 ", [("a", f"作者{i % 97}")]),
                            Field("245", "10", [("a", f"书名第{i}号"), ("b", "测试")]),
                            Field("264", " 1", [("c", str(1950 + i % 70))]),
                            Field(
                                "852",
                                "  ",
                                [("b", "CEN"), ("h", f"I{i % 900}/{i}"), ("p", f"K{i:06d}")],
                            ),
                        ],
                    )
                )
            )
    return path


def _start(database_url: str, data_dir: Path, path: Path) -> subprocess.Popen[bytes]:
    env = dict(
        os.environ,
        SHELFWISE_IMPORT_BATCH_SIZE=str(BATCH),
        SHELFWISE_SCHEDULER_ENABLED="false",
    )
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "shelfwise",
            "import",
            str(path),
            "--data-dir",
            str(data_dir),
            "--database-url",
            database_url,
        ],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def _committed(services: Services) -> int:
    with services.db.read() as conn:
        return int(conn.execute(select(func.count()).select_from(records)).scalar_one())


def _kill_when_committed(services: Services, proc: subprocess.Popen[bytes], target: int) -> int:
    """SIGKILL the child as soon as at least ``target`` records are committed; returns the
    count seen just before the kill."""
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        while True:
            seen = _committed(services)
            if seen >= target:
                proc.send_signal(signal.SIGKILL)
                return seen
            if proc.poll() is not None:
                err = proc.stderr.read().decode() if proc.stderr else ""
                pytest.fail(f"the import ended (rc {proc.returncode}) at {seen} < {target}:\n{err}")
            if time.monotonic() > deadline:
                pytest.fail(f"{seen} records committed after {DEADLINE_SECONDS}s, wanted {target}")
            time.sleep(POLL_SECONDS)
    finally:
        proc.communicate(timeout=60)


def _assert_whole(services: Services) -> int:
    with services.db.read() as conn:
        orphans = conn.execute(
            select(func.count())
            .select_from(records)
            .where(
                ~select(sources.c.id)
                .where(sources.c.record_id == records.c.id, sources.c.is_master == 1)
                .exists()
            )
        ).scalar_one()
        n_records = conn.execute(select(func.count()).select_from(records)).scalar_one()
        n_sources = conn.execute(select(func.count()).select_from(sources)).scalar_one()
        n_items = conn.execute(select(func.count()).select_from(items)).scalar_one()
        if services.db.is_sqlite:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
    assert orphans == 0, "a record without its master source"
    assert n_sources == n_records, "a source without its record, or the reverse"
    assert n_items == n_records, "a record without its item, or the reverse"
    assert n_records % BATCH == 0, f"{n_records} records: a batch was half-written"
    return int(n_records)


def test_kill_during_import_then_rerun_completes_exactly(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    _kill_and_rerun(services, database_url, tmp_path, trials=3, seed=20261129)


@pytest.mark.slow
def test_kill_during_import_many_trials(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    _kill_and_rerun(services, database_url, tmp_path, trials=20, seed=7)


def _kill_and_rerun(
    services: Services, database_url: str, tmp_path: Path, *, trials: int, seed: int
) -> None:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    path = _file(tmp_path / "big.mrc")
    rng = random.Random(seed)
    # Kill points spread over the file, increasing, each at least one batch past the last
    # and at least a few batches before the end, so every kill interrupts a running import.
    step = (N - 5 * BATCH) // trials
    seen: list[int] = []
    after: list[int] = []
    for trial in range(trials):
        low = max(trial * step, after[-1] if after else 0) + 1
        target = rng.randint(low, max(low, (trial + 1) * step))
        proc = _start(database_url, tmp_path / "data", path)
        seen.append(_kill_when_committed(services, proc, target))
        after.append(_assert_whole(services))
    # A commit the parent saw survived the kill; and the kill did stop the import short.
    assert all(a >= s for s, a in zip(seen, after, strict=True)), (seen, after)
    assert all(a < N for a in after), f"an import finished before its kill: {after}"
    assert after == sorted(after), f"a re-run lost committed records: {after}"
    proc = _start(database_url, tmp_path / "data", path)
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err.decode()
    counts = services.catalogue.counts()
    assert (counts["records"], counts["sources"], counts["items"]) == (N, N, N)
    assert _assert_whole(services) == N
