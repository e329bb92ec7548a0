"""Periodic jobs that never run twice, however many app processes are up.

Each job has an interval; time is cut into slots of that length, and before a
process runs a job it inserts ``(job, slot)`` into ``job_runs``. The unique key
makes exactly one insert win across all processes and restarts, so a job runs
at most once per slot; a slot missed while every process was down is simply
skipped (jobs are written to catch up on their own, e.g. "all overdue loans",
not "loans that became overdue in the last hour").
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from shelfwise.core.clock import Clock
from shelfwise.core.metrics import JOB_RUNS
from shelfwise.storage.database import Database
from shelfwise.storage.tables import job_runs

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    interval_seconds: int
    run: Callable[[], str | None]


class Scheduler:
    def __init__(
        self, db: Database, clock: Clock, jobs: list[Job], *, owner: str | None = None
    ) -> None:
        names = [j.name for j in jobs]
        if len(set(names)) != len(names):
            raise ValueError(f"duplicate job names in {names}")
        self._db = db
        self._clock = clock
        self._jobs = jobs
        self.owner = owner or uuid.uuid4().hex[:16]
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _claim(self, job: Job, slot: int) -> int | None:
        try:
            with self._db.write() as conn:
                result = conn.execute(
                    insert(job_runs)
                    .values(job=job.name, slot=slot, owner=self.owner, started_at=self._clock.now())
                    .returning(job_runs.c.id)
                )
                return int(result.scalar_one())
        except IntegrityError:
            return None  # another process (or an earlier run of ours) has this slot

    def run_due(self) -> list[str]:
        """Run every job whose current slot is unclaimed; returns the names that ran here."""
        ran: list[str] = []
        epoch = int(self._clock.now().timestamp())
        for job in self._jobs:
            slot = epoch // job.interval_seconds
            run_id = self._claim(job, slot)
            if run_id is None:
                continue
            outcome, detail = "ok", None
            try:
                detail = job.run()
            except Exception as exc:  # recorded, and the next slot runs again
                log.exception("scheduled job %s failed", job.name)
                outcome, detail = "failed", f"{type(exc).__name__}: {exc}"
            JOB_RUNS.labels(job.name, outcome).inc()
            with self._db.write() as conn:
                conn.execute(
                    update(job_runs)
                    .where(job_runs.c.id == run_id)
                    .values(finished_at=self._clock.now(), outcome=outcome, detail=detail)
                )
            ran.append(job.name)
        return ran

    def start(self, tick_seconds: float = 1.0) -> None:
        if self._thread is not None:
            return

        def loop() -> None:
            while not self._stop.wait(tick_seconds):
                try:
                    self.run_due()
                except Exception:  # the loop must outlive a database hiccup
                    log.exception("scheduler tick failed")

        self._thread = threading.Thread(target=loop, name="shelfwise-scheduler", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None


def prune_runs(db: Database, before: datetime, *, chunk: int = 5000) -> int:
    """Delete the record of job runs started before ``before``; returns how many went.
    A slot is claimed only while it is current, so a past slot's row guards nothing."""
    gone = 0
    while True:
        with db.write() as conn:
            ids = (
                conn.execute(
                    select(job_runs.c.id)
                    .where(job_runs.c.started_at < before)
                    .order_by(job_runs.c.id)
                    .limit(chunk)
                )
                .scalars()
                .all()
            )
            if ids:
                conn.execute(delete(job_runs).where(job_runs.c.id.in_(ids)))
        gone += len(ids)
        if len(ids) < chunk:
            return gone
