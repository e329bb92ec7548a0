"""``shelfwise serve``'s HTTP worker processes (issue 15 item 5): how many, and what each
worker's app is — the persisted keys, no background work of its own, frozen after build."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.services import Services
from shelfwise.text import engines


def test_two_workers_on_two_cores_one_on_one_and_the_flag_wins(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert composition.http_workers() == 2
    assert composition.http_workers(0) == 2
    assert composition.http_workers(3) == 3
    monkeypatch.setattr(os, "cpu_count", lambda: 1)
    assert composition.http_workers() == 1
    monkeypatch.setattr(os, "cpu_count", lambda: None)
    assert composition.http_workers() == 1


def test_a_worker_uses_the_persisted_keys_runs_no_background_work_and_is_frozen(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # What serve hands its workers: its settings as SHELFWISE_* variables.
    monkeypatch.setenv("SHELFWISE_DATA_DIR", str(services.settings.data_dir))
    monkeypatch.setenv("SHELFWISE_DATABASE_URL", services.settings.resolved_database_url)
    monkeypatch.setenv("SHELFWISE_PASSWORD_HASH_TIME_COST", "1")
    monkeypatch.setenv("SHELFWISE_PASSWORD_HASH_MEMORY_KIB", "8192")
    # What was loaded when the worker froze its objects: the warm-up must come first.
    for lazy in (engines._RJIEBA, engines._OPENCC):
        monkeypatch.setattr(lazy, "_value", None)  # as in a fresh worker process
    loaded_at_freeze: list[bool] = []
    freeze = gc.freeze

    def observed_freeze() -> None:
        loaded_at_freeze.extend(lazy.loaded for lazy in (engines._RJIEBA, engines._OPENCC))
        freeze()

    monkeypatch.setattr(gc, "freeze", observed_freeze)
    gc.unfreeze()
    try:
        app = composition.http_worker()
        assert gc.get_freeze_count() > 0
    finally:
        gc.unfreeze()
    assert loaded_at_freeze == [True, True]  # the segmenter and OpenCC, then frozen
    worker = app.state.services
    try:
        # The keys the first process made and kept in the data folder, not new random ones:
        # a page one worker signed is accepted by the other.
        assert worker.keys == services.keys
        assert worker.keys.web
        assert worker.settings.scheduler_enabled is False
        with TestClient(app) as client:  # runs the lifespan: a worker starts no scheduler
            answer = client.get("/api/v1/health")
            assert answer.json() == {
                "status": "ok",
                "version": answer.json()["version"],
                "database": services.db.dialect,
            }
            assert worker.search._thread is None  # no search follower in a worker
    finally:
        worker.close()
