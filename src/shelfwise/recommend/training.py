"""The arithmetic of training, pure (no database): co-borrowing pairs and the ALS model.

Input is the consenting readers' borrowings as two arrays (reader index, record index) of
one reader–record matrix ``R`` (1 where the reader borrowed the record). Two things come
out:

* **pairs**: for records a and b, the number of different readers who borrowed both
  (``RᵀR``), kept when at least ``min_readers`` (k), the ``pairs_per_record`` largest per
  record. ``RᵀR`` is computed a block of records at a time, so memory follows the block,
  not the square of the catalogue;
* **item factors** of an implicit-feedback ALS (Hu, Koren and Volinsky 2008) fitted by
  the ``implicit`` package (confidence ``alpha`` for a borrowing, 1 elsewhere). Only the
  records' factors are kept: a reader's vector is solved from their own borrowings when
  they ask (:func:`reader_vector`), with the same equations ``implicit`` uses.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import sparse

from shelfwise.recommend.models import RecommendPolicy

Floats = npt.NDArray[np.float32]
Ints = npt.NDArray[np.int64]
_BLOCK = 2048  # records per block of RᵀR


@dataclass(frozen=True, slots=True)
class Matrix:
    """The reader–record matrix and the ids behind its rows and columns."""

    readers: Ints  # row index -> reader id
    records: Ints  # column index -> record id
    rows: sparse.csr_matrix

    @property
    def borrowings(self) -> int:
        return int(self.rows.nnz)


def matrix(reader_ids: Ints, record_ids: Ints) -> Matrix:
    """The binary matrix of (reader id, record id) pairs (repeats count once)."""
    readers, row = np.unique(reader_ids, return_inverse=True)
    records, col = np.unique(record_ids, return_inverse=True)
    ones = np.ones(len(row), dtype=np.float32)
    rows = sparse.csr_matrix((ones, (row, col)), shape=(len(readers), len(records)))
    rows.sum_duplicates()
    rows.data[:] = 1.0
    return Matrix(readers.astype(np.int64), records.astype(np.int64), rows)


def co_borrowed(m: Matrix, policy: RecommendPolicy) -> list[tuple[int, int, int]]:
    """(record id, other record id, readers who borrowed both) with readers >= k, the
    largest ``pairs_per_record`` per record, both directions."""
    cols = m.rows.tocsc()
    t = m.rows.T.tocsr()
    out: list[tuple[int, int, int]] = []
    for start in range(0, m.rows.shape[1], _BLOCK):
        block = (t @ cols[:, start : start + _BLOCK]).tocsc()  # records x block
        for j in range(block.shape[1]):
            a = start + j
            lo, hi = block.indptr[j], block.indptr[j + 1]
            others, counts = block.indices[lo:hi], block.data[lo:hi]
            keep = (counts >= policy.min_readers) & (others != a)
            others, counts = others[keep], counts[keep]
            if not len(others):
                continue
            order = np.lexsort((others, -counts))[: policy.pairs_per_record]
            record = int(m.records[a])
            for other, n in zip(others[order], counts[order], strict=True):
                out.append((record, int(m.records[other]), int(n)))
    return out


def item_factors(m: Matrix, policy: RecommendPolicy, *, seed: int = 7) -> Floats:
    """The records' ALS factors (records x factors), fitted by ``implicit`` on one thread
    per BLAS call (its own threads do the work)."""
    from implicit.cpu.als import AlternatingLeastSquares  # heavy: imported when training
    from threadpoolctl import threadpool_limits

    # implicit warns when BLAS runs threads of its own beside its own loop: limited first
    with threadpool_limits(1, "blas"):
        model = AlternatingLeastSquares(
            factors=policy.factors,
            regularization=policy.regularization,
            alpha=policy.alpha,
            iterations=policy.iterations,
            random_state=seed,
        )
        model.fit(m.rows, show_progress=False)
    return np.ascontiguousarray(model.item_factors, dtype=np.float32)


def reader_vector(
    y: Floats, yty: Floats, borrowed: Ints, policy: RecommendPolicy
) -> tuple[Floats, Floats]:
    """A reader's factors from the columns ``borrowed`` (what ``implicit`` solves for a
    user): x = (YᵀY + λI + Σ (c−1) yᵢyᵢᵀ)⁻¹ Σ c yᵢ with c = alpha. Also returns the inverse
    of that matrix, which says how much each borrowing contributes to a score."""
    c = np.float32(policy.alpha)
    ys = y[borrowed]
    a = yty + policy.regularization * np.eye(y.shape[1], dtype=np.float32)
    a = a + (c - 1) * (ys.T @ ys)
    inverse = np.linalg.inv(a).astype(np.float32)
    return (inverse @ (c * ys.sum(axis=0))).astype(np.float32), inverse


def best(scores: Floats, count: int) -> Ints:
    """The indexes of the ``count`` highest scores, highest first: a partition, then a sort
    of those alone (a full sort of 400,000 records' scores was most of a request's time)."""
    count = min(count, len(scores))
    if count <= 0:
        return np.zeros(0, dtype=np.int64)
    top = np.argpartition(-scores, count - 1)[:count]
    return top[np.argsort(-scores[top], kind="stable")].astype(np.int64)


def explain(y: Floats, inverse: Floats, borrowed: Ints, item: int, alpha: float) -> int:
    """The column among ``borrowed`` that contributes most to ``item``'s score (the score
    is Σⱼ c·yᵢᵀ A⁻¹ yⱼ over the reader's borrowings j): "because you borrowed …"."""
    parts = alpha * (y[borrowed] @ (inverse @ y[item]))
    return int(borrowed[int(np.argmax(parts))])
