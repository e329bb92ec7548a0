"""Statistics without tracking: counters kept from circulation's acts, read with the k rule.

:meth:`AnalyticsService.handle` is the outbox handler of ``circulation.loan_activity``: one
transaction counts the event once (its id claimed beside the counts) and adds it to a cell
per dimension. :meth:`AnalyticsService.report` answers a :class:`Question` for an actor:
branch-bound staff see their branches only, the network's staff all (the scope rule of
``circulation/scope.py``, the one every staff operation uses), and every cell made by fewer
than k readers is hidden (P17). Page views read counters only: no loan is scanned.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from datetime import UTC, date, timedelta
from typing import Any

from shelfwise.analytics import repo
from shelfwise.analytics import stock as stocktaking
from shelfwise.analytics import tallies as acts
from shelfwise.analytics.cells import ActTally, FactTally, Key, Tally, acted_cells, suppress
from shelfwise.analytics.models import (
    DIMENSIONS,
    GROUPINGS,
    KINDS,
    MAX_DAYS,
    TIME_GRAINS,
    AnalyticsPolicy,
    IdleCopy,
    Question,
    Report,
    Stocked,
    TallyCell,
    Wanted,
)
from shelfwise.catalogue.classes import copy_labels, items_in_service, main_classes, record_titles
from shelfwise.circulation.scope import Actor, authorise, limited
from shelfwise.circulation.stock_facts import last_loan_days, waiting_holds
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event


class AnalyticsService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        policy: AnalyticsPolicy,
        branch_ids: Callable[[], Mapping[str, int]],
    ) -> None:
        self._db = db
        self._clock = clock
        self.policy = policy
        self._branch_ids = branch_ids  # code -> id, the catalogue's branches

    # --- keeping the counters ------------------------------------------------------------

    def handle(self, event: Event) -> None:
        """Count one act (idempotent: a redelivered event is counted once)."""
        act = event.payload
        with self._db.write() as conn:
            if not repo.claim(conn, event.id, self._clock.now()):
                return
            record_id = int(act["record_id"])
            main = main_classes(conn, [record_id])[record_id]
            repo.add(conn, acted_cells(act, main))

    def handle_tally(self, event: Event) -> None:
        """Count one act of another domain (wishes, visits, story views, events, kiosks):
        idempotent like :meth:`handle`."""
        ids = self._branch_ids()

        def branch_of(code: str | None) -> int:
            return acts.NETWORK if code is None else ids[code]

        rows = acts.rows_of(event.topic, event.payload, branch_of)
        with self._db.write() as conn:
            if repo.claim(conn, event.id, self._clock.now()):
                repo.add_tallies(conn, rows)

    def load_counters(
        self, activity: Iterable[dict[str, Any]], tallies: Iterable[dict[str, Any]]
    ) -> int:
        """Add counter rows made elsewhere — a benchmark's or a demo's generated year, never
        a door — in batches (upserts: rows add to what is there); how many rows."""
        done = 0
        for add, rows in ((repo.add, activity), (repo.add_tallies, tallies)):
            batch: list[dict[str, Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) == 2000:
                    with self._db.write() as conn:
                        add(conn, batch)
                    done, batch = done + len(batch), []
            if batch:
                with self._db.write() as conn:
                    add(conn, batch)
                done += len(batch)
        return done

    def forget_applied(self, days: int) -> int:
        """Retention: counted event ids older than ``days`` (the outbox keeps delivered
        events that long, so none of them can come again); 0 or less keeps them all, as
        the outbox then keeps its events."""
        if days <= 0:
            return 0
        with self._db.write() as conn:
            return repo.forget_applied(conn, self._clock.now() - timedelta(days=days))

    # --- answering -----------------------------------------------------------------------

    def question(
        self,
        kind: str,
        by: str,
        since: date | None,
        until: date | None,
        branches: str | None = None,
    ) -> Question:
        """A question from a door's words (``by="day,branch"``), refused clearly when wrong."""
        if kind not in KINDS:
            raise ShelfwiseError("analytics.bad_kind", kind=kind, allowed=", ".join(KINDS))
        asked = tuple(b.strip() for b in by.split(",") if b.strip())
        wrong = [b for b in asked if b not in GROUPINGS]
        if wrong or len(set(asked)) != len(asked) or not asked:
            raise ShelfwiseError("analytics.bad_grouping", by=by, allowed=", ".join(GROUPINGS))
        if sum(b in TIME_GRAINS for b in asked) > 1 or sum(b in DIMENSIONS for b in asked) > 1:
            raise ShelfwiseError("analytics.bad_grouping", by=by, allowed=", ".join(GROUPINGS))
        until = until or self._clock.today()
        since = since or until - timedelta(days=29)
        if since > until or (until - since).days >= MAX_DAYS:
            raise ShelfwiseError(
                "analytics.bad_period", since=since.isoformat(), until=until.isoformat()
            )
        codes = tuple(sorted({c.strip() for c in (branches or "").split(",") if c.strip()}))
        return Question(kind, asked, since, until, codes)

    def report(self, question: Question, *, actor: Actor) -> Report:
        """The counts, limited to the actor's branches, hidden below k readers (P17)."""
        dimension = next((b for b in question.by if b in DIMENSIONS), "all")
        grain = next((b for b in question.by if b in TIME_GRAINS), None)
        by_branch = "branch" in question.by
        rows, names = self._grouped(question, actor, dimension, grain, by_branch)
        tallies: dict[Key, Tally] = {}
        for row in rows:
            period = None if grain is None else str(row.period)[: 10 if grain == "day" else 7]
            key = (
                period,
                names.get(row.branch_id, "?") if by_branch else None,
                row.value if dimension != "all" else None,
            )
            tallies.setdefault(key, Tally()).add(int(row.events), _words(row))
        cells = suppress(tallies, self.policy.min_readers)
        return Report(question, self.policy.min_readers, tuple(cells))

    def two_ways(
        self,
        kind: str,
        dimension: str,
        *,
        since: date,
        until: date,
        branches: str,
        actor: Actor,
    ) -> tuple[Report, Report]:
        """One act's counts over the days by ``dimension`` and by branch from one read: the
        counters by branch and value, rolled up each way here (counts added, mark sets ORed;
        an act is in exactly one value of a dimension, so a branch's values make up its acts
        and its readers), each way hidden below k on its own (P17) — the same two reports as
        asking by ``dimension`` and by ``branch``, for half the reading."""
        question = self.question(kind, f"branch,{dimension}", since, until, branches)
        rows, names = self._grouped(question, actor, dimension, None, True)
        by_value: dict[Key, Tally] = {}
        by_branch: dict[Key, Tally] = {}
        for row in rows:
            words = _words(row)
            by_value.setdefault((None, None, row.value), Tally()).add(int(row.events), words)
            branch = names.get(row.branch_id, "?")
            by_branch.setdefault((None, branch, None), Tally()).add(int(row.events), words)
        k = self.policy.min_readers
        return (
            Report(replace(question, by=(dimension,)), k, tuple(suppress(by_value, k))),
            Report(replace(question, by=("branch",)), k, tuple(suppress(by_branch, k))),
        )

    def _grouped(
        self, question: Question, actor: Actor, dimension: str, grain: str | None, by_branch: bool
    ) -> tuple[list[Any], dict[int, str]]:
        """The loan counters a question reads, rolled up by the database, and branch names."""
        ids = self._branch_ids()
        wanted = _scope(ids, question, actor)
        with self._db.read() as conn:
            rows = repo.counters_grouped(
                conn,
                question.kind,
                dimension,
                question.since,
                question.until,
                wanted,
                grain,
                by_branch,
            )
        return rows, {v: k for k, v in ids.items()}

    def tallies(
        self,
        kinds: tuple[str, ...],
        *,
        since: date,
        until: date,
        branches: str,
        actor: Actor,
        grain: str | None = None,
        by_branch: bool = False,
    ) -> tuple[TallyCell, ...]:
        """The counters of ``kinds`` by value (and by ``grain`` "day"/"month", by branch),
        limited to the actor's branches — the network's own counts only to the network's
        staff asking for every branch — and hidden below k (P17): marks for wishes, the count
        itself for acts that name nobody, each kind its own breakdown."""
        question = self.question("checkout", "branch", since, until, branches)
        ids = self._branch_ids()
        wanted = _scope(ids, question, actor)
        marked = tuple(k for k in kinds if k in acts.MARKED)
        counted = tuple(k for k in kinds if k not in acts.MARKED)
        rows: list[Any] = []
        with self._db.read() as conn:
            for some, marks in ((marked, True), (counted, False)):
                if some:
                    rows += repo.tallies_grouped(
                        conn,
                        some,
                        since,
                        until,
                        wanted,
                        grain=grain,
                        by_branch=by_branch,
                        marks=marks,
                    )
        names = {v: k for k, v in ids.items()} | {acts.NETWORK: ""}
        found, amounts = _gather(rows, names, grain, by_branch)
        out: list[TallyCell] = []
        for kind in kinds:
            for cell in suppress(found.get(kind, {}), self.policy.min_readers):
                key = (cell.period, cell.branch, cell.value)
                hidden = cell.events is None
                out.append(
                    TallyCell(
                        kind,
                        cell.period,
                        cell.branch,
                        str(cell.value),
                        cell.events,
                        None if hidden else amounts[(kind, key)],
                    )
                )
        return tuple(out)

    def tally_total(
        self, kind: str, *, since: date, until: date, branches: str, actor: Actor
    ) -> int | None:
        """One counted kind's total over the days at the branches (a visit count for the
        big screen): None when fewer than k acts make it (P17)."""
        if kind not in acts.COUNTED:
            raise ValueError(f"{kind!r} keeps reader marks: ask tallies()")
        wanted = self._scope_of(branches, actor)
        with self._db.read() as conn:
            rows = repo.tallies_grouped(conn, (kind,), since, until, wanted)
        total = sum(int(r.events) for r in rows)
        return total if total >= self.policy.min_readers else None

    # --- the collection's stock (hourly job; page views read what it kept) ----------------

    def take_stock(self) -> str:
        """The ``analytics.stock`` job: copies per branch, class and idle years, the
        longest-idle copies and the titles most wanted, from the catalogue's and
        circulation's published reads in one read, kept in one write."""
        today, now = self._clock.today(), self._clock.now()
        with self._db.read() as conn:
            copies = items_in_service(conn)
            classes = main_classes(conn, {record for _, _, record in copies})
            last = last_loan_days(conn, self._clock.zone)
            holds = waiting_holds(conn)
        taken = stocktaking.take(copies, classes, last, holds, today, now)
        with self._db.write() as conn:
            repo.replace_stock(conn, taken.counts, taken.idle, taken.wanted, now)
        return f"copies {len(copies)}, idle kept {len(taken.idle)}, titles {len(taken.wanted)}"

    def stock(self, branches: str, *, actor: Actor) -> Stocked:
        """Copies per (branch code, main class, idle years) as the last stock left them."""
        wanted = self._scope_of(branches, actor)
        names = {v: k for k, v in self._branch_ids().items()}
        with self._db.read() as conn:
            rows = repo.stock(conn, wanted)
        counts = {
            (names.get(r.branch_id, "?"), str(r.main_class), int(r.idle_years)): int(r.copies)
            for r in rows
        }
        taken = max((r.taken_at for r in rows), default=None)
        if taken is not None and taken.tzinfo is None:  # SQLite hands back naive UTC
            taken = taken.replace(tzinfo=UTC)
        return Stocked(counts, taken)

    def copies_by_class(self, branches: str, *, actor: Actor) -> dict[str, int]:
        """Copies in service per main class at the branches asked (codes, comma-separated;
        "" for every branch the actor may see), as the last stock counted them."""
        out: dict[str, int] = {}
        for (_, cls, _), n in self.stock(branches, actor=actor).counts.items():
            out[cls] = out.get(cls, 0) + n
        return out

    def idle_copies(
        self, branches: str, *, actor: Actor, years: int, limit: int = 100
    ) -> list[IdleCopy]:
        """The longest-idle copies the last stock kept: never lent, or not for ``years``."""
        wanted = self._scope_of(branches, actor)
        names = {v: k for k, v in self._branch_ids().items()}
        before = self._clock.today() - timedelta(days=365 * years)
        with self._db.read() as conn:
            rows = repo.idle_copies(conn, wanted, before, limit)
            labels = copy_labels(conn, [int(r.item_id) for r in rows])
        return [
            IdleCopy(labels[int(r.item_id)], names.get(r.branch_id, "?"), r.main_class, r.last_loan)
            for r in rows
            if int(r.item_id) in labels
        ]

    def wanted_titles(self, branches: str, *, actor: Actor, limit: int = 20) -> list[Wanted]:
        """Titles with the most holds waiting per copy; a title with holds of fewer than k
        readers is left out (P17: each hold is one reader's)."""
        scope = self._scope_of(branches, actor)
        with self._db.read() as conn:
            rows = [r for r in repo.wanted(conn, scope) if int(r.holds) >= self.policy.min_readers]
            titles = record_titles(conn, [int(r.record_id) for r in rows])
        found = [
            Wanted(int(r.record_id), titles.get(int(r.record_id), "?"), int(r.holds), int(r.copies))
            for r in rows
        ]
        found.sort(key=lambda w: (-w.holds / max(w.copies, 1), -w.holds, w.record_id))
        return found[:limit]

    def _scope_of(self, branches: str, actor: Actor) -> set[int] | None:
        question = self.question("checkout", "branch", None, None, branches)
        return _scope(self._branch_ids(), question, actor)


