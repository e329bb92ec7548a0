"""Re-measure every benchmark's ratio to its floor and compare it with the recorded figure.

    .venv/bin/python bench/check.py              # the recorded runs' sizes (several minutes)
    .venv/bin/python bench/check.py --quick      # small sizes, about a minute
    .venv/bin/python bench/check.py --only marc_read,sip2_bench

Run by hand (it is not a test: tests never time anything). Each bench module's own
measurement function runs, with its floor in the same run; a ratio is the project's
figure divided by its floor's (or a peer's), so higher is better. The recorded
figures are in ``bench/recorded.json`` (copied from ``docs/benchmarks.md``, each
with its date, command and load). Exit status 1 when any ratio falls more than 30 %
below its recorded figure (measured < 0.7 × recorded) or a bench's measurement
fails to run, else 0. A bench without a floor in its run says so and is not checked;
a ratio without a recorded figure is printed and not checked. The box is shared: a ratio is steadier than a rate under
load, but a failure on a loaded box is worth one re-run before anything else.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
RECORDED = BENCH / "recorded.json"
TOLERANCE = 0.30

# Benches with no floor measured in the same run: said, not checked.
NO_FLOOR = {
    "import_prepare": "CPU per record of the import's worker half, before/after; no floor",
    "search_bench": "peers (SQLite FTS5, PostgreSQL, Zebra), no raw-Tantivy floor",
    "web_bench": "bytes and render times, no floor",
    "text_analysis": "per-step throughput, no floor",
}
# Modules in bench/ that measure no speed at all.
NOT_BENCHES = {
    "check": "this script",
    "circulation_storms": "correctness storms (violations), not speed",
    "circulation_floor": "circulation_bench's hand-written floor, measured with it",
    "sip2_profile": "a profile, not a rate",
}


@dataclass(frozen=True, slots=True)
class Recorded:
    value: float
    date: str
    command: str
    load: str


def _marc_read(quick: bool) -> dict[str, float]:
    import marc_read

    path = marc_read.marc_file(10_000 if quick else 100_000)
    return marc_read.measure(path, 1 if quick else 3).ratios


def _sip2(quick: bool) -> dict[str, float]:
    import sip2_bench

    return sip2_bench.ceiling_ratios(2.0 if quick else 7.0, 8)


def _availability(quick: bool) -> dict[str, float]:
    import availability_bench as bench
    from circulation_storms import fresh_shelf

    seconds = 2.0 if quick else 4.0
    with tempfile.TemporaryDirectory() as tmp, fresh_shelf("sqlite", Path(tmp)) as services:
        barcodes = bench.catalogue(services, Path(tmp), 200 if quick else 2000, 1)
        card = services.readers.register(name="bench", category="adult").reader.card_number
        bench.floor_tables(services)
        floor = bench.floor_rate(services, seconds)
        rate = bench.circulation_rate(services, card, barcodes[0], seconds)
    return {"sqlite circulation + event, follower stopped / floor": rate / floor}


def _import(quick: bool) -> dict[str, float]:
    import import_bench

    # 20,000 records is the smallest file (> 8 MB) the importer decodes in workers.
    records = 20_000 if quick else 100_000
    result = import_bench.run_import(import_bench.demo_file(records, 42), records, "sqlite", -1)
    return {"sqlite import / executemany floor": result.rate / result.floor_rate}


def _circulation(quick: bool) -> dict[str, float]:
    import circulation_bench as bench
    import circulation_floor
    from circulation_storms import fresh_shelf

    seconds = 2.0 if quick else 4.0  # (circulation_bench put tests/circulation on the path)
    from circ_helpers import make_library

    ratios = {}
    with tempfile.TemporaryDirectory() as tmp, fresh_shelf("sqlite", Path(tmp)) as services:
        library = make_library(services, Path(tmp))
        for clients in (1, 8):
            rate, _ = bench.measure(library, clients, seconds, None)
            floor, _ = circulation_floor.measure(services.db.url, Path(tmp), clients, seconds)
            ratios[f"sqlite in-process, {clients} clients / hand-written floor"] = rate / floor
    return ratios


MEASURED: dict[str, Callable[[bool], dict[str, float]]] = {
    "circulation_bench": _circulation,
    "import_bench": _import,
    "marc_read": _marc_read,
    "sip2_bench": _sip2,
    "availability_bench": _availability,
}


def recorded_figures(path: Path = RECORDED) -> dict[tuple[str, str], Recorded]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return {
        (f["bench"], f["ratio"]): Recorded(float(f["value"]), f["date"], f["command"], f["load"])
        for f in data["figures"]
    }


def verdict(measured: float, recorded: Recorded | None) -> tuple[str, bool]:
    """(what to print, whether it fails): more than TOLERANCE below the recorded figure."""
    if recorded is None:
        return "no recorded figure: not checked", False
    change = measured / recorded.value - 1
    if measured < (1 - TOLERANCE) * recorded.value:
        return f"FAIL ({change:+.0%} against {recorded.value:.3g}, {recorded.date})", True
    return f"ok ({change:+.0%} against {recorded.value:.3g}, {recorded.date})", False


def _benches() -> list[str]:
    return sorted(p.stem for p in BENCH.glob("*.py"))


def _check_one(name: str, quick: bool, recorded: dict[tuple[str, str], Recorded]) -> bool:
    """Print the bench's lines; True when one of its ratios failed."""
    if name in NOT_BENCHES:
        return False
    if name not in MEASURED:
        why = NO_FLOOR.get(name, "not known to check.py")
        print(f"| {name} | - | - | no floor in its run ({why}): not checked |", flush=True)
        return False
    try:
        measured = MEASURED[name](quick)
    except Exception as err:  # a bench that no longer runs is a failed check, said plainly
        print(f"| {name} | - | - | ERROR: {type(err).__name__}: {err} |", flush=True)
        return True
    failed = False
    for ratio, value in measured.items():
        text, bad = verdict(value, recorded.get((name, ratio)))
        failed |= bad
        print(f"| {name} | {ratio} | {value:.3g} | {text} |", flush=True)
    return failed


def main() -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="small sizes (about a minute)")
    ap.add_argument("--only", help="comma-separated bench module names")
    args = ap.parse_args()
    names = args.only.split(",") if args.only else _benches()
    recorded = recorded_figures()
    print(f"load average before: {_load()}; {os.cpu_count()} CPUs; quick={args.quick}")
    print("| bench | ratio | measured | against the recorded figure |\n|---|---|---|---|")
    failed = [name for name in names if _check_one(name, args.quick, recorded)]
    print(f"load average after: {_load()}")
    if failed:
        print(f"FAILED: {', '.join(failed)} fell more than {TOLERANCE:.0%} below the record")
        return 1
    print("every measured ratio is within 30 % of its recorded figure (or has none)")
    return 0


def _load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:3])


if __name__ == "__main__":
    sys.exit(main())
