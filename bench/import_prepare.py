"""CPU per record of the import's worker half (decode, map, store form, hash), by step.

The importer's workers run ``catalogue.preparing.prepare`` on every record; on a
shared two-core box their CPU, not the database, is what an import waits for. This
times, in process CPU seconds (steadier than wall time on a loaded box), the lazy
ISO 2709 parse alone and parse + ``prepare`` over the same records, alternating
rounds; ``--compare-src`` runs the same in a child process with another checkout's
``src/`` first (before/after in one run).

    .venv/bin/python bench/import_prepare.py --records 20000 --rounds 3
    .venv/bin/python bench/import_prepare.py --compare-src ../before/src
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def measure(path: Path, records: int, rounds: int) -> dict[str, float]:
    """Median µs of CPU per record: parse only, and parse + prepare."""
    from shelfwise.catalogue.preparing import prepare
    from shelfwise.marc import iso2709
    from shelfwise.marc.reading import ReadRecord, decode_split

    with path.open("rb") as handle:
        pieces = list(iso2709.split_records(handle))[:records]
    parse: list[float] = []
    full: list[float] = []
    for _ in range(rounds):
        started = time.process_time()
        for offset, raw, terminated in pieces:
            decode_split(offset, raw, terminated)
        parse.append(time.process_time() - started)
        started = time.process_time()
        for offset, raw, terminated in pieces:
            entry = decode_split(offset, raw, terminated)
            if isinstance(entry, ReadRecord):
                prepare(entry)
        full.append(time.process_time() - started)
    per = 1e6 / len(pieces)
    return {
        "parse": statistics.median(parse) * per,
        "parse+prepare": statistics.median(full) * per,
        **stored_sizes(pieces),
    }


def stored_sizes(pieces: list[tuple[int, bytes, bool]]) -> dict[str, float]:
    """Average bytes a master takes as MARC-in-JSON and in the compact form (when the
    checkout has one)."""
    from shelfwise.marc import marcjson
    from shelfwise.marc.reading import ReadRecord, decode_split

    read = [decode_split(*p) for p in pieces]
    masters = [r.record for r in read if isinstance(r, ReadRecord)]
    sizes = {"json": sum(len(marcjson.dumps(m)) for m in masters) / len(masters)}
    try:
        from shelfwise.marc import compact
    except ImportError:  # a checkout from before compact masters
        return sizes
    sizes["compact"] = sum(len(compact.dumps(m)) for m in masters) / len(masters)
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--records", type=int, default=20_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--compare-src", type=Path)
    parser.add_argument("--label", default="this checkout")
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH))
    import import_bench

    path = import_bench.demo_file(max(args.records, 20_000), 42)
    if args.compare_src is not None:
        print(f"load average before: {os.getloadavg()[0]:.2f}", flush=True)
        env = dict(os.environ, PYTHONPATH=str(args.compare_src))
        own = [sys.executable, __file__, "--records", str(args.records)]
        own += ["--rounds", str(args.rounds), "--label", str(args.compare_src.parent.name)]
        subprocess.run(own, check=True, env=env)
    figures = measure(path, args.records, args.rounds)
    print(
        f"{args.label}: parse {figures['parse']:.0f} µs CPU/record, parse + prepare "
        f"{figures['parse+prepare']:.0f} µs (prepare {figures['parse+prepare'] - figures['parse']:.0f})"
        f"; {args.records:,} records, median of {args.rounds}; load {os.getloadavg()[0]:.2f}"
        f"; master as MARC-in-JSON {figures['json']:,.0f} B"
        + (f", compact {figures['compact']:,.0f} B" if "compact" in figures else ""),
        flush=True,
    )


if __name__ == "__main__":
    main()
