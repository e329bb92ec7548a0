"""What every connection of one SIP2 server shares: the sessions open per terminal
account (S-9) and the checkouts each terminal made in the last seconds (S-8).

In memory, one of each per :class:`~shelfwise.sip2.server.Server`, locked because the
sessions run on worker threads.
"""

from __future__ import annotations

import threading
from datetime import datetime, timedelta

from shelfwise.core.clock import Clock


class TerminalSlots:
    """Sessions per terminal account (S-9), shared by every connection of a server."""

    def __init__(self, per_terminal: int) -> None:
        self.per_terminal = per_terminal
        self._open: dict[int, int] = {}
        self._lock = threading.Lock()

    def acquire(self, terminal_id: int) -> bool:
        with self._lock:
            if self._open.get(terminal_id, 0) >= self.per_terminal:
                return False
            self._open[terminal_id] = self._open.get(terminal_id, 0) + 1
            return True

    def release(self, terminal_id: int) -> None:
        with self._lock:
            self._open[terminal_id] = max(self._open.get(terminal_id, 1) - 1, 0)


class RecentCheckouts:
    """Checkouts each terminal made in the last ``window`` seconds, per server (S-8).

    A kiosk that cannot finish a checkout (the security strip would not desensitise,
    the reader walked away) sends a check-in of the same item seconds later to take
    it back. Such a check-in undoes the loan instead of returning the copy
    (:meth:`CirculationService.take_back`), so it does not trap the copy for another
    reader's hold (S-8; Evergreen bug #1503903). In memory: a restart forgets it, and after the
    window the check-in is an ordinary one. ``window`` 0 turns it off.
    """

    def __init__(self, window: float, clock: Clock) -> None:
        self.window = timedelta(seconds=window)
        self._clock = clock
        self._loans: dict[tuple[int, str], tuple[int, datetime]] = {}
        self._lock = threading.Lock()

    def record(self, terminal_id: int, barcode: str, loan_id: int) -> None:
        if not self.window:
            return
        with self._lock:
            now = self._clock.now()
            if len(self._loans) > 1000:
                self._loans = {k: v for k, v in self._loans.items() if now - v[1] <= self.window}
            self._loans[(terminal_id, barcode)] = (loan_id, now)

    def take(self, terminal_id: int, barcode: str) -> int | None:
        """The loan this terminal made of ``barcode`` within the window, forgotten now."""
        with self._lock:
            entry = self._loans.pop((terminal_id, barcode), None)
        if entry is None or self._clock.now() - entry[1] > self.window:
            return None
        return entry[0]
