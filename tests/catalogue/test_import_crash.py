"""Killing an import at any moment leaves no half-written record; running it again completes it.

The import runs in a child process that is killed with SIGKILL at random moments
(no chance to clean up), then the same import runs to the end; the final state
must equal a clean import exactly.
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

from shelfwise.app import Shelfwise
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.storage.tables import items, records, sources

N = 3000
TRIALS = 4


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


def _run(database_url: str, data_dir: Path, path: Path, kill_after: float | None) -> int | None:
    env = dict(os.environ, SHELFWISE_IMPORT_BATCH_SIZE="100", SHELFWISE_SCHEDULER_ENABLED="false")
    proc = subprocess.Popen(
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
    if kill_after is None:
        _, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err.decode()
        return proc.returncode
    time.sleep(kill_after)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return None


def test_kill_during_import_then_rerun_completes_exactly(
    shelf: Shelfwise, database_url: str, tmp_path: Path
) -> None:
    _kill_and_rerun(shelf, database_url, tmp_path, trials=TRIALS, seed=20261129)


@pytest.mark.slow
def test_kill_during_import_many_trials(
    shelf: Shelfwise, database_url: str, tmp_path: Path
) -> None:
    _kill_and_rerun(shelf, database_url, tmp_path, trials=20, seed=7)


def _kill_and_rerun(
    shelf: Shelfwise, database_url: str, tmp_path: Path, *, trials: int, seed: int
) -> None:
    path = _file(tmp_path / "big.mrc")
    rng = random.Random(seed)
    seen: list[int] = []
    for _ in range(trials):
        _run(database_url, tmp_path / "data", path, kill_after=rng.uniform(0.3, 3.0))
        with shelf.db.read() as conn:
            # Whatever was committed is whole: each record has its master source and its items.
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
            n_items = conn.execute(select(func.count()).select_from(items)).scalar_one()
        assert orphans == 0
        assert n_items == n_records
        seen.append(n_records)
    _run(database_url, tmp_path / "data", path, kill_after=None)
    counts = shelf.catalogue.counts()
    assert (counts["records"], counts["sources"], counts["items"]) == (N, N, N)
    if shelf.db.is_sqlite:
        with shelf.db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
