"""Recommendation training (issue 21): the whole ``RecommendService.train`` on generated
loans, each phase timed, beside a peer and a floor in the same run. Prints a markdown table
for docs/benchmarks.md.

    .venv/bin/python bench/recommend_bench.py --loans 1000000
    .venv/bin/python bench/recommend_bench.py --loans 10000000 --memory-only
    .venv/bin/python bench/recommend_bench.py --loans 10000000 --database-only

The history: ``loans // 10`` readers (all consenting), ``loans // 25`` records whose
popularity falls as 1/(rank + 10) (a long tail, as a library's), each loan a reader drawn
uniformly and a record drawn by popularity; repeats of a reader and record are one
borrowing. With a database (SQLite in a temporary folder, the default), readers, records
and borrowings are written straight into their tables (minimal rows; the bench is not the
import), then the service's own ``train()`` runs: the consent purge, reading the
borrowings, the pair count, the ALS fit and writing pairs and factors. ``--memory-only``
times the arithmetic alone (pairs and ALS) on the generated arrays.

* **floor**: building the sparse reader x record matrix (the least any training reads);
* **peer**: ``implicit``'s own item-item model (``CosineRecommender``, K = 20), C++ over
  the same matrix, against our pair count (``RᵀR`` in blocks, k = 5, 20 per record);
* "for you": the request-time solve of one reader's vector and the scores of every record,
  median over 200 readers.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TypeVar

import numpy as np

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.recommend import training
from shelfwise.recommend.models import RecommendPolicy

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
T = TypeVar("T")


def generate(loans: int, seed: int = 21) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    readers, records = max(1000, loans // 10), max(1000, loans // 25)
    weight = 1.0 / (np.arange(records) + 10.0)
    record = rng.choice(records, size=loans, p=weight / weight.sum())
    reader = rng.integers(0, readers, size=loans)
    pairs = np.unique(reader.astype(np.int64) * records + record)
    return pairs // records + 1, pairs % records + 1  # ids from 1


def _timed(label: str, figures: dict[str, float], work: Callable[[], T]) -> T:
    started = time.perf_counter()
    out = work()
    figures[label] = time.perf_counter() - started
    print(f"  {label}: {figures[label]:.2f} s", file=sys.stderr)
    return out


def in_memory(
    readers: np.ndarray, records: np.ndarray, policy: RecommendPolicy
) -> dict[str, float]:
    from implicit.nearest_neighbours import CosineRecommender
    from threadpoolctl import threadpool_limits

    figures: dict[str, float] = {}
    m = _timed("floor: matrix", figures, lambda: training.matrix(readers, records))
    _timed("pairs (ours)", figures, lambda: training.co_borrowed(m, policy))
    with threadpool_limits(1, "blas"):
        peer = CosineRecommender(K=20)
        _timed("peer: implicit item-item", figures, lambda: peer.fit(m.rows, show_progress=False))
    y = _timed("ALS fit (implicit)", figures, lambda: training.item_factors(m, policy))
    yty = (y.T @ y).astype(np.float32)
    times = []
    rng = np.random.default_rng(3)
    for row in rng.integers(0, m.rows.shape[0], size=200):
        cols = m.rows.indices[m.rows.indptr[row] : m.rows.indptr[row + 1]].astype(np.int64)
        if not len(cols):
            continue
        started = time.perf_counter()
        x, _ = training.reader_vector(y, yty, cols, policy)
        training.best(y @ x, 8 + len(cols))  # as for_you: the page's 8, past the borrowed
        times.append(time.perf_counter() - started)
    figures["for you (one reader, ms)"] = statistics.median(times) * 1000
    return figures


def _load(path: Path, readers: np.ndarray, records: np.ndarray) -> None:
    """Minimal readers, records and the borrowings, straight into SQLite (FKs checked)."""
    conn = sqlite3.connect(path)
    now, day = NOW.isoformat(sep=" "), date(2026, 11, 1).isoformat()
    conn.executemany(
        "INSERT INTO readers (id, card_number, category, name, expires_on, recommend_opt_in,"
        " created_at, updated_at) VALUES (?, ?, 'adult', 'r', '2030-01-01', 1, ?, ?)",
        ((int(i), f"B{i}", now, now) for i in np.unique(readers)),
    )
    conn.executemany(
        "INSERT INTO records (id, dialect, master, title, description, created_at, updated_at)"
        " VALUES (?, 'marc21', x'00', 't', '{}', ?, ?)",
        ((int(i), now, now) for i in range(1, int(records.max()) + 1)),
    )
    conn.executemany(
        "INSERT INTO recommend_borrowings VALUES (?, ?, ?, ?)",
        ((int(a), int(b), day, day) for a, b in zip(readers, records, strict=True)),
    )
    conn.commit()
    conn.close()


def with_database(
    readers: np.ndarray, records: np.ndarray, policy: RecommendPolicy
) -> dict[str, float]:
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.sqlite"
        config = Settings.load(
            {"data_dir": Path(folder) / "data", "database_url": f"sqlite:///{path}"}, environ={}
        )
        services = composition.build(config, clock=FrozenClock(NOW))
        _timed("load (not training)", figures, lambda: _load(path, readers, records))
        done = _timed("train() whole", figures, services.recommend.train)
        print(f"  {done}", file=sys.stderr)
        services.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--loans", type=int, default=1_000_000)
    parser.add_argument("--memory-only", action="store_true")
    parser.add_argument("--database-only", action="store_true", help="skip the in-memory phases")
    args = parser.parse_args()
    policy = RecommendPolicy()
    print(f"load before: {os.getloadavg()[0]:.1f}", file=sys.stderr)
    readers, records = generate(args.loans)
    print(f"{args.loans:,} loans -> {len(readers):,} borrowings", file=sys.stderr)
    figures = {} if args.database_only else in_memory(readers, records, policy)
    if not args.memory_only:
        figures |= with_database(readers, records, policy)
    load = os.getloadavg()[0]
    print(f"\n| {args.loans:,} loans ({len(readers):,} borrowings) | seconds |\n|---|---|")
    for label, value in figures.items():
        print(f"| {label} | {value:.2f} |")
    if args.database_only:
        print(f"\nload after {load:.1f}")
        return
    peer = figures["peer: implicit item-item"] / figures["pairs (ours)"]
    floor = figures["floor: matrix"] / figures["ALS fit (implicit)"]
    print(f"\npeer/ours (pairs) {peer:.2f}; floor/ALS {floor:.3f}; load after {load:.1f}")


if __name__ == "__main__":
    main()
