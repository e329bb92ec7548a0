"""P13 and S-7 in both log formats (``log_format = text | json``), over both servers.

The handler ``serve`` and ``sip2`` install writes every record of the process: uvicorn's
access log, the SIP2 session's structured lines, a service's warning with fields in
``extra``, an exception. Card numbers, the confirmation code, PINs, the terminal password
and tokens appear in none of them, in either format; JSON lines are objects with the
time, level, logger, message, the request id or the terminal, and the fields.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from sip2_server_helpers import (
    PIN,
    TERMINAL,
    TERMINAL_PASSWORD,
    Kiosk,
    KioskLibrary,
    live_sip2,
    make_library,
    patron_information,
)

from shelfwise.core import log_format, metrics
from shelfwise.services import Services
from shelfwise.testing.servers import SLOW_MACHINE, live_server


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path)


@pytest.fixture(params=["text", "json"])
def written(request: pytest.FixtureRequest) -> Iterator[tuple[str, io.StringIO]]:
    """What the process's log handler writes, in the format under test."""
    stream = io.StringIO()
    root = logging.getLogger()
    level = root.level
    handler = log_format.configure(request.param, "INFO", stream)
    try:
        yield request.param, stream
    finally:
        root.removeHandler(handler)
        root.setLevel(level)


def test_every_line_is_masked_and_structured_in_both_formats(
    library: KioskLibrary, written: tuple[str, io.StringIO]
) -> None:
    fmt, stream = written
    services = library.services
    made = services.readers.self_register(source="t", name="己", email="j@example.org", pin=PIN)
    card, code = made.reader.card_number, made.verify_token or ""
    session = services.access.login_reader(card, PIN).token
    with (
        live_server(services, access_log=True, own_logging=True) as base,
        httpx.Client(base_url=base, timeout=SLOW_MACHINE) as http,
    ):
        bearer = {"Authorization": f"Bearer {session}", "X-Request-ID": "req-canary-1"}
        answered = http.get(f"/api/v1/readers/{card}/loans", headers=bearer)
        assert answered.headers["x-request-id"] == "req-canary-1"
        assert http.get(f"/register/confirm/{card}/{code}").status_code == 200
        http.get("/register/confirm", params={"card": card, "token": code})
        odd = http.get("/api/v1/health", headers={"X-Request-ID": f"{card} drop table"})
        assert odd.headers["x-request-id"] != f"{card} drop table"  # replaced, not echoed
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login("not-the-password")
        kiosk.login()
        patron_information(kiosk, card, PIN)
    log = logging.getLogger("shelfwise.test")
    log.warning("reader looked up", extra={"card_number": card, "note": f"pin={PIN}"})
    try:
        raise LookupError(f"no loan for {card}")
    except LookupError:
        log.exception("lookup failed")

    output = stream.getvalue()
    for secret in (card, code, PIN, TERMINAL_PASSWORD, "not-the-password", session):
        assert secret not in output, f"{fmt}: a secret in the log"
    lines = output.splitlines()
    if fmt == "json":
        records = [json.loads(line) for line in lines]  # every line is one object
        assert all({"time", "level", "logger", "message"} <= set(r) for r in records)
        access = [r for r in records if r["logger"] == "uvicorn.access"]
        (loans,) = [r for r in access if "/api/v1/readers/***/loans" in r["message"]]
        assert loans["request_id"] == "req-canary-1"
        assert loans["time"].endswith("Z")
        sip2 = [r for r in records if r["logger"] == "shelfwise.sip2" and r.get("command") == "63"]
        assert sip2
        assert (sip2[0]["terminal"], sip2[0]["outcome"]) == (TERMINAL, "ok")
        (warned,) = [r for r in records if r["message"] == "reader looked up"]
        assert (warned["level"], warned["note"]) == ("WARNING", "pin=***")
        assert warned["card_number"].endswith("*" * 10)
        (failed,) = [r for r in records if r["message"] == "lookup failed"]
        assert "LookupError: no loan for" in failed["exception"]
    else:
        assert any(
            "[request_id=req-canary-1]" in line and "/api/v1/readers/***/loans" in line
            for line in lines
        )
        assert any(f"terminal={TERMINAL}" in line and "cmd=63" in line for line in lines)
        assert any("LookupError: no loan for" in line for line in lines)
        assert not any(line.startswith("{") for line in lines)


def test_sip2_messages_are_counted_by_command_and_result(library: KioskLibrary) -> None:
    """/metrics' shelfwise_sip2_messages_total: by command and result, no kiosk data."""

    def count(command: str, result: str) -> float:
        text = metrics.exposition().decode()
        for family in text_string_to_metric_families(text):
            for s in family.samples:
                if s.name == "shelfwise_sip2_messages_total" and s.labels == {
                    "command": command,
                    "result": result,
                }:
                    return float(s.value)
        return 0.0

    card = library.reader("计数")
    before = (count("93", "login_failed"), count("93", "ok"), count("63", "ok"))
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login("not-the-password")
        kiosk.login()
        patron_information(kiosk, card, PIN)
    after = (count("93", "login_failed"), count("93", "ok"), count("63", "ok"))
    assert [b - a for a, b in zip(before, after, strict=True)] == [1, 1, 1]
    assert card not in metrics.exposition().decode()
