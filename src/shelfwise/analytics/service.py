"""Statistics without tracking: counters kept from circulation's acts, read with the k rule.

:meth:`AnalyticsService.handle` is the outbox handler of ``circulation.loan_activity``: one
transaction counts the event once (its id claimed beside the counts) and adds it to a cell
per dimension. :meth:`AnalyticsService.report` answers a :class:`Question` for an actor:
branch-bound staff see their branches only, the network's staff all (the scope rule of
``circulation/scope.py``, the one every staff operation uses), and every cell made by fewer
than k readers is hidden (P17). Page views read counters only: no loan is scanned.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, timedelta

from shelfwise.analytics import repo
from shelfwise.analytics import tallies as acts
from shelfwise.analytics.cells import ActTally, FactTally, Key, Tally, acted_cells, suppress
from shelfwise.analytics.models import (
    DIMENSIONS,
    GROUPINGS,
    KINDS,
    MAX_DAYS,
    TIME_GRAINS,
    AnalyticsPolicy,
    Question,
    Report,
    TallyCell,
)
from shelfwise.catalogue.classes import copies_by_class, main_classes
from shelfwise.circulation.scope import Actor, authorise, limited
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
        ids = self._branch_ids()
        wanted = _scope(ids, question, actor)
        dimension = next((b for b in question.by if b in DIMENSIONS), "all")
        with self._db.read() as conn:
            rows = repo.counters(
                conn, question.kind, dimension, question.since, question.until, wanted
            )
        names = {v: k for k, v in ids.items()}
        tallies: dict[Key, Tally] = {}
        for row in rows:
            key = _key(question.by, row.day, names.get(row.branch_id, "?"), row.value)
            tallies.setdefault(key, Tally()).add(
                int(row.events), (row.marks_0, row.marks_1, row.marks_2, row.marks_3)
            )
        cells = suppress(tallies, self.policy.min_readers)
        return Report(question, self.policy.min_readers, tuple(cells))

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
        with self._db.read() as conn:
            rows = repo.tallies(conn, kinds, since, until, wanted)
        names = {v: k for k, v in ids.items()} | {acts.NETWORK: ""}
        by = ((grain,) if grain else ()) + (("branch",) if by_branch else ()) + ("category",)
        found: dict[str, dict[Key, Tally]] = {}
        amounts: dict[tuple[str, Key], int] = {}
        for row in rows:
            key = _key(by, row.day, names.get(row.branch_id, "?"), row.value)
            kind = str(row.kind)
            tally = found.setdefault(kind, {}).setdefault(key, _tally_of(kind))
            tally.add(int(row.events), (row.marks_0, row.marks_1, row.marks_2, row.marks_3))
            amounts[(kind, key)] = amounts.get((kind, key), 0) + int(row.amount)
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

    def copies_by_class(self, branches: str, *, actor: Actor) -> dict[str, int]:
        """Copies in service per main class at the branches asked (codes, comma-separated;
        "" for every branch the actor may see), for turnover and hold pressure."""
        question = self.question("checkout", "branch", None, None, branches)
        wanted = _scope(self._branch_ids(), question, actor)
        with self._db.read() as conn:
            counted = copies_by_class(conn, wanted)
        out: dict[str, int] = {}
        for (_, cls), n in counted.items():
            out[cls] = out.get(cls, 0) + n
        return out


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


def _key(by: tuple[str, ...], day: date, branch: str, value: str) -> Key:
    period = None
    if "day" in by:
        period = day.isoformat()
    elif "month" in by:
        period = day.strftime("%Y-%m")
    dimension = next((b for b in by if b in DIMENSIONS), None)
    return (period, branch if "branch" in by else None, value if dimension else None)