def _gather(
    rows: list[Any], names: Mapping[int, str], grain: str | None, by_branch: bool
) -> tuple[dict[str, dict[Key, Tally]], dict[tuple[str, Key], int]]:
    """Counter rows the database rolled up (one per kind and key) into tallies per kind and
    key, with their amounts; rows of marked kinds carry their ORed mark sets."""
    found: dict[str, dict[Key, Tally]] = {}
    amounts: dict[tuple[str, Key], int] = {}
    for row in rows:
        cols = row._mapping
        period = None if grain is None else str(cols["period"])[: 10 if grain == "day" else 7]
        branch = names.get(cols["branch_id"], "?") if by_branch else None
        key = (period, branch, str(cols["value"]))
        kind = str(cols["kind"])
        words = _words(row)  # none for the kinds that keep no marks
        tally = found.setdefault(kind, {}).setdefault(key, _tally_of(kind))
        tally.add(int(cols["events"]), words)
        amounts[(kind, key)] = amounts.get((kind, key), 0) + int(cols["amount"])
    return found, amounts


def _words(row: Any) -> tuple[int, ...]:
    """A rolled-up row's reader-mark set, as its words."""
    return tuple(v for k, v in row._mapping.items() if k.startswith("marks_"))


def _tally_of(kind: str) -> Tally:
    if kind in acts.FACTS:
        return FactTally()
    return ActTally() if kind in acts.COUNTED else Tally()


def _scope(ids: Mapping[str, int], question: Question, actor: Actor) -> set[int] | None:
    """The branch ids a question covers for this actor (None: every branch): the branches
    asked, which must be the actor's, or else all of the actor's."""
    if actor.kind not in ("staff", "system"):
        raise ShelfwiseError("access.not_yours")
    for code in question.branches:
        if code not in ids:
            raise ShelfwiseError("catalogue.branch_not_found", branch=code)
    authorise(actor, at=question.branches)
    codes = question.branches or (actor.branches if limited(actor) else ())
    return {ids[c] for c in codes if c in ids} if codes else None
