"""Recommendations with consent (P11): what the recommend domain learns, trains and answers.

* :meth:`RecommendService.handle` is the outbox handler of ``circulation.borrowed``, the
  event circulation writes at a checkout only while the reader consents; it checks the
  consent again (a withdrawal may have come between) and keeps the reader–record pair.
* :meth:`RecommendService.train` (the scheduler's ``recommend.train``) first forgets the
  borrowings of readers who no longer consent, then counts co-borrowing pairs (k or more
  readers) and fits the ALS model over what is left.
* "For you" (:meth:`for_you`) is answered only while the reader consents, read at every
  request, so it goes the moment they withdraw. "Also borrowed" and the suggestions for
  everyone (:mod:`shelfwise.recommend.everyone`) carry no reader.

Every suggestion says why (:class:`~shelfwise.recommend.models.Suggestion`), and none is a
record the reader has on loan or has borrowed.
"""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from datetime import date
from importlib.metadata import version

import numpy as np
import numpy.typing as npt
from sqlalchemy import Connection

from shelfwise.circulation.service import CirculationService
from shelfwise.core.clock import Clock
from shelfwise.readers.reading import reader_by_id, reader_id_of, reader_if_present
from shelfwise.readers.reading import recommendation_consents as consenting
from shelfwise.recommend import repo, training
from shelfwise.recommend.everyone import Everyone
from shelfwise.recommend.models import (
    ALSO_BORROWED,
    BECAUSE_YOU_BORROWED,
    ForReader,
    RecommendPolicy,
    Suggestion,
    Training,
)
from shelfwise.storage.database import Database
from shelfwise.storage.outbox import Event


class _Model:
    """One trained model's record factors, kept in the process until a newer one exists."""

    def __init__(self, model_id: int, vectors: list[tuple[int, bytes]], factors: int) -> None:
        self.id = model_id
        self.records = np.array([r for r, _ in vectors], dtype=np.int64)
        flat = b"".join(v for _, v in vectors)
        self.y = np.frombuffer(flat, dtype=np.float32).reshape(len(vectors), factors)
        self.yty = (self.y.T @ self.y).astype(np.float32)
        self.column = {int(r): i for i, r in enumerate(self.records)}


