"""A ``shelfwise`` command in a subprocess, as an operator runs it, for the process tests.

The command gets its settings from ``SHELFWISE_*`` variables (as in production) and is
stopped with SIGINT (Ctrl-C) or SIGTERM; waits are polls against a deadline, so a slow
machine only makes a test slower, and a process that dies fails the wait at once with
its log.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

DEADLINE_SECONDS = 120.0  # a bound for a loaded machine, never a measured time


@dataclass
class Command:
    """A running command: its process, what it printed so far and its log file."""

    process: subprocess.Popen[str]
    log: Path
    lines: list[str] = field(default_factory=list)
    printed: threading.Event = field(default_factory=threading.Event)

    def wait_for(self, condition: Callable[[], bool], what: str) -> None:
        """Poll ``condition`` until it holds; fail if the command exits or the deadline passes."""
        deadline = time.monotonic() + DEADLINE_SECONDS
        while not condition():
            if self.process.poll() is not None:
                raise AssertionError(f"exited ({self.process.returncode}): {self.tail()}")
            if time.monotonic() > deadline:
                raise AssertionError(f"no {what} by the deadline; log: {self.tail()}")
            time.sleep(0.05)  # a poll interval, not a wait for the outcome

    def line_starting(self, prefix: str) -> str:
        """The first line printed that starts with ``prefix`` (waited for)."""
        self.wait_for(lambda: any(x.startswith(prefix) for x in self.lines), repr(prefix))
        return next(x for x in self.lines if x.startswith(prefix))

    def tail(self) -> str:
        return self.log.read_text("utf-8", errors="replace")[-3000:]


def settings_env(values: Mapping[str, str]) -> dict[str, str]:
    """This environment without its ``SHELFWISE_*`` variables, plus ``values`` as such."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("SHELFWISE_")}
    env.update({f"SHELFWISE_{k.upper()}": v for k, v in values.items()})
    env.update({"NO_COLOR": "1", "COLUMNS": "200"})
    return env


@contextmanager
def running(
    args: list[str], env: Mapping[str, str], log: Path, *, stop: int = signal.SIGINT
) -> Iterator[Command]:
    """``python -m shelfwise ARGS`` for the block; stopped with ``stop`` at its end."""
    with log.open("w") as stderr:
        process = subprocess.Popen(
            [sys.executable, "-m", "shelfwise", *args],
            env=dict(env),
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    command = Command(process, log)

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            command.lines.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield command
    finally:
        process.send_signal(stop)
        try:
            process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        reader.join(timeout=10)
        if process.stdout is not None:
            process.stdout.close()
