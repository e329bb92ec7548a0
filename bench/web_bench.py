"""The reader's results page on the demo library: bytes on first load, and render time.

    .venv/bin/python bench/web_bench.py --records 5000 --requests 200

Builds the demo library (branches, ``--records`` generated records, readers and
loans, the search index) on SQLite in a temporary folder, serves ``asgi_app`` with
uvicorn on a loopback port (``live_server``), then:

* **first load**: a fresh client (no cookies, no cache) fetches a results page and the
  CSS and JS it links, with ``Accept-Encoding: gzip``, and counts the bytes that came
  over the wire (compressed bodies plus response header lines).
* **render time**: ``--requests`` results pages, cycling through queries in every
  script, one keep-alive connection, timed from request to last byte on the client.
  That includes the loopback HTTP round trip, so it is an upper bound of the
  server's render time.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from shelfwise import app as composition
from shelfwise.core.clock import FrozenClock
from shelfwise.testing.servers import live_server
from shelfwise.testing.webdemo import build_demo, demo_settings

QUERIES = ["历史", "歷史", "lishi", "ls", "역사", "력사", "history", "中国 文学", "소설", "science"]
ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def wire_bytes(response: httpx.Response) -> int:
    head = sum(len(k) + len(v) + 4 for k, v in response.headers.raw) + 17
    return head + response.num_bytes_downloaded


def first_load(base: str, path: str) -> dict[str, int]:
    with httpx.Client(base_url=base, headers={"Accept-Encoding": "gzip"}) as client:
        page = client.get(path)
        page.raise_for_status()
        sizes = {"html": wire_bytes(page), "html_raw": len(page.content)}
        sizes["covers"] = page.text.count('<svg class="drawn"')  # drawn inline, no request
        sizes["images"] = page.text.count("<img ")
        for asset in ASSET.findall(page.text):
            got = client.get(asset)
            got.raise_for_status()
            kind = "css" if ".css" in asset else "js"
            sizes[kind] = sizes.get(kind, 0) + wire_bytes(got)
    sizes["total"] = sizes["html"] + sizes.get("css", 0) + sizes.get("js", 0)
    return sizes


def render_times(base: str, requests: int, path: str = "/search") -> list[float]:
    """Request-to-last-byte times of ``path`` over the queries (``/api/v1/search``: the same
    search answered as JSON, the floor a results page is compared with)."""
    times = []
    with httpx.Client(base_url=base, headers={"Accept-Encoding": "gzip"}) as client:
        for q in QUERIES:  # warm-up: one of each
            client.get(path, params={"q": q})
        for n in range(requests):
            q = QUERIES[n % len(QUERIES)]
            started = time.perf_counter()
            response = client.get(path, params={"q": q})
            response.read()
            times.append(time.perf_counter() - started)
            response.raise_for_status()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="web-bench-"))
    clock = FrozenClock(datetime(2026, 9, 1, 9, 30, tzinfo=UTC))
    services = composition.build(demo_settings(folder), clock=clock)
    started = time.monotonic()
    build_demo(services, folder, records=args.records)
    print(f"demo library: {args.records} records in {time.monotonic() - started:.0f} s")
    try:
        with live_server(services) as base:
            sizes = first_load(base, "/search?q=历史")
            floor, times = [], []
            for _ in range(2):  # interleaved, so a burst of load hits both alike
                floor += render_times(base, args.requests // 2, "/api/v1/search")
                times += render_times(base, args.requests // 2)
            times.sort()
            floor.sort()
    finally:
        services.close()
    p50 = statistics.median(times) * 1000
    p95 = times[int(len(times) * 0.95) - 1] * 1000
    api_p50 = statistics.median(floor) * 1000
    api_p95 = floor[int(len(floor) * 0.95) - 1] * 1000
    print(
        f"first load of /search?q=历史: {sizes['total'] / 1024:.1f} KB on the wire "
        f"(HTML {sizes['html'] / 1024:.1f} KB, {sizes['html_raw'] / 1024:.1f} KB unzipped; "
        f"CSS {sizes.get('css', 0) / 1024:.1f} KB; JS {sizes.get('js', 0) / 1024:.1f} KB); "
        f"{sizes['covers']} drawn covers, {sizes['images']} images"
    )
    print(
        f"results pages, {len(times)} requests over {len(QUERIES)} queries: "
        f"p50 {p50:.1f} ms, p95 {p95:.1f} ms, max {times[-1] * 1000:.1f} ms"
    )
    print(
        f"floor, the same searches as JSON (/api/v1/search): p50 {api_p50:.1f} ms, "
        f"p95 {api_p95:.1f} ms; page/floor p50 {p50 / api_p50:.2f}x, p95 {p95 / api_p95:.2f}x"
    )
    print(f"load average: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
