"""Backoff for failed 93 logins, per source address and per terminal name, across connections (S-3).

One connection closes after three failed logins (``session.MAX_FAILED_LOGINS``);
this is the part that outlives the connection. After ``failures`` failed logins
from one address, or against one terminal account, further logins from that
address (or to that account) are refused without checking the password — so an
attacker can neither keep guessing nor keep the server hashing — for
``seconds``, then twice as long after the next run of failures, and so on up to
``max_seconds``. A successful login clears the address's and the account's
counts. Other addresses and other accounts are not affected.

The counts live in the shared ``login_attempts`` table through the access
domain's :class:`~shelfwise.access.lockout.Lockout` (subjects
``sip2-ip:<address>`` and ``sip2-terminal:<name>``), so they survive a restart
and are shared by every server process. Failures against an account count only
when they come from an address the account may log in from (its ``networks``),
and only for accounts that exist: a stranger elsewhere cannot lock a kiosk out
by guessing its name, nor fill the table with invented names.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from shelfwise.access.lockout import Lockout

log = logging.getLogger("shelfwise.sip2")

_ENOUGH = 1 << 30  # a limit never reached: the lock counter of a subject only counts


@dataclass(frozen=True, slots=True)
class Locked:
    subject: str
    until: datetime


class LoginBackoff:
    def __init__(self, lockout: Lockout, *, failures: int, seconds: int, max_seconds: int) -> None:
        self._lockout = lockout
        self.failures = failures
        self.seconds = seconds
        self.max_seconds = max(max_seconds, seconds)

    @staticmethod
    def subjects(address: str, terminal: str | None) -> list[str]:
        subjects = [f"sip2-ip:{address}"]
        if terminal:
            subjects.append(f"sip2-terminal:{terminal}")
        return subjects

    def refused(self, address: str, terminal: str | None) -> Locked | None:
        """The lock that refuses a login from ``address`` to ``terminal`` now, if any."""
        if self.failures <= 0:
            return None
        for subject in self.subjects(address, terminal):
            until = self._lockout.locked_until(subject)
            if until is not None:
                return Locked(subject, until)
        return None

    def failed(self, address: str, terminal: str | None) -> tuple[int, list[Locked]]:
        """Count a failed login (``terminal`` None: not against an account).

        Returns the failures counted for the address so far (``failures`` when this one
        started its lock) and the locks this failure started.
        """
        if self.failures <= 0:
            return 0, []
        started: list[Locked] = []
        for subject in self.subjects(address, terminal):
            strikes = self._lockout.failures(subject + "#locks")
            seconds = min(self.seconds * 2 ** min(strikes, 30), self.max_seconds)
            until = self._lockout.fail(subject, limit=self.failures, seconds=seconds)
            if until is not None:
                self._lockout.fail(subject + "#locks", limit=_ENOUGH, seconds=0)
                started.append(Locked(subject, until))
        ip = self.subjects(address, None)[0]
        if any(lock.subject == ip for lock in started):
            return self.failures, started
        return self._lockout.failures(ip), started

    def succeeded(self, address: str, terminal: str) -> None:
        """A right login clears the counts (read first: most logins have nothing to clear)."""
        if self.failures <= 0:
            return
        for subject in self.subjects(address, terminal):
            for key in (subject, subject + "#locks"):
                if self._lockout.failures(key):
                    self._lockout.succeed(key)
