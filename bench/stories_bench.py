"""Stories and IIIF figures for docs/benchmarks.md (issue 17 done-when 4).

Over a demo library (``shelfwise demo --no-serve --data-dir DIR`` first), with the server
running in this process under uvicorn on loopback:

- a story page's weight: its HTML and every CSS and JS file it loads before any image
  (OpenSeadragon is fetched only when a reader asks to zoom, so it is listed apart);
- the story page's server time (p50, p95) over N sequential requests, beside the floor
  of the same server answering /api/v1/health, and the CPU time per request (this process
  runs client and server: the floor's CPU is the client's and the HTTP stack's share). CPU
  time depends little on the machine's load, wall time a lot: on a shared box quote both;
- IIIF tiles of a 2400x1600 picture: the first pass draws them into the cache, the second
  is served from it (tiles per second, one client).

    .venv/bin/python bench/stories_bench.py --data-dir DIR [--requests 300]
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import time
from pathlib import Path

import httpx

from shelfwise import app
from shelfwise.config import Settings
from shelfwise.testing.servers import live_server

CPU: dict[str, float] = {}  # URL -> process CPU milliseconds per request, last timed run


def timed(client: httpx.Client, url: str, n: int) -> list[float]:
    out = []
    cpu = time.process_time()
    for _ in range(n):
        start = time.perf_counter()
        answer = client.get(url)
        out.append((time.perf_counter() - start) * 1000)
        assert answer.status_code == 200, (url, answer.status_code)
    CPU[url] = (time.process_time() - cpu) * 1000 / n
    return out


def pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p))]


def weight(client: httpx.Client, base: str, path: str) -> None:
    html = client.get(f"{base}{path}").content
    assets = re.findall(rb'(?:href|src)="(/static/[^"]+\.(?:css|js)[^"]*)"', html)
    total_raw, total_gz = len(html), len(gzip.compress(html))
    print(f"page weight of {path}:")
    print(f"  {'HTML':<28} {len(html):>7,} B raw {len(gzip.compress(html)):>7,} B gzip")
    for asset in assets:
        body = client.get(base + asset.decode()).content
        total_raw += len(body)
        total_gz += len(gzip.compress(body))
        print(
            f"  {asset.decode().split('?')[0]:<28} {len(body):>7,} B raw {len(gzip.compress(body)):>7,} B gzip"
        )
    print(f"  {'total before images':<28} {total_raw:>7,} B raw {total_gz:>7,} B gzip")
    viewer = client.get(f"{base}/static/openseadragon.min.js").content
    print(
        f"  (on zoom only: openseadragon.min.js {len(viewer):,} B raw {len(gzip.compress(viewer)):,} B gzip)"
    )


def tiles(client: httpx.Client, base: str, object_id: int) -> None:
    info = client.get(f"{base}/iiif/image/{object_id}/info.json").json()
    width, height = info["width"], info["height"]
    urls = [
        f"{base}/iiif/image/{object_id}/{x},{y},{min(512, width - x)},{min(512, height - y)}/256,/0/default.jpg"
        for x in range(0, width, 512)
        for y in range(0, height, 512)
    ]
    urls += [
        f"{base}/iiif/image/{object_id}/{x},{y},{min(256, width - x)},{min(256, height - y)}/{min(256, width - x)},/0/default.jpg"
        for x in range(0, width, 256)
        for y in range(0, height, 256)
    ]
    for label in ("first pass (drawn into the cache)", "second pass (from the cache)"):
        start = time.perf_counter()
        for url in urls:
            assert client.get(url).status_code == 200
        seconds = time.perf_counter() - start
        print(
            f"tiles, {label}: {len(urls)} in {seconds:.2f} s = {len(urls) / seconds:,.0f} tiles/s"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, required=True)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    services = app.build(Settings.load({"data_dir": args.data_dir}))
    story = services.stories.by_slug("coal-city")
    picture = next(m for m in story.document.media_ids() if services.media.get(m).kind == "image")
    with live_server(services) as base, httpx.Client(timeout=60) as client:
        weight(client, base, "/stories/coal-city")
        timed(client, f"{base}/stories/coal-city", 20)  # warm
        page = timed(client, f"{base}/stories/coal-city", args.requests)
        floor = timed(client, f"{base}/api/v1/health", args.requests)
        listing = timed(client, f"{base}/stories", args.requests)
        for name, url, values in (
            ("/stories/coal-city", "/stories/coal-city", page),
            ("/stories", "/stories", listing),
            ("/api/v1/health (floor)", "/api/v1/health", floor),
        ):
            print(
                f"{name:<24} p50 {statistics.median(values):6.1f} ms  p95 {pct(values, 0.95):6.1f} ms"
                f"  CPU {CPU[base + url]:5.1f} ms/request  (n={len(values)})"
            )
        tiles(client, base, picture)
    services.close()


if __name__ == "__main__":
    main()