class RecommendService:
    def __init__(
        self,
        db: Database,
        clock: Clock,
        policy: RecommendPolicy,
        circulation: CirculationService,
        everyone: Everyone,
    ) -> None:
        self._db = db
        self._clock = clock
        self.policy = policy
        self._circulation = circulation
        self._everyone = everyone
        self._model: _Model | None = None
        self._lock = threading.Lock()

    # --- what the domain learns ----------------------------------------------------------

    def handle(self, event: Event) -> None:
        """Keep a consenting reader's borrowing (idempotent: the pair is the key)."""
        payload = event.payload
        with self._db.write() as conn:
            reader = reader_if_present(conn, int(payload["reader_id"]))
            if reader is None or not reader.recommend_opt_in:
                return  # withdrawn (or erased) since the checkout: nothing is kept
            day = date.fromisoformat(str(payload["day"]))
            repo.add_borrowing(conn, reader.id, int(payload["record_id"]), day)

    # --- training ------------------------------------------------------------------------

    def forget_withdrawn(self) -> int:
        """Delete the borrowings of readers who no longer consent; how many went."""
        with self._db.write() as conn:
            kept = repo.borrower_ids(conn)
            return repo.forget_readers(conn, set(kept) - consenting(conn, kept))

    def training_input(self) -> training.Matrix:
        """The reader–record matrix a training reads: consenting readers' borrowings."""
        parts: list[npt.NDArray[np.int64]] = []
        with self._db.read() as conn:
            for part in repo.all_borrowings(conn):
                parts.append(np.array(part, dtype=np.int64).reshape(-1, 2))
        pairs = np.concatenate(parts) if parts else np.zeros((0, 2), np.int64)
        return training.matrix(pairs[:, 0], pairs[:, 1])

    def train(self) -> Training:
        """Forget the withdrawn, then count the pairs and fit the model (one new model)."""
        started = time.perf_counter()
        forgotten = self.forget_withdrawn()
        m = self.training_input()
        pairs = training.co_borrowed(m, self.policy)
        fitted = len(m.readers) >= 2 and len(m.records) >= 2
        y = training.item_factors(m, self.policy) if fitted else None
        now = self._clock.now()
        done = Training(
            model_id=0,
            trained_at=now,
            engine=f"implicit {version('implicit')} ALS",
            readers=len(m.readers),
            records=len(m.records),
            borrowings=m.borrowings,
            pairs=len(pairs),
            factors=self.policy.factors if y is not None else 0,
            seconds=round(time.perf_counter() - started, 3),
            forgotten=forgotten,
        )
        with self._db.write() as conn:
            repo.replace_pairs(
                conn, [{"record_id": a, "other_id": b, "readers": n} for a, b, n in pairs]
            )
            model_id = repo.insert_model(conn, done)
            if y is not None:
                vectors = ((int(r), y[i].tobytes()) for i, r in enumerate(m.records))
                repo.insert_factors(conn, model_id, vectors)
            repo.drop_models_before(conn, model_id)
        return replace(done, model_id=model_id)

    # --- answering -----------------------------------------------------------------------

    def also_borrowed(self, record_id: int, limit: int = 6) -> list[Suggestion]:
        """Readers who borrowed this also borrowed: pairs of k or more consenting readers."""
        with self._db.read() as conn:
            found = repo.pairs_of(conn, record_id, limit)
        return [Suggestion(other, ALSO_BORROWED, because=record_id) for other, _ in found]

    def for_reader(self, card_number: str, limit: int = 6) -> ForReader:
        """ "For you" (with consent) and, for everyone, popular at the reader's home branch
        and new in the classes their category reads; none of it on loan or borrowed."""
        with self._db.read() as conn:
            reader = reader_by_id(conn, reader_id_of(conn, card_number))
            kept = {r for r, _ in repo.borrowings_of(conn, reader.id)}
        taken = self.taken(card_number) | kept
        branch = self._everyone.branch_code(reader.home_branch_id)
        return ForReader(
            consents=reader.recommend_opt_in,
            for_you=self.for_you(card_number, limit) if reader.recommend_opt_in else None,
            popular=self._everyone.popular_at(branch, taken, limit) if branch else [],
            new_in_class=self._everyone.new_in_classes(reader.category, taken, limit),
            branch=branch,
            category=reader.category,
        )

    def also_borrowed_for(
        self, record_id: int, card_number: str | None, limit: int = 6
    ) -> list[Suggestion]:
        """Also borrowed, less what the signed-in reader (if any) has on loan or borrowed."""
        found = self.also_borrowed(record_id, limit + 10)
        if card_number is not None:
            with self._db.read() as conn:
                reader_id = reader_id_of(conn, card_number)
                kept = {r for r, _ in repo.borrowings_of(conn, reader_id)}
            taken = self.taken(card_number) | kept
            found = [s for s in found if s.record_id not in taken]
        return found[:limit]

    def for_you(self, card_number: str, limit: int = 8) -> list[Suggestion] | None:
        """None unless the reader consents now; else the model's best records for them
        from their recent borrowings, each with the borrowing that led to it."""
        with self._db.read() as conn:
            reader = reader_by_id(conn, reader_id_of(conn, card_number))
            if not reader.recommend_opt_in:
                return None
            borrowed = repo.borrowings_of(conn, reader.id)
            model = self._current(conn)
        if model is None:
            return []
        seen = self.taken(card_number) | {r for r, _ in borrowed}
        recent = [model.column[r] for r, _ in borrowed[: self.policy.recent] if r in model.column]
        if not recent:
            return []
        return self._best(model, np.array(recent, np.int64), seen, limit)

    def _best(
        self, model: _Model, cols: training.Ints, seen: set[int], limit: int
    ) -> list[Suggestion]:
        x, inverse = training.reader_vector(model.y, model.yty, cols, self.policy)
        scores = model.y @ x
        out: list[Suggestion] = []
        for i in training.best(scores, limit + len(seen)):
            record = int(model.records[i])
            if record in seen:
                continue
            because = training.explain(model.y, inverse, cols, int(i), self.policy.alpha)
            out.append(
                Suggestion(record, BECAUSE_YOU_BORROWED, because=int(model.records[because]))
            )
            if len(out) >= limit:
                break
        return out

    def taken(self, card_number: str) -> set[int]:
        """Records the reader has on loan or borrowed (their kept history included)."""
        return {loan.record_id for loan in self._circulation.history_of(card_number)}

    def _current(self, conn: Connection) -> _Model | None:
        latest = repo.latest_model(conn)
        if latest is None or not latest.factors:
            return None
        with self._lock:
            if self._model is None or self._model.id != int(latest.id):
                vectors = repo.factors_of(conn, int(latest.id))
                self._model = _Model(int(latest.id), vectors, int(latest.factors))
            return self._model
