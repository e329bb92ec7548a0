"""Loan rules and branch calendars kept in memory, as of a settings version.

Every checkout and check-in needs the rule matrix and a branch calendar; they change a
few times a year. The process keeps them per version of ``settings_versions``
(storage/settings_version.py): the transaction reads the version beside the branch
it resolves anyway (:mod:`repo_desk`'s one read of a checkout or check-in), and a version
other than the copy's reloads the rules, inside that transaction. Every write to
rules, calendars and branches bumps the version in its own transaction, so an edit
made by this process or another is seen by the next transaction that starts after it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection

from shelfwise.circulation import repo
from shelfwise.circulation.rules import Calendar, LoanRule, RuleMatch, resolve


@dataclass(slots=True)
class LendingSnapshot:
    """The rules and the calendars read so far, all of one version."""

    version: int
    rules: tuple[LoanRule, ...]
    calendars: dict[int, Calendar] = field(default_factory=dict)

    def rule(self, category: str, item_type: str, branch_id: int) -> RuleMatch:
        return resolve(self.rules, category, item_type, branch_id)

    def calendar(self, conn: Connection, branch_id: int) -> Calendar:
        """The branch's calendar, read in ``conn`` the first time this version needs it."""
        found = self.calendars.get(branch_id)
        if found is None:
            found = self.calendars[branch_id] = repo.calendar(conn, branch_id)
        return found


class LendingSettings:
    """The process's copy: replaced whole (an assignment, atomic for threads) when stale."""

    def __init__(self) -> None:
        self._snapshot: LendingSnapshot | None = None

    def at(self, conn: Connection, version: int) -> LendingSnapshot:
        snapshot = self._snapshot
        if snapshot is None or snapshot.version != version:
            snapshot = LendingSnapshot(version, tuple(repo.all_rules(conn)))
            self._snapshot = snapshot
        return snapshot
