"""Branch calendars as the staff edit them: closed weekdays and dates, opening hours."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from sqlalchemy import Connection

from shelfwise.circulation import repo, repo_rules
from shelfwise.circulation.rules import Calendar, Hours, ordered_spans
from shelfwise.circulation.scope import Actor, authorise
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database


class CalendarService:
    def __init__(self, db: Database, clock: Clock) -> None:
        self._db = db
        self._clock = clock

    def calendar(self, branch: str) -> Calendar:
        with self._db.read() as conn:
            return repo.calendar(conn, repo.branch_id(conn, branch))

    def set_calendar(
        self,
        branch: str,
        *,
        closed_weekdays: list[int],
        closed_days: list[date],
        actor: Actor,
        reason: str = "",
        weekly_hours: Mapping[int, Iterable[Hours]] | None = None,
        special_hours: Mapping[date, Iterable[Hours]] | None = None,
    ) -> Calendar:
        """Replace a branch's closures (weekly closed days and single closed dates) and, when
        given, its opening hours (weekday 0 = Monday; dates whose hours differ), at once."""
        authorise(actor, at=[branch])
        if any(not 0 <= d <= 6 for d in closed_weekdays) or len(set(closed_weekdays)) == 7:
            raise ShelfwiseError("circ.calendar_invalid")
        with self._db.write() as conn:
            branch_id = repo.branch_id(conn, branch)
            rows: list[dict[str, Any]] = [
                {"branch_id": branch_id, "weekday": d, "day": None, "reason": reason}
                for d in sorted(set(closed_weekdays))
            ]
            rows += [
                {"branch_id": branch_id, "weekday": None, "day": d, "reason": reason}
                for d in sorted(set(closed_days))
            ]
            repo_rules.replace_closures(conn, branch_id, rows)
            if weekly_hours is not None or special_hours is not None:
                self._replace_hours(conn, branch_id, weekly_hours or {}, special_hours or {})
            return self._checked(repo.calendar(conn, branch_id))

    def set_hours(
        self,
        branch: str,
        *,
        weekly_hours: Mapping[int, Iterable[Hours]],
        special_hours: Mapping[date, Iterable[Hours]],
        actor: Actor,
    ) -> Calendar:
        """Replace a branch's opening hours; its closed days stay as they are."""
        authorise(actor, at=[branch])
        with self._db.write() as conn:
            branch_id = repo.branch_id(conn, branch)
            self._replace_hours(conn, branch_id, weekly_hours, special_hours)
            return self._checked(repo.calendar(conn, branch_id))

    def _replace_hours(
        self,
        conn: Connection,
        branch_id: int,
        weekly: Mapping[int, Iterable[Hours]],
        special: Mapping[date, Iterable[Hours]],
    ) -> None:
        if any(not 0 <= d <= 6 for d in weekly):
            raise ShelfwiseError("circ.hours_invalid", detail="weekday outside 0-6")
        keyed: list[tuple[int | None, date | None, Iterable[Hours]]] = [
            (d, None, h) for d, h in weekly.items()
        ]
        keyed += [(None, d, h) for d, h in special.items()]
        try:
            rows = [
                {
                    "branch_id": branch_id,
                    "weekday": weekday,
                    "day": day,
                    "opens_minute": h.opens,
                    "closes_minute": h.closes,
                }
                for weekday, day, hours in keyed
                for h in ordered_spans(hours)
            ]
        except ValueError as exc:
            raise ShelfwiseError("circ.hours_invalid", detail=str(exc)) from None
        repo_rules.replace_hours(conn, branch_id, rows)

    @staticmethod
    def _checked(calendar: Calendar) -> Calendar:
        """Refuse (rolling back) hours on a closed weekday or a closed date: say one thing."""
        clash = sorted(set(calendar.weekly_hours) & calendar.closed_weekdays)
        days = sorted(set(calendar.special_hours) & calendar.closed_days)
        if clash or days:
            where = ", ".join([f"weekday {d + 1}" for d in clash] + [d.isoformat() for d in days])
            raise ShelfwiseError("circ.hours_invalid", detail=f"hours on a closed day: {where}")
        return calendar
