"""What a kiosk is told and what is recorded: the reader's language, 96 without a checksum
where none are used, the P7 audit of reader reads, and AO/CP when the field is absent (S-4)."""

from __future__ import annotations

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

from shelfwise.core.errors import render
from shelfwise.services import Services
from shelfwise.sip2 import Decoded, Message, checksum, decode, encode


@pytest.fixture
def library(services: Services, tmp_path: Path) -> KioskLibrary:
    return make_library(services, tmp_path, language="en")


def _end_session(kiosk: Kiosk, card: str) -> Message:
    fields = [("AO", INSTITUTION), ("AA", card)]
    return kiosk.ask("35", {"transaction_date": TD}, fields)


def test_screen_messages_follow_the_language_the_kiosk_sends(library: KioskLibrary) -> None:
    (barcode,) = library.title("骆驼祥子")
    card = library.reader("祥子")
    with live_sip2(library.services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()  # an English terminal
        wrong = patron_information(kiosk, card, "000000", language="019")  # the reader chose 中文
        assert wrong.fixed["language"] == "019"
        assert list(wrong.get_all("AF")) == [render("readers.login_failed", "zh", {})]
        # The checkout carries no language: the reader's choice holds for the session.
        refused = checkout(kiosk, card, barcode, pin="000000")
        assert list(refused.get_all("AF")) == [render("readers.login_failed", "zh", {})]
        _end_session(kiosk, card)  # the next reader starts in the terminal's language
        refused = checkout(kiosk, card, barcode, pin="000000")
        assert list(refused.get_all("AF")) == [render("readers.login_failed", "en", {})]
        korean = patron_information(kiosk, card, "000000", language="020")
        assert korean.fixed["language"] == "020"
        assert list(korean.get_all("AF")) == [render("readers.login_failed", "ko", {})]
        # 000 (unspecified) and languages we have no messages in leave the choice as it is.
        for code in ("000", "003"):
            info = patron_information(kiosk, card, PIN, language=code)
            assert info.fixed["language"] == "020"


def test_a_96_carries_a_checksum_only_in_sessions_that_use_them(library: KioskLibrary) -> None:
    undecodable = b"2300120260901    093000AO" + INSTITUTION.encode() + b"|AA\xff\xfe|AC|AD|"
    with live_sip2(library.services) as server:
        with Kiosk(server.port) as plain:  # a kiosk without error detection
            login = Message.of(
                "93",
                {"uid_algorithm": "0", "pwd_algorithm": "0"},
                [("CN", TERMINAL), ("CO", TERMINAL_PASSWORD), ("CP", "desk-1")],
            )
            assert plain.send_raw(encode(login, error_detection=False)) == b"941\r"
            assert plain.send_raw(undecodable + b"\r") == b"96\r"  # on main: 96AZFEF6
        with Kiosk(server.port) as checked:  # with AY/AZ: the 96 has its checksum
            checked.login()
            assert checked.send_raw(undecodable + b"AY1AZ0000\r") == b"96AZFEF6\r"
            assert checked.send_raw(undecodable + b"\r") == b"96AZFEF6\r"


def _checkout_without_ao(kiosk: Kiosk, card: str, barcode: str) -> Message:
    """A checkout with no AO field (our encoder will not leave a required field out)."""
    fixed = {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": TD,
             "nb_due_date": " " * 18}  # fmt: skip
    fields = [("AO", INSTITUTION), ("AA", card), ("AB", barcode), ("AC", ""), ("AD", PIN)]
    whole = encode(Message.of("11", fixed, fields), error_detection=False).rstrip(b"\r")
    body = whole.replace(b"AO" + INSTITUTION.encode() + b"|", b"") + b"AY1AZ"
    answer = decode(kiosk.send_raw(body + checksum(body).encode() + b"\r"))
    assert isinstance(answer, Decoded), answer
    return answer.message


def _audit(
    services: Services,
) -> list[tuple[str, int | None, str, str, int | None, tuple[str, ...]]]:
    return [
        (e.actor_kind, e.actor_id, e.door, e.action, e.reader_id, e.fields)
        for e in reversed(services.access.audit_trail())
    ]


def test_kiosk_reads_of_reader_data_are_audited(library: KioskLibrary) -> None:
    """P7: who (the terminal), when, which reader, which fields — never the values."""
    (barcode,) = library.title("子夜")
    card = library.reader("吴荪甫", email="wu@example.org")
    services = library.services
    reader_id = services.readers.get(card).id
    terminal_id = services.terminals.get("kiosk-01").id  # type: ignore[union-attr]
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        assert checkout(kiosk, card, barcode).fixed["ok"] == "1"
        assert _audit(services) == []  # a checkout shows no reader data
        patron_information(kiosk, card, "000000")  # a wrong PIN: nothing shown, nothing read
        assert _audit(services) == []
        info = patron_information(kiosk, card, PIN, summary="  Y       ")  # charged items
        assert info.get_all("AU") == (barcode,)
        status = kiosk.ask("23", {"language": "000", "transaction_date": TD},
                           [("AO", INSTITUTION), ("AA", card), ("AC", ""), ("AD", PIN)])  # fmt: skip
        assert status.command == "24"
    assert _audit(services) == [
        ("sip2-terminal", terminal_id, "sip2", "patron_information", reader_id,
         ("fees", "loans", "masked_name", "status")),
        ("sip2-terminal", terminal_id, "sip2", "patron_status", reader_id,
         ("fees", "masked_name", "status")),
    ]  # fmt: skip
    with services.db.read() as conn:  # the trail holds names of fields, never what they held
        dump = "\n".join(str(row) for row in conn.exec_driver_sql("SELECT * FROM audit_log"))
    assert "wu@example.org" not in dump
    assert "吴荪甫" not in dump


def test_an_absent_institution_or_location_is_decided_and_a_wrong_one_audited(
    services: Services, tmp_path: Path
) -> None:
    """S-4: AO is required in every request; CP is optional in a 93."""
    library = make_library(services, tmp_path, language="en", lenient=False)
    services.terminals.create(
        name="kiosk-lenient", password="Lenient-Kiosk-1", branch="CEN", institution=INSTITUTION,
        language="en", lenient=True, location="desk-2",
    )  # fmt: skip
    (first, second) = library.title("无 AO", copies=2)
    card = library.reader("读者")
    with live_sip2(services) as server:
        with Kiosk(server.port) as strict:
            strict.login()
            missing = _checkout_without_ao(strict, card, first)
            assert missing.fixed["ok"] == "0"  # on main: checked out
            assert list(missing.get_all("AF")) == [render("sip2.institution_missing", "en", {})]
            with_ao = checkout(strict, card, first, td="20260901    093001")
            assert with_ao.fixed["ok"] == "1"
        with Kiosk(server.port) as lenient:
            # No CP in the login: the account's own location applies.
            login = [("CN", "kiosk-lenient"), ("CO", "Lenient-Kiosk-1")]
            signed_in = lenient.ask("93", {"uid_algorithm": "0", "pwd_algorithm": "0"}, login)
            assert signed_in.fixed["ok"] == "1"
            taken = _checkout_without_ao(lenient, card, second)  # the account's AO applies
            assert (taken.fixed["ok"], taken.get("AO")) == ("1", INSTITUTION)
            other = lenient.ask("17", {"transaction_date": TD}, [("AO", "OTHER"), ("AB", second)])
            assert list(other.get_all("AF")) == [render("sip2.wrong_institution", "en", {})]
        with Kiosk(server.port) as elsewhere:
            fields = [("CN", "kiosk-lenient"), ("CO", "Lenient-Kiosk-1"), ("CP", "desk-9")]
            refused = elsewhere.ask("93", {"uid_algorithm": "0", "pwd_algorithm": "0"}, fields)
            assert refused.fixed["ok"] == "0"
    lenient_id = services.terminals.get("kiosk-lenient").id  # type: ignore[union-attr]
    assert [(a[0], a[1], a[3]) for a in _audit(services)] == [
        ("sip2-terminal", lenient_id, "wrong_institution"),
        ("sip2-terminal", lenient_id, "wrong_location"),
    ]
    assert len(services.circulation.loans_of(card)) == 2
