"""A real HTTP server for tests that speak to Shelfwise with real clients (HTTP, SRU, OAI-PMH)."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from uvicorn.config import LOGGING_CONFIG

from shelfwise.app import asgi_app
from shelfwise.services import Services

# Seconds an HTTP client in a test waits for a live server's answer. httpx waits 5 s by
# default; on a 2-core machine under a full test run a login (Argon2) on PostgreSQL has
# taken longer, and a timeout there says nothing about the code under test.
SLOW_MACHINE = 60.0


@contextmanager
def live_server(
    services: Services, *, access_log: bool = False, own_logging: bool = False
) -> Iterator[str]:
    """``asgi_app(shelf)`` under uvicorn on a free loopback port, in a thread; yields its base URL.

    ``access_log``: uvicorn logs every request as ``serve`` does (for the log tests);
    ``own_logging``: uvicorn leaves logging alone and its records go to the handler
    :func:`shelfwise.core.log_format.configure` installed, as under ``serve``."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    config = uvicorn.Config(
        asgi_app(services),
        host="127.0.0.1",
        port=port,
        log_level="info" if access_log else "warning",
        access_log=access_log,
        lifespan="off",
        log_config=None if own_logging else LOGGING_CONFIG,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.01)
    if not server.started:
        raise RuntimeError(f"the test server on port {port} did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
