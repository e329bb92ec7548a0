"""A test catalogue and a live server for the interop tests (real HTTP, real clients)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from shelfwise.app import Shelfwise, asgi_app
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

RECORDS = 230  # generated; duplicates among them merge on import (221 records remain)


def build_catalogue(shelf: Shelfwise, tmp_path: Path, count: int = RECORDS) -> int:
    """Branches, records with their copies, and a search index; returns active records."""
    seed_branches(shelf.catalogue)
    path = tmp_path / "records.mrc"
    write_records(path, count)
    shelf.importer().import_file(path)
    shelf.search.check()
    return shelf.catalogue.counts()["records"]


@contextmanager
def live_server(shelf: Shelfwise) -> Iterator[str]:
    """``asgi_app(shelf)`` under uvicorn on a free loopback port, in a thread."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = uvicorn.Config(
        asgi_app(shelf), host="127.0.0.1", port=port, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
