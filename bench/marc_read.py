"""Benchmark: our ISO 2709 reader against pymarc's MARCReader on the same file.

    .venv/bin/python bench/marc_read.py                      # 100,000 records
    .venv/bin/python bench/marc_read.py --records 1000000    # the big run
    .venv/bin/python bench/marc_read.py --file some.mrc      # an existing file

The file is generated with ``shelfwise.testing.records.generate_records`` when
that module exists, else by repeating the well-formed UTF-8 ISO 2709 records of
the shared test data with a distinct 001 each. Each reader runs in its own
child process so that the peak RSS printed is its own.
"""

from __future__ import annotations

import argparse
import importlib
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from shelfwise.marc import iso2709
from shelfwise.marc.reading import MarcFormat, ReadRecord, read_file
from shelfwise.marc.record import Field, Record
from shelfwise.testing.corpus import corpus_dir, expected_location


def _shared_utf8_records() -> list[Record]:
    data = corpus_dir()
    if data is None:
        raise SystemExit(f"no MARC corpus at {expected_location()}; pass --file")
    out = []
    for path in sorted(data.rglob("*")):
        if path.suffix not in {".mrc", ".marc", ".dat"} or not path.is_file():
            continue
        for item in read_file(path, format=MarcFormat.ISO2709):
            if isinstance(item, ReadRecord) and item.encoding == "utf-8" and not item.repairs:
                out.append(item.record)
    if not out:
        raise SystemExit(f"no UTF-8 records found under {data}; pass --file")
    return out


def _records(count: int) -> Iterator[Record]:
    try:
        module = importlib.import_module("shelfwise.testing.records")
    except ImportError:
        module = None
    if module is not None and hasattr(module, "generate_records"):
        print("records: shelfwise.testing.records.generate_records")
        yield from module.generate_records(count, seed=42)
        return
    print("records: repeating the shared UTF-8 ISO 2709 records with distinct 001")
    pool = _shared_utf8_records()
    for i in range(count):
        base = pool[i % len(pool)]
        fields = [f for f in base.fields if f.tag != "001"]
        yield Record(base.leader, [Field("001", data=f"bench{i:09d}"), *fields])


def generate(path: Path, count: int) -> None:
    with path.open("wb") as out:
        for record in _records(count):
            try:
                out.write(iso2709.encode(record))
            except iso2709.RecordTooLongError:
                continue


def _child(which: str, path: Path) -> None:
    start = time.perf_counter()
    n = 0
    if which == "ours":
        for item in read_file(path, format=MarcFormat.ISO2709):
            n += isinstance(item, ReadRecord)
    else:
        from pymarc import MARCReader

        with path.open("rb") as f:
            for rec in MARCReader(f, to_unicode=True, force_utf8=True, permissive=True):
                n += rec is not None
    elapsed = time.perf_counter() - start
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"records": n, "seconds": elapsed, "rss_mb": rss_mb}))


def _run(which: str, path: Path) -> dict[str, float]:
    cmd = [sys.executable, __file__, "--child", which, "--file", str(path)]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--records", type=int, default=100_000)
    ap.add_argument("--file", type=Path)
    ap.add_argument("--child", choices=["ours", "pymarc"], help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        _child(args.child, args.file)
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = args.file or Path(tmp) / "bench.mrc"
        if args.file is None:
            generate(path, args.records)
        size_mb = path.stat().st_size / 1e6
        print(f"file: {path} ({size_mb:.1f} MB)")
        results = {which: _run(which, path) for which in ("ours", "pymarc")}
    for which, r in results.items():
        rate = r["records"] / r["seconds"]
        print(
            f"{which:7s} {int(r['records']):>9,} records in {r['seconds']:6.2f} s = "
            f"{rate:>9,.0f} records/s, peak RSS {r['rss_mb']:.0f} MB"
        )
    ours, theirs = results["ours"], results["pymarc"]
    ratio = (ours["records"] / ours["seconds"]) / (theirs["records"] / theirs["seconds"])
    print(f"ratio ours/pymarc: {ratio:.2f}x")


if __name__ == "__main__":
    main()
