"""Issue 12 item 6: bodies over the limit are refused with 413 before anything reads them, in the
API's JSON error shape or as a page; only a cataloguer's upload may be larger, up to its own
cap; and an uploaded file is deleted once imported, or after the retention.

The oversized requests go over a raw socket to a real server: the headers announce a body of
50 MB (or 200 MB) and only a few bytes follow. A server that reads before it refuses waits for
the rest and never answers; the limit answers at once.
"""

from __future__ import annotations

import os
import re
import socket
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from shelfwise import app as composition
from shelfwise.config import Settings
from shelfwise.core.clock import FrozenClock
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.testing.records import write_records
from shelfwise.testing.servers import SLOW_MACHINE, live_server

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
PASSWORD = "cataloguer-password"


@pytest.fixture
def services(database_url: str, tmp_path: Path, clock: FrozenClock) -> Iterator[Services]:
    settings = Settings.load(
        {
            "data_dir": tmp_path / "data",
            "database_url": database_url,
            "http_max_body_bytes": 64 * 1024,
            "http_max_upload_bytes": 1024 * 1024,
            "password_hash_time_cost": 1,
            "password_hash_memory_kib": 1024,
        },
        environ={},
    )
    instance = composition.build(settings, clock=clock)
    yield instance
    instance.close()


@pytest.fixture
def base(services: Services) -> Iterator[str]:
    with live_server(services) as url:
        yield url


def announce(base: str, head: str, *, declared: int, sent: bytes) -> tuple[int, bytes]:
    """Send ``head`` with a Content-Length of ``declared`` and only ``sent`` of the body;
    the status and body of the answer (within 20 s), or (0, b"") when none comes."""
    parts = urlsplit(base)
    with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=20) as s:
        s.sendall(f"{head}\r\nContent-Length: {declared}\r\n\r\n".encode() + sent)
        answer = b""
        try:
            while b"\r\n\r\n" not in answer and (chunk := s.recv(65536)):
                answer += chunk
            headers, _, body = answer.partition(b"\r\n\r\n")
            length = re.search(rb"(?i)content-length: *(\d+)", headers)
            while length and len(body) < int(length.group(1)) and (chunk := s.recv(65536)):
                body += chunk
        except TimeoutError:
            return 0, b""
    if not answer:
        return 0, b""
    return int(answer.split(b" ", 2)[1]), body


def test_a_50_mb_json_body_is_refused_before_it_is_read_or_anyone_logs_in(base: str) -> None:
    head = (
        "POST /api/v1/checkout HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Accept-Language: en"
    )
    status, body = announce(base, head, declared=50 * 1024 * 1024, sent=b'{"card_number": "')
    assert status == 413
    assert b'"code":"request.too_large"' in body
    assert b"64 KiB" in body


def test_a_200_mb_form_is_refused_before_the_csrf_check(base: str) -> None:
    head = (
        "POST /register HTTP/1.1\r\nHost: x\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nAccept-Language: en"
    )
    status, body = announce(base, head, declared=200 * 1024 * 1024, sent=b"name=")
    assert status == 413
    assert b'role="alert"' in body  # the page, not JSON
    assert b"too large" in body


def test_a_chunked_body_is_held_to_the_limit_too(base: str) -> None:
    def pieces() -> Iterator[bytes]:
        yield b'{"card_number": "'
        for _ in range(100):
            yield b"x" * 1024

    with httpx.Client(base_url=base, timeout=SLOW_MACHINE) as http:
        refused = http.post(
            "/api/v1/sessions", content=pieces(), headers={"Content-Type": "application/json"}
        )
        assert refused.status_code == 413
        assert refused.json()["error"]["code"] == "request.too_large"
        # Under the limit, chunked or not, the request goes through to the route.
        small = http.post(
            "/api/v1/sessions",
            content=iter([b'{"username": "x", ', b'"secret": "y"}']),
            headers={"Content-Type": "application/json"},
        )
        assert small.status_code == 401


def test_only_a_cataloguer_uploads_more_up_to_the_upload_cap_and_the_file_goes_once_imported(
    services: Services, base: str, tmp_path: Path, clock: FrozenClock
) -> None:
    marc = tmp_path / "books.mrc"
    write_records(marc, 300, seed=11)
    size = marc.stat().st_size
    assert 64 * 1024 < size < 1024 * 1024, size
    services.access.create_staff("cat", "Cataloguer", PASSWORD, "cataloguer")
    uploads = services.settings.data_dir / "imports" / "uploads"
    with httpx.Client(base_url=base, timeout=SLOW_MACHINE, follow_redirects=False) as anonymous:
        token = CSRF.search(anonymous.get("/staff/login").text)
        assert token is not None
        files = {"file": ("books.mrc", marc.read_bytes(), "application/marc")}
        refused = anonymous.post(
            "/staff/catalogue/import", data={"csrf": token.group(1)}, files=files
        )
        assert refused.status_code == 413
        assert not uploads.exists() or not any(uploads.iterdir())
    with httpx.Client(base_url=base, timeout=SLOW_MACHINE, follow_redirects=False) as staff:
        token = CSRF.search(staff.get("/staff/login").text)
        assert token is not None
        csrf = token.group(1)
        login = {"username": "cat", "password": PASSWORD, "csrf": csrf}
        assert staff.post("/staff/login", data=login).status_code == 303
        started = staff.post("/staff/catalogue/import", data={"csrf": csrf}, files=files)
        assert started.status_code == 303, started.text[-300:]
        job = started.headers["location"]
        deadline = time.monotonic() + 120
        while not (state := staff.get(job + ".json").json())["done"]:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert (state["error"], state["read"]) == (None, 300)
        assert list(uploads.iterdir()) == []  # imported: not kept
        too_big = {"file": ("big.mrc", b"0" * (1024 * 1024 + 1), "application/marc")}
        capped = staff.post("/staff/catalogue/import", data={"csrf": csrf}, files=too_big)
        assert capped.status_code == 413
    # A file a failed or interrupted import left behind goes after the retention (72 h).
    left = uploads / "abc-left.mrc"
    left.write_bytes(b"x")
    stamp = (clock.now() - timedelta(hours=71)).timestamp()
    os.utime(left, (stamp, stamp))
    assert services.uploads().expire() == 0
    clock.advance(timedelta(hours=2))
    assert "retention" in Runtime(services).scheduler().run_due()
    assert not left.exists()
