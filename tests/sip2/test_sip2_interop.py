"""Interoperability with an independent SIP2 client: ``sip2`` on PyPI (module ``Sip2``).

Its requests are real-world input: it sums characters rather than bytes, drops
the zero padding of the checksum and builds 65 without a transaction date, so
lenient mode is what a terminal running it needs. Its response parsers read
what our encoder writes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from shelfwise.sip2 import Decoded, DecodeFailure, ErrorKind, Message, decode, encode
from shelfwise.testing import tools

sip2_module = tools.require_module("Sip2.sip2", "the PyPI package sip2 (the test extras)")


# The client prints from __del__ (to close a socket never opened here): silence it.
_QuietSip2: Any = type("QuietSip2", (sip2_module.Sip2,), {"__del__": lambda self: None})


@pytest.fixture
def client() -> Any:
    sip = _QuietSip2()
    # Its own logger setup writes sip2.log into the working directory; a plain
    # logger keeps the test hermetic.
    sip.log = logging.getLogger("sip2-interop")
    sip.institutionId = "SZLIB"
    sip.patron = "0440012345"
    sip.patronpwd = "1234"
    sip.terminalPassword = "term"
    sip.scLocation = "desk-1"
    return sip


def _lenient(request: str) -> Decoded:
    result = decode(request.encode("utf-8"), lenient=True)
    assert isinstance(result, Decoded), result
    tolerated = {"hex digits", "computed over characters"}
    unexpected = [w for w in result.warnings if not any(t in w.reason for t in tolerated)]
    assert unexpected == []
    return result


REQUESTS: dict[str, tuple[Callable[[Any], str], dict[str, str]]] = {
    "93": (lambda c: c.sip_login_request("kiosk", "s3cret"), {"CN": "kiosk", "CO": "s3cret"}),
    "99": (lambda c: c.sip_sc_status_request(), {}),
    "23": (lambda c: c.sip_patron_status_request(), {"AA": "0440012345", "AD": "1234"}),
    "63": (lambda c: c.sip_patron_information_request("charged"), {"BP": "1", "BQ": "5"}),
    "11": (lambda c: c.sip_checkout_request("31234000567"), {"AB": "31234000567", "BO": "N"}),
    "09": (lambda c: c.sip_checkin_request("31234000567"), {"AP": "desk-1", "AC": "term"}),
    "17": (lambda c: c.sip_item_information_request("31234000567"), {"AB": "31234000567"}),
    "29": (lambda c: c.sip_renew_request("31234000567"), {"AB": "31234000567"}),
    "15": (lambda c: c.sip_hold_request("+", titleIdentifier="活着"), {"AJ": "活着"}),
    "35": (lambda c: c.sip_end_patron_session_request(), {"AA": "0440012345"}),
    "37": (lambda c: c.sip_fee_paid_request(4, 0, "2.50"), {"BV": "2.50"}),
    "19": (lambda c: c.sip_item_status_update_request("31234000567", "x"), {"CH": "x"}),
    "25": (lambda c: c.sip_patron_enable_request(), {"AO": "SZLIB"}),
    "01": (lambda c: c.sip_block_patron_request("吞卡"), {"AL": "吞卡"}),
    "97": (lambda c: c.sip_sc_resend_request(), {}),
}


@pytest.mark.parametrize("command", sorted(REQUESTS))
def test_requests_built_by_the_client_decode(client: Any, command: str) -> None:
    build, expected = REQUESTS[command]
    result = _lenient(build(client))
    assert result.message.command == command
    for fid, value in expected.items():
        assert result.message.get(fid) == value


def test_its_checksum_over_characters_is_refused_in_strict_mode(client: Any) -> None:
    client.scLocation = "中心馆一楼"
    raw = client.sip_login_request("kiosk", "s3cret").encode("utf-8")
    result = decode(raw)
    assert isinstance(result, DecodeFailure)
    assert "characters" in result.error.reason or "hex digits" in result.error.reason
    assert isinstance(decode(raw, lenient=True), Decoded)


def test_its_renew_all_without_a_transaction_date_is_an_error_value(client: Any) -> None:
    result = decode(client.sip_renew_all_request().encode("utf-8"), lenient=True)
    assert isinstance(result, DecodeFailure)
    assert (result.error.kind, result.error.fid) == (
        ErrorKind.BAD_FIXED_FIELD,
        "transaction_date",
    )


PARSERS = {
    "94": "sip_login_response",
    "98": "sip_sc_status_response",
    "24": "sip_patron_status_response",
    "64": "sip_patron_information_response",
    "12": "sip_checkout_response",
    "10": "sip_checkin_response",
    "18": "sip_item_information_response",
    "30": "sip_renew_response",
    "66": "sip_renew_all_response",
    "36": "sip_end_patron_session_response",
    "38": "sip_fee_paid_response",
    "20": "sip_item_status_update_response",
    "26": "sip_patron_enable_response",
}
GOLDEN = Path(__file__).parent / "golden"


def _golden(command: str) -> tuple[Message, str]:
    (path,) = GOLDEN.glob(f"{command}-*.sip")
    encoding = path.suffixes[-2].lstrip(".")
    result = decode(path.read_bytes(), encoding=encoding)
    assert isinstance(result, Decoded)
    return result.message, encoding


@pytest.mark.parametrize("command", sorted(PARSERS))
def test_its_parsers_read_our_responses(client: Any, command: str) -> None:
    message, encoding = _golden(command)
    client.hostEncoding = encoding
    wire = encode(message, encoding=encoding, sequence=3).decode(encoding)
    parsed = getattr(client, PARSERS[command])(wire)
    assert list(parsed["fixed"].values()) == list(message.fixed.values())
    for fid, _ in message.fields:
        assert parsed["variable"][fid] == list(message.get_all(fid))
    assert parsed["variable"]["AY"] == ["3"]


def test_its_hold_parser_reads_our_fixed_fields(client: Any) -> None:
    # Its 16 parser takes BW for a fixed field at offset 22, so only the fields
    # before it are comparable; the mistake is the client's (reference §2.10).
    message, _ = _golden("16")
    parsed = client.sip_hold_response(encode(message, sequence=3).decode("utf-8"))
    assert parsed["fixed"]["Ok"] == message.fixed["ok"]
    assert parsed["fixed"]["Available"] == message.fixed["available"]
    assert parsed["fixed"]["TransactionDate"] == message.fixed["transaction_date"]
