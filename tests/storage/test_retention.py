"""The runtime's one retention job: every domain's pruning, the outbox's and the scheduler's
records included (issue 14)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from sqlalchemy import select

from shelfwise.core.clock import FrozenClock
from shelfwise.runtime import RETENTION_JOB, Runtime
from shelfwise.services import Services
from shelfwise.storage.outbox import OutboxRelay, enqueue
from shelfwise.storage.scheduler import Job, Scheduler
from shelfwise.storage.tables import job_runs, outbox


def _events(services: Services) -> list[tuple[int, str]]:
    with services.db.read() as conn:
        rows = conn.execute(select(outbox.c.id, outbox.c.topic).order_by(outbox.c.id))
        return [(int(r.id), str(r.topic)) for r in rows]


def _enqueue(services: Services, *topics: str) -> None:
    with services.db.write() as conn:
        for topic in topics:
            enqueue(conn, services.clock, topic, {"topic": topic})


def _deliver(services: Services, *topics: str) -> int:
    handlers = {topic: (lambda event: None) for topic in topics}
    return OutboxRelay(services.db, services.clock, handlers).drain()


def _detail(services: Services) -> tuple[str | None, str | None]:
    with services.db.read() as conn:
        row = conn.execute(
            select(job_runs.c.outcome, job_runs.c.detail)
            .where(job_runs.c.job == RETENTION_JOB)
            .order_by(job_runs.c.id.desc())
        ).first()
    assert row is not None
    return row.outcome, row.detail


def test_delivered_events_go_after_the_window_and_undelivered_ones_stay(
    services: Services, clock: FrozenClock
) -> None:
    window = timedelta(days=services.settings.outbox_retention_days)
    _enqueue(services, "done", "nobody.handles", "done")  # 1, 2, 3
    assert _deliver(services, "done") == 2
    clock.advance(window - timedelta(minutes=1))
    assert Runtime(services).retention().endswith(", outbox events 0, job runs 0")  # not yet
    clock.advance(timedelta(minutes=2))
    _enqueue(services, "done")  # 4, delivered now: inside the window
    _deliver(services, "done")
    assert "outbox events 1," in Runtime(services).retention()
    # 1 went; 2 was never delivered, and 3 stays above it: the follower's feed keeps every
    # event from the lowest id kept upward (search/source.py feed_floor).
    assert [event_id for event_id, _ in _events(services)] == [2, 3, 4]
    _deliver(services, "nobody.handles")  # 2 delivered at last
    clock.advance(window + timedelta(minutes=1))
    assert "outbox events 2," in Runtime(services).retention()
    # 4 is as old as 2 and 3, but the newest event stays: SQLite would number the next
    # event after the highest id left, and a follower past it would never see it.
    assert [event_id for event_id, _ in _events(services)] == [4]
    _enqueue(services, "done")
    assert [event_id for event_id, _ in _events(services)] == [4, 5]


def test_an_outbox_retention_of_zero_keeps_every_event(
    services: Services, clock: FrozenClock
) -> None:
    keep = dataclasses.replace(services.settings, outbox_retention_days=0)
    _enqueue(services, "done", "done")
    _deliver(services, "done")
    clock.advance(timedelta(days=365))
    assert "outbox events 0," in Runtime(dataclasses.replace(services, settings=keep)).retention()
    assert len(_events(services)) == 2


def test_job_runs_go_after_their_window(services: Services, clock: FrozenClock) -> None:
    scheduler = Scheduler(services.db, clock, [Job("tick", 60, lambda: None)])
    assert scheduler.run_due() == ["tick"]
    clock.advance(timedelta(days=services.settings.job_runs_retention_days, minutes=-2))
    assert scheduler.run_due() == ["tick"]
    clock.advance(timedelta(minutes=3))
    assert Runtime(services).retention().endswith("job runs 1")
    with services.db.read() as conn:
        left = conn.execute(select(job_runs.c.job)).scalars().all()
    assert left == ["tick"]  # the recent run stays


def test_the_hourly_retention_job_runs_every_domains_pruning(
    services: Services, clock: FrozenClock
) -> None:
    runtime = Runtime(services)
    assert RETENTION_JOB in runtime.scheduler().run_due()
    outcome, detail = _detail(services)
    assert outcome == "ok"
    assert detail == (
        "login attempts 0, idempotency keys 0, uploads 0, late-return months 0, space bookings 0, "
        "event registrations 0, counted activity 0, "
        "outbox events 0, job runs 0"
    )


def test_a_failing_pruning_does_not_stop_the_others(
    services: Services, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    _enqueue(services, "done", "done")
    _deliver(services, "done")
    clock.advance(timedelta(days=services.settings.outbox_retention_days, hours=1))

    def broken() -> int:
        raise OSError("disk gone")

    monkeypatch.setattr(services.access, "prune_login_attempts", broken)
    assert RETENTION_JOB in Runtime(services).scheduler().run_due()
    outcome, detail = _detail(services)
    assert outcome == "failed"
    assert detail is not None
    assert "login attempts failed (OSError: disk gone)" in detail
    assert "outbox events 1" in detail  # the next pruning ran all the same
    assert len(_events(services)) == 1
