"""The SIP2 server driven by a client we did not write (``sip2`` on PyPI), and a kiosk storm."""

from __future__ import annotations

import logging
import threading
from pathlib import Path
from typing import Any

import httpx
import pytest
from sip2_server_helpers import (
    INSTITUTION,
    PIN,
    TERMINAL,
    TERMINAL_PASSWORD,
    Kiosk,
    checkout,
    live_sip2,
    make_library,
)

from shelfwise.services import Services
from shelfwise.testing import tools
from shelfwise.testing.servers import live_server

sip2_module = tools.require_module("Sip2.sip2", "the PyPI package sip2 (the test extras)")

# The client prints from __del__ (to close a socket it may never have opened): silence it.
_QuietSip2: Any = type("QuietSip2", (sip2_module.Sip2,), {"__del__": lambda self: None})


def _client(port: int, encoding: str, card: str) -> Any:
    sip = _QuietSip2()
    # It logs credentials itself; a logger outside "shelfwise" keeps them out of ours.
    sip.log = logging.getLogger("sip2-client")
    sip.hostName = "127.0.0.1"
    sip.hostPort = port
    sip.tlsEnable = False
    sip.hostEncoding = encoding
    sip.institutionId = INSTITUTION
    sip.patron = card
    sip.patronpwd = PIN
    sip.terminalPassword = ""
    sip.scLocation = "desk-1"
    sip.connect()
    return sip


@pytest.mark.parametrize("charset", ["utf-8", "gb18030"])
def test_the_sip2_client_scenario(
    services: Services, tmp_path: Path, charset: str, caplog: pytest.LogCaptureFixture
) -> None:
    library = make_library(services, tmp_path, charset=charset, fields="AE")
    (first, second) = library.title("活着：余华长篇小说", copies=2)
    card = library.reader("김민준")
    services.fees.charge(card, "damaged", 800, "coffee")
    caplog.set_level(logging.INFO, logger="shelfwise")
    with live_sip2(services) as server:
        sip = _client(server.port, charset, card)
        try:
            ask = sip.get_response
            login = sip.sip_login_response(ask(sip.sip_login_request(TERMINAL, TERMINAL_PASSWORD)))
            assert login["fixed"]["Ok"] == "1"
            status = sip.sip_sc_status_response(ask(sip.sip_sc_status_request()))
            assert status["fixed"]["OnlineStatus"] == "Y"
            info = sip.sip_patron_information_response(
                ask(sip.sip_patron_information_request("fine"))
            )
            assert info["variable"]["AE"] == ["김민준"]
            assert info["variable"]["BV"] == ["8.00"]
            out = sip.sip_checkout_response(ask(sip.sip_checkout_request(first)))
            assert out["fixed"]["Ok"] == "1"
            assert out["variable"]["AJ"] == ["活着：余华长篇小说"]
            sip.sip_checkout_response(ask(sip.sip_checkout_request(second)))
            renewed = sip.sip_renew_response(ask(sip.sip_renew_request(second)))
            assert renewed["fixed"]["Ok"] == "1"
            back = sip.sip_checkin_response(ask(sip.sip_checkin_request(first)))
            assert back["fixed"]["Ok"] == "1"
            paid = sip.sip_fee_paid_response(
                ask(sip.sip_fee_paid_request(1, 0, "8.00", "", "", "CNY"))
            )
            assert paid["fixed"]["PaymentAccepted"] == "Y"
            charged = sip.sip_patron_information_response(
                ask(sip.sip_patron_information_request("charged"))
            )
            assert charged["variable"]["AU"] == [second]
            ended = sip.sip_end_patron_session_response(ask(sip.sip_end_patron_session_request()))
            assert ended["fixed"]["EndSession"] == "Y"
        finally:
            sip.disconnect()
    loans = services.circulation.loans_of(card)
    assert [(loan.barcode, loan.renewals) for loan in loans] == [(second, 1)]
    assert [f.balance_cents for f in services.fees.fees_of(card) if f.status == "open"] == []
    ours = "\n".join(
        r.getMessage() + repr(r.__dict__) for r in caplog.records if r.name.startswith("shelfwise")
    )
    for secret in (TERMINAL_PASSWORD, PIN, "김민준"):
        assert secret not in ours


def test_sixteen_kiosks_checking_out_one_copy_make_one_loan(
    services: Services, tmp_path: Path
) -> None:
    library = make_library(services, tmp_path, require_pin=False)
    (barcode,) = library.title("三体")
    cards = [
        services.readers.register(name=f"读者{k}", category="adult").reader.card_number
        for k in range(16)
    ]
    results: list[str] = []
    barrier = threading.Barrier(16)
    # Sixteen kiosks behind one address connecting at the same instant: more than the
    # default eight connections before login from one address (sip2-server.md).
    with live_sip2(
        services, max_connections_per_terminal=16, max_unauthenticated_per_address=16
    ) as server:

        def kiosk(card: str) -> None:
            with Kiosk(server.port) as k:
                assert k.login().fixed["ok"] == "1"
                barrier.wait(60)
                results.append(checkout(k, card, barcode, pin=None).fixed["ok"])

        threads = [threading.Thread(target=kiosk, args=(card,)) for card in cards]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert sorted(results) == ["0"] * 15 + ["1"]
    assert sum(len(services.circulation.loans_of(card)) for card in cards) == 1


def test_d1_sip2_and_rest_checkouts_of_one_copy_make_one_loan(
    services: Services, tmp_path: Path
) -> None:
    """D1 across doors: 8 kiosks over SIP2 and 8 desks over REST, one copy."""
    library = make_library(services, tmp_path, require_pin=False)
    (barcode,) = library.title("白鹿原")
    cards = [
        services.readers.register(name=f"读者{k}", category="adult").reader.card_number
        for k in range(16)
    ]
    results: list[tuple[str, bool]] = []
    barrier = threading.Barrier(16)
    with (
        live_sip2(services, max_connections_per_terminal=8) as server,
        live_server(services) as base,
    ):

        def kiosk(card: str) -> None:
            with Kiosk(server.port) as k:
                assert k.login().fixed["ok"] == "1"
                barrier.wait(60)
                results.append(("sip2", checkout(k, card, barcode, pin=None).fixed["ok"] == "1"))

        def desk(card: str) -> None:
            with httpx.Client(timeout=60) as client:
                barrier.wait(60)
                response = client.post(
                    f"{base}/api/v1/checkout",
                    json={"card_number": card, "barcode": barcode, "branch": "CEN"},
                )
                results.append(("rest", response.status_code == 201))

        threads = [
            threading.Thread(target=kiosk if k % 2 else desk, args=(card,))
            for k, card in enumerate(cards)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(120)
    assert len(results) == 16
    assert sum(ok for _, ok in results) == 1
    assert sum(len(services.circulation.loans_of(card)) for card in cards) == 1
