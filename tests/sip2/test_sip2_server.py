"""The SIP2 server on a real loopback port, spoken to over raw sockets (S-1 to S-10, P15)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sip2_server_helpers import (
    INSTITUTION,
    PIN,
    TD,
    TERMINAL,
    TERMINAL_PASSWORD,
    Kiosk,
    KioskLibrary,
    checkout,
    live_sip2,
    make_library,
    patron_information,
)

from shelfwise.app import sip2_server
from shelfwise.services import Services
from shelfwise.sip2 import checksum, decode
from shelfwise.sip2.server import ServerConfig

PERSONAL = ("BD", "BE", "BF", "PB")


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path)


def test_login_then_status_checkout_checkin(library: KioskLibrary) -> None:
    (barcode,) = library.title("活着")
    card = library.reader("김민준")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        assert kiosk.login().fixed["ok"] == "1"
        status = kiosk.ask("99", {"status_code": "0", "max_print_width": "080",
                                  "protocol_version": "2.00"}, [])  # fmt: skip
        assert status.command == "98"
        assert status.get("AO") == INSTITUTION
        loan = checkout(kiosk, card, barcode)
        assert (loan.command, loan.fixed["ok"]) == ("12", "1")
        assert (
            loan.get(
                "AJ",
            )
            == "活着"
        )
        assert loan.get("AH")
        back = kiosk.ask("09", {"no_block": "N", "transaction_date": TD, "return_date": TD},
                         [("AP", "desk-1"), ("AO", INSTITUTION), ("AB", barcode), ("AC", "")])  # fmt: skip
        assert (back.command, back.fixed["ok"], back.get("AQ")) == ("10", "1", "CEN")
    assert library.services.circulation.loans_of(card) == []


def test_three_wrong_terminal_passwords_close_the_connection(library: KioskLibrary) -> None:
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        assert kiosk.login("wrong-password-1").fixed["ok"] == "0"
        assert kiosk.login("wrong-password-2").fixed["ok"] == "0"
        assert kiosk.login("wrong-password-3").fixed["ok"] == "0"
        assert kiosk.closed()
    assert library.services.terminals.get(TERMINAL).failures == 3  # type: ignore[union-attr]


def test_nothing_but_a_login_before_login(library: KioskLibrary) -> None:
    card = library.reader("王芳", email="wang@example.org")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        raw = kiosk.send_raw(kiosk.wire("63", {"language": "019", "transaction_date": TD,
                                               "summary": " " * 10},
                                        [("AO", INSTITUTION), ("AA", card), ("AD", PIN)], 1))  # fmt: skip
        assert raw == b""
        assert kiosk.closed()


def test_a_wrong_pin_returns_no_personal_fields(services: Services, tmp_path: Path) -> None:
    library = make_library(services, tmp_path, fields="AE,BE,BF")
    card = library.reader("王芳", email="wang@example.org", phone="13800000000")
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        for pin in ("000000", None):
            info = patron_information(kiosk, card, pin, summary="  Y       ")
            assert not any(info.has(fid) for fid in PERSONAL)
            assert info.get("AE") == ""
            assert info.get("BL") == "Y"
            assert info.fixed["charged_items_count"] == "    "
            assert info.get_all("AF")
        assert info.get("CQ") is None
        wrong = patron_information(kiosk, card, "000000")
        assert wrong.get("CQ") == "N"
        right = patron_information(kiosk, card, PIN)
        assert (right.get("AE"), right.get("BE"), right.get("CQ")) == (
            "王芳",
            "wang@example.org",
            "Y",
        )
        # The verified PIN is remembered for the session: no AD needed any more.
        assert patron_information(kiosk, card, None).get("AE") == "王芳"
        # ...until a wrong one is given.
        patron_information(kiosk, card, "111111")
        assert patron_information(kiosk, card, None).get("AE") == ""


def test_default_terminal_gets_a_masked_name_and_no_contact_fields(library: KioskLibrary) -> None:
    card = library.reader("王芳芳", email="wang@example.org", phone="13800000000")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        info = patron_information(kiosk, card, PIN)
        assert info.get("AE") == "王**"
        assert info.get("CQ") == "Y"
        assert not any(info.has(fid) for fid in PERSONAL)


@pytest.mark.parametrize(
    "garbage",
    [
        bytes.fromhex("16030100f4010000f00303") + b"\x00" * 40,  # a TLS ClientHello
        b"GET / HTTP/1.1\r\nHost: x\r\n\r\n",
        b"\xff\xfe\x00garbage",
    ],
)
def test_garbage_gets_a_clean_close_and_the_server_goes_on(
    library: KioskLibrary, garbage: bytes
) -> None:
    with live_sip2(library.services) as server:
        with Kiosk(server.port) as kiosk:
            kiosk.sock.sendall(garbage)
            assert kiosk.closed()
        with Kiosk(server.port) as kiosk:
            assert kiosk.login().fixed["ok"] == "1"


def test_an_oversized_message_closes_the_connection(library: KioskLibrary) -> None:
    with live_sip2(library.services, max_message_bytes=512) as server:
        with Kiosk(server.port) as kiosk:
            kiosk.login()
            kiosk.sock.sendall(b"63019" + b"A" * 2000)
            assert kiosk.closed()
        with Kiosk(server.port) as kiosk:
            assert kiosk.login().fixed["ok"] == "1"


def _characters_checksum(body: str) -> bytes:
    """The checksum the way many kiosks compute it: over characters, not bytes."""
    value = (-sum(ord(c) for c in body)) & 0xFFFF
    return (body + format(value, "04X") + "\r").encode("utf-8")


@pytest.mark.parametrize("lenient", [False, True])
def test_checksum_over_characters_strict_and_lenient(
    services: Services, tmp_path: Path, lenient: bool
) -> None:
    library = make_library(services, tmp_path, lenient=lenient)
    (barcode,) = library.title("红楼梦")
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        body = f"17{TD}AO{INSTITUTION}|AB{barcode}|AC中文|AY2AZ"
        raw = kiosk.send_raw(_characters_checksum(body))
        assert raw.startswith(b"18" if lenient else b"96")
        # A checksum that is simply wrong is refused in both modes.
        bad = f"17{TD}AO{INSTITUTION}|AB{barcode}|AC|AY3AZ0000\r".encode()
        assert kiosk.send_raw(bad).startswith(b"96")


def test_97_resends_the_last_response(library: KioskLibrary) -> None:
    (barcode,) = library.title("三体")
    card = library.reader("刘慈")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        first = kiosk.send_raw(kiosk.wire("11", {"sc_renewal_policy": "N", "no_block": "N",
                                                 "transaction_date": TD, "nb_due_date": " " * 18},
                                          [("AO", INSTITUTION), ("AA", card), ("AB", barcode),
                                           ("AC", ""), ("AD", PIN)], 4))  # fmt: skip
        again = kiosk.send_raw(b"97AZFEF5\r")
        assert again == first
        assert first.startswith(b"121")


def test_a_resent_checkout_makes_one_loan(library: KioskLibrary) -> None:
    (barcode,) = library.title("围城")
    card = library.reader("钱钟")
    with live_sip2(library.services) as server:
        with Kiosk(server.port) as kiosk:
            kiosk.login()
            first = checkout(kiosk, card, barcode, seq=5)
            second = checkout(kiosk, card, barcode, seq=5)  # same bytes, same sequence
            assert first == second
            assert first.fixed["ok"] == "1"
        with Kiosk(server.port) as kiosk:  # the kiosk reconnected and sent it again
            kiosk.login()
            third = checkout(kiosk, card, barcode, seq=5)
            assert third.fixed["ok"] == "1"
            assert third.get("AB") == barcode
            # Its sequence number restarted after the reconnect: still the same request.
            assert checkout(kiosk, card, barcode, seq=0) == third
            # A new request (another transaction date) is a new transaction: refused.
            fourth = checkout(kiosk, card, barcode, td="20260901    093100")
            assert fourth.fixed["ok"] == "0"
            assert fourth.get_all("AF")
    assert len(library.services.circulation.loans_of(card)) == 1


def test_institution_and_messages_are_checked_against_the_account(
    services: Services, tmp_path: Path
) -> None:
    library = make_library(services, tmp_path, messages="93,99,17,63,23")
    (barcode,) = library.title("平凡的世界")
    card = library.reader("路遥")
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        refused = checkout(kiosk, card, barcode)
        assert refused.fixed["ok"] == "0"
        assert "本机不能办理" in refused.get_all("AF")[0]
        other = kiosk.ask("17", {"transaction_date": TD}, [("AO", "OTHERLIB"), ("AB", barcode)])
        assert other.fixed["circulation_status"] == "01"
        assert other.get_all("AF")
        ours = kiosk.ask("17", {"transaction_date": TD}, [("AO", INSTITUTION), ("AB", barcode)])
        assert ours.fixed["circulation_status"] == "03"
        assert ours.get("AJ") == "平凡的世界"
    assert services.circulation.loans_of(card) == []


def test_wrong_location_or_source_network_fails_the_login(
    services: Services, tmp_path: Path
) -> None:
    make_library(services, tmp_path, networks="10.8.0.0/24")
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        assert kiosk.login().fixed["ok"] == "0"  # we come from 127.0.0.1
    services.terminals.create(name=TERMINAL, password=TERMINAL_PASSWORD, branch="CEN",
                           institution=INSTITUTION, location="desk-9")  # fmt: skip
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        assert kiosk.login().fixed["ok"] == "0"  # CP desk-1 is not desk-9


def test_a_non_loopback_plain_listener_needs_allowed_networks(library: KioskLibrary) -> None:
    config = ServerConfig(host="0.0.0.0", port=6001)
    with pytest.raises(ValueError, match="sip2_allowed_networks"):
        sip2_server(library.services, config)


def test_statistics_and_logs_without_secrets(
    library: KioskLibrary, caplog: pytest.LogCaptureFixture
) -> None:
    (barcode,) = library.title("活着")
    card = library.reader("余华")
    caplog.set_level(logging.INFO, logger="shelfwise")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login("not-the-password")
        kiosk.login()
        checkout(kiosk, card, barcode, seq=1)
        patron_information(kiosk, card, "000000")
    terminal = library.services.terminals.get(TERMINAL)
    assert terminal is not None
    assert (terminal.transactions, terminal.failures) == (2, 2)
    assert terminal.last_seen_at is not None
    text = "\n".join(r.getMessage() + repr(r.__dict__) for r in caplog.records)
    assert "terminal=kiosk-01" in text
    assert "seq=1" in text
    assert "outcome=ok" in text
    for secret in (TERMINAL_PASSWORD, PIN, "not-the-password", "000000", "余华"):
        assert secret not in text


def test_checksum_helper_agrees_with_the_codec() -> None:
    assert checksum(b"97AZ") == "FEF5"
    assert decode(b"97AZFEF5\r").ok


def test_a_cancelled_checkout_is_taken_back_and_a_second_login_is_answered(
    library: KioskLibrary,
) -> None:
    (barcode,) = library.title("边城")
    card = library.reader("沈从文")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        assert checkout(kiosk, card, barcode).fixed["ok"] == "1"
        fixed = {
            "sc_renewal_policy": "N",
            "no_block": "N",
            "transaction_date": TD,
            "nb_due_date": " " * 18,
        }
        fields = [("AO", INSTITUTION), ("AA", card), ("AB", barcode), ("AC", ""), ("AD", PIN),
                  ("BI", "Y")]  # fmt: skip
        cancelled = kiosk.ask("11", fixed, fields)
        assert cancelled.fixed["ok"] == "1"
        assert cancelled.fixed["desensitize"] == "N"
        assert library.services.circulation.loans_of(card) == []
        # Cancelling what is not (or no longer) the reader's loan is refused.
        assert kiosk.ask("11", fixed, fields).fixed["ok"] == "0"
        assert kiosk.login().fixed["ok"] == "1"
        assert kiosk.login("wrong-password").fixed["ok"] == "0"
