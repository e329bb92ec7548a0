"""Replies a kiosk can always read: fields fitted for the wire, and made before the commit.

A title over 255 characters, or a title or name holding '|' or a control character,
used to commit the checkout or check-in and then fail to encode: the kiosk got no
answer and a resend failed the same way (issue 12).
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from sip2_server_helpers import (
    INSTITUTION,
    PIN,
    TD,
    Kiosk,
    KioskLibrary,
    checkout,
    live_sip2,
    make_library,
    patron_information,
)
from sqlalchemy import text

from shelfwise.core.errors import render
from shelfwise.services import Services
from shelfwise.sip2 import Decoded, Message, codec, decode, session
from shelfwise.sip2.model import EncodeError

# A 4-byte character (U+20000) where a cut to 255 bytes falls inside it in UTF-8.
LONG_TITLE = "长" * 83 + "𠀀" + "篇" * 200
PIPED_TITLE = "红楼梦 | 脂砚斋评本\x07 卷一\x1b[0m\n下"
NAME = "李|白\x07"


def _checkin(kiosk: Kiosk, barcode: str, seq: int | None = None) -> Message:
    fixed = {"no_block": "N", "transaction_date": TD, "return_date": TD}
    fields = [("AP", "desk-1"), ("AO", INSTITUTION), ("AB", barcode), ("AC", "")]
    return kiosk.ask("09", fixed, fields, seq=seq)


def _decoded(raw: bytes, charset: str) -> Message:
    result = decode(raw, encoding=charset)
    assert isinstance(result, Decoded), (raw, result)
    return result.message


def _set_title(library: KioskLibrary, barcode: str, title: str) -> None:
    """A title as it may sit in the catalogue (migrated, or imported before repairs)."""
    record_id = library.services.circulation.item_status(barcode).record_id
    with library.services.db.write() as conn:
        conn.execute(
            text("UPDATE records SET title = :t WHERE id = :id"), {"t": title, "id": record_id}
        )


@pytest.mark.parametrize("charset", ["utf-8", "gb18030"])
def test_titles_and_names_sip2_cannot_carry_are_fitted_not_lost(
    services: Services, tmp_path: Path, charset: str
) -> None:
    library = make_library(services, tmp_path, charset=charset, fields="AE")
    (long_copy,) = library.title("长篇")
    (piped_copy,) = library.title("红楼梦")
    _set_title(library, long_copy, LONG_TITLE)
    _set_title(library, piped_copy, PIPED_TITLE)
    card = library.reader(NAME)
    with live_sip2(services) as server, Kiosk(server.port, encoding=charset) as kiosk:
        assert kiosk.login().fixed["ok"] == "1"
        titles = {}
        for barcode in (long_copy, piped_copy):
            request = kiosk.wire(
                "11",
                {"sc_renewal_policy": "N", "no_block": "N", "transaction_date": TD,
                 "nb_due_date": " " * 18},
                [("AO", INSTITUTION), ("AA", card), ("AB", barcode), ("AC", ""), ("AD", PIN)],
                None,
            )  # fmt: skip
            first = kiosk.send_raw(request)
            assert kiosk.send_raw(request) == first  # a resend gets the same answer
            loan = _decoded(first, charset)
            assert loan.fixed["ok"] == "1"
            titles[barcode] = loan.get("AJ") or ""
            back = _checkin(kiosk, barcode)
            assert (back.fixed["ok"], back.get("AJ")) == ("1", titles[barcode])
        info = patron_information(kiosk, card, PIN)
    long_title = titles[long_copy]
    # Cut to 255 bytes of the terminal's set, at a character boundary, marked as cut.
    assert len(long_title.encode(charset)) <= 255
    assert long_title.endswith("…")
    assert LONG_TITLE.startswith(long_title[:-1])
    assert len((long_title[:-1] + LONG_TITLE[len(long_title) - 1]).encode(charset)) > 252
    if charset == "utf-8":  # 83 × 3 bytes + the ellipsis: the 4-byte character did not fit
        assert long_title == "长" * 83 + "…"
    # '|' replaced, control characters dropped (a newline became a space).
    assert titles[piped_copy] == "红楼梦 / 脂砚斋评本 卷一[0m 下"
    assert info.get("AE") == "李/白"
    assert library.services.circulation.loans_of(card) == []


def _failing_for(command: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the encoder fail for positive ``command`` responses (a bug we cannot foresee)."""
    real = codec.encode

    def encode(message: Message, **kwargs: object) -> bytes:
        if message.command == command and message.fixed.get("ok") == "1":
            raise EncodeError(command, "simulated failure", "AJ")
        return real(message, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(session, "encode", encode)


def test_a_reply_that_cannot_be_made_commits_nothing(
    services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    library = make_library(services, tmp_path, language="en")
    (barcode,) = library.title("未竟")
    card = library.reader("读者")
    circulation = services.circulation
    failed = render("sip2.reply_failed", "en", {})
    with live_sip2(services) as server, Kiosk(server.port) as kiosk:
        kiosk.login()
        with monkeypatch.context() as patch, caplog.at_level(logging.ERROR, "shelfwise.sip2"):
            _failing_for("12", patch)
            refused = checkout(kiosk, card, barcode)
            assert (refused.fixed["ok"], list(refused.get_all("AF"))) == ("0", [failed])
            assert circulation.loans_of(card) == []  # the checkout was rolled back
        assert any("could not be made" in r.getMessage() for r in caplog.records)
        assert checkout(kiosk, card, barcode).fixed["ok"] == "1"  # the same request, now
        with monkeypatch.context() as patch:
            _failing_for("10", patch)
            refused = _checkin(kiosk, barcode)
            assert (refused.fixed["ok"], list(refused.get_all("AF"))) == ("0", [failed])
            assert [loan.barcode for loan in circulation.loans_of(card)] == [barcode]
        assert _checkin(kiosk, barcode).fixed["ok"] == "1"
    assert circulation.loans_of(card) == []
