"""Benchmark: our ISO 2709 reader against pymarc and a hand-written floor, in one run.

    .venv/bin/python bench/marc_read.py                            # 100,000 records, 3 rounds
    .venv/bin/python bench/marc_read.py --records 10000 --rounds 1  # a quick look
    .venv/bin/python bench/marc_read.py --file some.mrc             # an existing file

The file is ``--records`` records of ``shelfwise.testing.records.generate_records``
(seed 42, a mix of MARC 21, UNIMARC and KORMARC in UTF-8), written once to
``bench/out/`` and reused. Every reader runs in a child process of its own (so
each peak RSS is its own), once per round, rounds one after the other:

* ``ours``: ``read_file`` as the importer calls it — split, directory check,
  dialect and charset detection, repairs — giving a lazy ``Record`` of which
  nothing is asked;
* ``ours+fields``: the same, then ``record.fields``: every field and subfield built;
* ``pymarc``: ``MARCReader(to_unicode=True, force_utf8=True, permissive=True)``,
  which builds every field;
* ``floor`` and ``floor+fields``: a minimal hand-written reader that trusts its
  input (UTF-8, no check of anything): split on the record terminator, the tags
  from the directory, one decode, split on the field terminator; and then the
  indicators and subfield pairs of every data field.

Rates are records per CPU second of the child (a shared box disturbs that less
than the wall clock; wall seconds are printed too). Ratios are taken within a
round, and the median of the rounds is printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from shelfwise.marc import iso2709
from shelfwise.marc.reading import MarcFormat, ReadRecord, read_file
from shelfwise.testing.records import generate_records

OUT = Path(__file__).resolve().parent / "out"
READERS = ("ours", "ours+fields", "pymarc", "floor", "floor+fields")
# (numerator, denominator): each of ours against the floor doing the same work, and pymarc.
RATIOS = (
    ("ours", "floor"),
    ("ours+fields", "floor+fields"),
    ("ours", "pymarc"),
    ("ours+fields", "pymarc"),
)


@dataclass(frozen=True, slots=True)
class Figures:
    records: int
    rates: dict[str, float]  # median records per CPU second, per reader
    ratios: dict[str, float]  # median per-round ratio, keyed "ours/floor" etc.


def marc_file(records: int) -> Path:
    path = OUT / f"marc-read-{records}-42.mrc"
    if not path.exists():
        OUT.mkdir(parents=True, exist_ok=True)
        part = path.with_suffix(".part")
        with part.open("wb") as out:
            for record in generate_records(records, seed=42):
                out.write(iso2709.encode(record))
        part.rename(path)
    return path


def _ours(path: Path, fields: bool) -> int:
    n = 0
    for item in read_file(path, format=MarcFormat.ISO2709):
        if isinstance(item, ReadRecord):
            n += 1
            if fields:
                item.record.fields  # noqa: B018 - building them is what is measured
    return n


def _pymarc(path: Path) -> int:
    from pymarc import MARCReader

    n = 0
    with path.open("rb") as f:
        for rec in MARCReader(f, to_unicode=True, force_utf8=True, permissive=True):
            n += rec is not None
    return n


def _floor(path: Path, fields: bool) -> int:
    n = 0
    tail = b""
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            raws = (tail + chunk).split(b"\x1d")
            tail = raws.pop()
            for raw in raws:
                base = int(raw[12:17])
                directory = raw[24 : base - 1].decode("ascii")
                tags = [directory[i : i + 3] for i in range(0, len(directory), 12)]
                texts = raw[base:-1].decode("utf-8").split("\x1e")
                if fields:
                    [
                        (tag, text)
                        if tag < "010"
                        else (tag, text[:2], [(p[0], p[1:]) for p in text[3:].split("\x1f") if p])
                        for tag, text in zip(tags, texts, strict=True)
                    ]
                else:
                    list(zip(tags, texts, strict=True))
                n += 1
    return n


def _child(which: str, path: Path) -> None:
    readers = {
        "ours": lambda: _ours(path, False),
        "ours+fields": lambda: _ours(path, True),
        "pymarc": lambda: _pymarc(path),
        "floor": lambda: _floor(path, False),
        "floor+fields": lambda: _floor(path, True),
    }
    wall, cpu = time.perf_counter(), time.process_time()
    n = readers[which]()
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": n, "cpu": cpu, "wall": wall, "rss_mb": rss_mb}))


def _run(which: str, path: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", which, "--file", str(path)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def measure(path: Path, rounds: int, *, echo: bool = False) -> Figures:
    """Every reader over ``path``, ``rounds`` times; medians of rates and per-round ratios."""
    rates: dict[str, list[float]] = {r: [] for r in READERS}
    ratios: dict[str, list[float]] = {f"{a}/{b}": [] for a, b in RATIOS}
    records = 0
    for round_no in range(1, rounds + 1):
        got = {which: _run(which, path) for which in READERS}
        for which, r in got.items():
            rate = r["records"] / r["cpu"]
            rates[which].append(rate)
            records = int(r["records"])
            if echo:
                print(
                    f"round {round_no}  {which:12s} {int(r['records']):>9,} records "
                    f"in {r['cpu']:6.2f} s CPU ({r['wall']:6.2f} s wall) = {rate:>9,.0f}/s, "
                    f"peak RSS {r['rss_mb']:.0f} MB",
                    flush=True,
                )
        for a, b in RATIOS:
            ratios[f"{a}/{b}"].append(rates[a][-1] / rates[b][-1])
    return Figures(
        records,
        {k: statistics.median(v) for k, v in rates.items()},
        {k: statistics.median(v) for k, v in ratios.items()},
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--file", type=Path)
    ap.add_argument("--child", choices=READERS, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.file)
        return
    path = args.file or marc_file(args.records)
    print(f"file: {path} ({path.stat().st_size / 1e6:.1f} MB); load average {_load()}")
    figures = measure(path, args.rounds, echo=True)
    print(f"medians of {args.rounds} round(s), {figures.records:,} records; load {_load()}")
    print("| reader | records/s (CPU) |\n|---|---|")
    for which, rate in figures.rates.items():
        print(f"| {which} | {rate:,.0f} |")
    print("| ratio | median |\n|---|---|")
    for name, ratio in figures.ratios.items():
        print(f"| {name} | {ratio:.2f}× |")


def _load() -> str:
    with open("/proc/loadavg") as f:
        return " ".join(f.read().split()[:3])


if __name__ == "__main__":
    main()
