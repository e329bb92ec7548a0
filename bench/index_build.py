"""Index documents built per second (CPU time), beside Tantivy adding the same documents.

Run (one process; the per-value caches start empty, as in a fresh rebuild worker):

    .venv/bin/python bench/index_build.py --records 5000

Rows: ``shelfwise.testing.index_rows.generated_index_rows`` (seeded generated records:
Chinese, Korean, English; every seventh with a merged duplicate).  Measured in CPU time
(``time.process_time``) so other processes on a shared box count less; the load
average is printed beside the figures.  The floor is Tantivy adding the same prebuilt
documents to an in-memory index (``search/schema.to_document`` + ``add_document``).
To compare two trees, run each with ``PYTHONPATH=<tree>/src`` in turn (interleaved).
"""

from __future__ import annotations

import argparse
import os
import time

import tantivy

from shelfwise.search import EveryCopyAvailable
from shelfwise.search.models import Availability
from shelfwise.search.schema import build_schema, document, to_document
from shelfwise.testing.index_rows import generated_index_rows
from shelfwise.text import FieldKind, analyze_field


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--records", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args()
    rows = list(generated_index_rows(args.records, seed=args.seed))
    available = EveryCopyAvailable().availability({r.id: r.copies for r in rows})
    analyze_field("中文 한국어", kind=FieldKind.TITLE, language="ko")  # load the engines first
    none = Availability()
    start = time.process_time()
    docs = [document(r, available.get(r.id) or none, r.id % 7) for r in rows]
    build = time.process_time() - start
    schema = build_schema()
    writer = tantivy.Index(schema).writer(heap_size=128_000_000, num_threads=1)
    start = time.process_time()
    for doc in docs:
        writer.add_document(to_document(doc, schema))
    writer.commit()
    floor = time.process_time() - start
    load = os.getloadavg()[0]
    built, added = len(docs) / build, len(docs) / floor
    print(
        f"records {len(docs)}  documents/s (CPU) {built:,.0f}  ({1e6 / built:,.0f} µs/record)  "
        f"floor: Tantivy add {added:,.0f}/s  ratio {added / built:.1f}x  load {load:.2f}"
    )


if __name__ == "__main__":
    main()
