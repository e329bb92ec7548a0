"""Ingest memory for a 200-megapixel scan (issue 17, docs/benchmarks.md).

Draws an RGB TIFF of WIDTH x HEIGHT (striped, uncompressed, as scanners write them) with
libvips (streamed, never whole in memory), then ingests it in a fresh child process and
prints that process's peak RSS (ru_maxrss) and the wall time. The floor beside it: the
same child reading the file once through, doing nothing else (what any ingest must pay).

    .venv/bin/python bench/media_ingest_bench.py [--megapixels 200]
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
mode, path, data = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
start = time.perf_counter()
if mode == "read":
    with path.open("rb") as handle:
        while handle.read(1 << 20):
            pass
else:
    from shelfwise import app
    from shelfwise.config import Settings
    services = app.build(Settings.load({"data_dir": data}))
    done = services.media.ingest_file(
        path, rights="http://rightsstatements.org/vocab/NoC-US/1.0/", actor="bench"
    )
    assert done.created and "pyramid" in done.object.files
elapsed = time.perf_counter() - start
peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": elapsed, "peak_mib": peak_kib / 1024}))
"""


def draw(path: Path, megapixels: int) -> tuple[int, int]:
    import pyvips

    width = int(math.sqrt(megapixels * 1e6 * 4 / 3))
    height = int(megapixels * 1e6 / width)
    # A gradient with some texture, so the JPEG tiles are not trivially small.
    xy = pyvips.Image.xyz(width, height)
    image = (xy[0] % 251).bandjoin([(xy[1] % 241), ((xy[0] + xy[1]) % 239)]).cast("uchar")
    image.tiffsave(str(path), tile=False, compression="none", strip=True)
    return width, height


def child(mode: str, path: Path, data: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(data)],
        capture_output=True,
        text=True,
        check=False,
    )
    if out.returncode != 0:
        raise SystemExit(f"{mode} failed:\n{out.stderr[-3000:]}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--megapixels", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        scan = Path(folder) / "scan.tif"
        start = time.perf_counter()
        width, height = draw(scan, args.megapixels)
        size = scan.stat().st_size
        print(
            f"drew {width}x{height} ({width * height / 1e6:.0f} MP, {size / 2**20:.0f} MiB) "
            f"in {time.perf_counter() - start:.1f} s"
        )
        floor = child("read", scan, Path(folder) / "data-floor")
        ingest = child("ingest", scan, Path(folder) / "data")
        print(f"floor (read once):  {floor['seconds']:.1f} s, peak RSS {floor['peak_mib']:.0f} MiB")
        print(
            f"ingest (shelfwise): {ingest['seconds']:.1f} s, peak RSS {ingest['peak_mib']:.0f} MiB"
        )
        print(f"ingest/floor time: {ingest['seconds'] / max(floor['seconds'], 1e-9):.1f}x")


if __name__ == "__main__":
    main()
