"""A simulated power cut loses no acknowledged loan (issue 15 done-when 2; SQLite).

The library runs in a child process (``power_loss/child.py``: eight clients lending and
taking back copies through the circulation service, so through group commit) with an
LD_PRELOAD shim (``power_loss/fsync_snapshot.c``, compiled here with the system C
compiler) that copies a file of the database each time an fsync of it succeeds. The
child is killed with SIGKILL after a random number of answers; then every database file
is put back to its last fsync'd content (the WAL index ``-shm`` is never synced and
goes; SQLite rebuilds it): all that the disk had not been told to keep is thrown away,
as a power cut would. Every loan the child acknowledged (a line it printed after the
service answered) must be there, and every acknowledged check-in must have closed its
loan.

Break it to see it fail: ``PRAGMA synchronous = OFF`` (or ``NORMAL``, which in WAL mode
syncs only at checkpoints) in ``storage/database.py``, or a group writer that answers
its callers before the COMMIT (``batch.done.wait()`` left out in
``storage/group_commit.py``) — acknowledged loans are lost.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from circ_helpers import make_library
from sqlalchemy import select

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.storage.database import Database
from shelfwise.storage.tables import loans
from shelfwise.testing.tools import require_tool

HERE = Path(__file__).parent / "power_loss"
TRIALS = 4  # per commit; --runslow: SLOW_TRIALS
SLOW_TRIALS = 100
CLIENTS = 8
DEADLINE = 180.0  # a bound for a loaded machine, never a measured time


@dataclass
class Cut:
    """What one trial saw: the acknowledgements and what the power cut threw away."""

    lent: list[int] = field(default_factory=list)
    returned: list[int] = field(default_factory=list)
    snapshots: int = 0


def test_no_acknowledged_loan_is_lost_at_a_power_cut(
    tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    cc = require_tool("cc", "the Debian package gcc")
    shim = tmp_path / "fsync_snapshot.so"
    subprocess.run(
        [cc, "-shared", "-fPIC", "-O2", "-o", str(shim), str(HERE / "fsync_snapshot.c"), "-ldl"],
        check=True,
    )
    folder = tmp_path / "db"
    url = f"sqlite:///{folder / 'library.sqlite'}"
    values: dict[str, object] = {
        "data_dir": str(tmp_path / "data"),
        "database_url": url,
        "scheduler_enabled": False,
    }
    services = composition.build(Settings.load(values, environ={}))
    library = make_library(services, tmp_path)
    clients = [
        (library.reader(f"读者{i}").card_number, library.title(f"书{i}", copies=2)[1])
        for i in range(CLIENTS)
    ]
    services.close()  # every connection closed: the WAL is checkpointed into the file
    rng = random.Random(20261207)
    cuts = []
    trials = SLOW_TRIALS if request.config.getoption("--runslow") else TRIALS
    for trial in range(trials):
        durable = _synced(folder)
        snapshots = tmp_path / f"snapshots{trial}"
        snapshots.mkdir()
        env = dict(os.environ)
        env.update(
            LD_PRELOAD=str(shim),
            FSYNC_SHIM_WATCH=f"{folder}/",
            FSYNC_SHIM_SNAPSHOTS=str(snapshots),
        )
        cut = _run_and_cut(json.dumps(values), json.dumps(clients), env, rng.randint(40, 160))
        assert not (snapshots / "FAILED").exists(), (snapshots / "FAILED").read_text()
        cut.snapshots = _power_cut(folder, snapshots, durable)
        lost_loans, lost_returns = _missing(url, cut)
        assert (lost_loans, lost_returns) == ([], []), f"trial {trial}: acknowledged, then lost"
        cuts.append(cut)
    # The shim saw the fsyncs (a library that bypassed it would pass for nothing).
    assert all(cut.snapshots > 0 for cut in cuts)


def _synced(folder: Path) -> dict[str, bytes]:
    """The files as they are after a clean close, made durable (the trial's start)."""
    state = {}
    for path in folder.iterdir():
        with path.open("rb+") as f:
            os.fsync(f.fileno())
            state[path.name] = path.read_bytes()
    return state


def _run_and_cut(settings: str, clients: str, env: dict[str, str], after: int) -> Cut:
    """Start the child, SIGKILL it once it has acknowledged ``after`` operations; every
    line it printed before it died counts (a reader saw it)."""
    child = subprocess.Popen(
        [sys.executable, str(HERE / "child.py"), settings, clients],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    watchdog = threading.Timer(DEADLINE, child.kill)
    watchdog.start()
    cut = Cut()
    assert child.stdout is not None
    try:
        for line in child.stdout:
            kind, loan_id = line.split()
            (cut.lent if kind == "out" else cut.returned).append(int(loan_id))
            if len(cut.lent) + len(cut.returned) == after:
                child.send_signal(signal.SIGKILL)  # the power cut: no clean-up at all
    finally:
        watchdog.cancel()
        child.kill()
        _, errors = child.communicate()
    assert child.returncode == -signal.SIGKILL, errors[-3000:]
    assert len(cut.lent) + len(cut.returned) >= after, errors[-3000:]
    return cut


def _power_cut(folder: Path, snapshots: Path, durable: dict[str, bytes]) -> int:
    """Put every file back to its last fsync'd content; how many files had a snapshot."""
    synced = {p.name: p for p in snapshots.iterdir() if not p.name.startswith(".")}
    for name in sorted({p.name for p in folder.iterdir()} | set(durable)):
        path = folder / name
        if name.endswith("-shm"):  # memory-mapped, never synced: SQLite rebuilds it
            path.unlink()
            continue
        kept = synced[name].read_bytes() if name in synced else durable.get(name)
        if kept is None:  # made since the last durable state and never synced
            path.unlink(missing_ok=True)
        else:
            path.write_bytes(kept)
    return len(synced)


def _missing(url: str, cut: Cut) -> tuple[list[int], list[int]]:
    """Acknowledged loans not in the database, and acknowledged check-ins not closed."""
    db = Database(url)
    try:
        with db.read() as conn:
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            found = dict(
                conn.execute(
                    select(loans.c.id, loans.c.returned_at).where(
                        loans.c.id.in_(set(cut.lent) | set(cut.returned))
                    )
                ).all()
            )
    finally:
        db.dispose()  # checkpointed and closed: the next trial starts from here
    lost_loans = sorted(i for i in cut.lent if i not in found)
    lost_returns = sorted(i for i in cut.returned if found.get(i) is None)
    return lost_loans, lost_returns
