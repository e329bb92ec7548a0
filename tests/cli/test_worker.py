"""``shelfwise worker``: the background work alone, without a door (issue 14)."""

from __future__ import annotations

import signal
from pathlib import Path

from typer.testing import CliRunner

from shelfwise.app import build
from shelfwise.cli.main import cli
from shelfwise.config import Settings
from shelfwise.testing.processes import running, settings_env

ALERT = {
    "kind": "login_backoff",
    "subject": "sip2-terminal:kiosk-9",
    "terminal": "kiosk-9",
    "ip": "10.8.0.7",
    "count": 5,
    "until": "2026-09-01T09:31:00+00:00",
}


def _alerts(settings: Settings) -> int:
    services = build(settings, migrate_db=False)
    try:
        return len(services.kiosk_alerts.recent())
    finally:
        services.close()


def test_the_worker_delivers_the_outbox_and_stops_on_sigterm(
    database_url: str, tmp_path: Path
) -> None:
    values = {"data_dir": str(tmp_path / "data"), "database_url": database_url}
    settings = Settings.load(values, environ={})
    services = build(settings)
    services.terminals.alert(ALERT)  # an sip2.alert event, waiting in the outbox
    services.close()
    assert _alerts(settings) == 0
    env = settings_env(values)
    with running(["worker"], env, tmp_path / "worker.log", stop=signal.SIGTERM) as worker:
        worker.wait_for(lambda: _alerts(settings) == 1, "kiosk alert delivered by the worker")
    assert worker.process.returncode == 0, worker.tail()  # SIGTERM stops it cleanly
    assert any(line.startswith("Shelfwise worker") for line in worker.lines)


def test_a_worker_with_the_scheduler_off_refuses_to_start(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli,
        ["worker", "--data-dir", str(tmp_path)],
        env={"SHELFWISE_SCHEDULER_ENABLED": "false", "NO_COLOR": "1"},
    )
    assert result.exit_code == 2
    assert "scheduler_enabled is off" in result.output
