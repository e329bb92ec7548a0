"""A scheduled job runs once per slot, however many schedulers race for it."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from shelfwise.storage.scheduler import Job, Scheduler
from shelfwise.storage.tables import job_runs


def test_job_runs_once_per_slot_across_schedulers(services: Services, clock: FrozenClock) -> None:
    runs: list[str] = []
    lock = threading.Lock()

    def work() -> str:
        with lock:
            runs.append("x")
        return "done"

    schedulers = [Scheduler(services.db, clock, [Job("nightly", 3600, work)]) for _ in range(4)]
    threads = [threading.Thread(target=s.run_due) for s in schedulers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert runs == ["x"]
    for s in schedulers:
        assert s.run_due() == []
    clock.advance(timedelta(hours=1))
    assert schedulers[0].run_due() == ["nightly"]
    assert runs == ["x", "x"]


def test_failure_is_recorded_and_next_slot_runs(services: Services, clock: FrozenClock) -> None:
    calls = {"n": 0}

    def boom() -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise ValueError("bad day")
        return "fine"

    scheduler = Scheduler(services.db, clock, [Job("j", 60, boom)])
    assert scheduler.run_due() == ["j"]
    clock.advance(timedelta(seconds=60))
    assert scheduler.run_due() == ["j"]
    with services.db.read() as conn:
        outcomes = conn.execute(
            select(job_runs.c.outcome, job_runs.c.detail).order_by(job_runs.c.id)
        ).all()
    assert [o.outcome for o in outcomes] == ["failed", "ok"]
    assert "bad day" in (outcomes[0].detail or "")
