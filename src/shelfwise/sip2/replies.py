"""The building blocks of every SIP2 response: dates, language, money, screen messages,
the institution, titles and branch codes, and the negative form of each response.

Shared by the request handlers (``handlers.py``, ``patrons.py``) and the session; a
screen message (AF) is in the reader's language (``Session.screen_language``).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time

from shelfwise.circulation.scope import Acting, terminal_at
from shelfwise.core.errors import ShelfwiseError
from shelfwise.sip2.dates import format_sip_date, local_sip_date
from shelfwise.sip2.model import Message
from shelfwise.sip2.session import Session
from shelfwise.sip2.values import UNKNOWN_PATRON_STATUS, DisplayKind, DisplayLine, display_fields

Result = tuple[Message, str]
Fields = list[tuple[str, str]]

LANGUAGE_CODES = {"en": "001", "zh": "019", "ko": "020"}
# The 2.00 language codes we have screen messages for (docs/sip2.md): English (and UK
# English), Chinese (and "Taiwanese"), Korean. Others, and 000, leave the terminal's.
SCREEN_LANGUAGES = {"001": "en", "024": "en", "019": "zh", "027": "zh", "020": "ko"}


def now(s: Session) -> str:
    clock = s.services.clock
    return local_sip_date(clock.now(), clock.zone)


def due(day: date) -> str:
    return format_sip_date(datetime.combine(day, time(23, 59, 59)))


def language(s: Session) -> str:
    return LANGUAGE_CODES.get(s.screen_language(), "000")


def choose_language(s: Session, m: Message) -> None:
    """A 23 or 63 names the language the reader chose at the kiosk: screen messages use it
    until the patron session ends (35)."""
    chosen = SCREEN_LANGUAGES.get(m.fixed.get("language", ""))
    if chosen is not None:
        s.language = chosen


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def screen(s: Session, code: str, params: dict[str, str] | None = None) -> Fields:
    return list(display_fields([DisplayLine(DisplayKind.SCREEN, s.text(code, params))]))


def institution(s: Session, m: Message) -> str:
    assert s.terminal is not None
    return m.get("AO") or s.terminal.institution


def title(s: Session, record_id: int) -> str:
    try:
        return s.services.catalogue.title(record_id)
    except ShelfwiseError:
        return ""


def here(s: Session) -> Acting:
    """The terminal as circulation's actor: it acts at its own branch only."""
    assert s.terminal is not None
    return terminal_at(s.terminal.branch_code)


def branch_code(s: Session, branch_id: int) -> str:
    return s.branch_code(branch_id)


def refusal(s: Session, m: Message, code: str, params: dict[str, str] | None = None) -> Message:
    """The negative form of the response to ``m``, with a screen message for ``code``."""
    stamp = now(s)
    lines = screen(s, code, params)
    ao = ("AO", institution(s, m))
    aa = ("AA", m.get("AA") or "")
    ab = ("AB", m.get("AB") or "")
    patron_fixed = {
        "patron_status": UNKNOWN_PATRON_STATUS.to_field(),
        "language": language(s) if s.terminal else "000",
        "transaction_date": stamp,
    }
    loan_fixed = {
        "ok": "0",
        "renewal_ok": "N",
        "magnetic_media": "U",
        "desensitize": "N",
        "transaction_date": stamp,
    }
    blank = "    "
    builders: dict[str, Callable[[], Message]] = {
        "11": lambda: Message.of("12", loan_fixed, [ao, aa, ab, ("AJ", ""), ("AH", ""), *lines]),
        "29": lambda: Message.of("30", loan_fixed, [ao, aa, ab, ("AJ", ""), ("AH", ""), *lines]),
        "09": lambda: Message.of(
            "10",
            {"ok": "0", "resensitize": "N", "magnetic_media": "U", "alert": "Y",
             "transaction_date": stamp},
            [ao, ab, ("AQ", ""), *lines],
        ),
        "17": lambda: Message.of(
            "18",
            {"circulation_status": "01", "security_marker": "00", "fee_type": "01",
             "transaction_date": stamp},
            [ab, ("AJ", ""), *lines],
        ),
        "65": lambda: Message.of(
            "66",
            {"ok": "0", "renewed_count": "0000", "unrenewed_count": "0000",
             "transaction_date": stamp},
            [ao, *lines],
        ),
        "15": lambda: Message.of(
            "16", {"ok": "0", "available": "N", "transaction_date": stamp}, [ao, aa, *lines]
        ),
        "35": lambda: Message.of(
            "36", {"end_session": "N", "transaction_date": stamp}, [ao, aa, *lines]
        ),
        "37": lambda: Message.of(
            "38", {"payment_accepted": "N", "transaction_date": stamp}, [ao, aa, *lines]
        ),
        "19": lambda: Message.of(
            "20", {"item_properties_ok": "0", "transaction_date": stamp}, [ab, *lines]
        ),
        "25": lambda: Message.of("26", patron_fixed, [ao, aa, ("AE", ""), *lines]),
        "63": lambda: Message.of(
            "64",
            {**patron_fixed, **{k: blank for k in _COUNTS}},
            [ao, aa, ("AE", ""), *lines],
        ),
        "99": lambda: Message.of(
            "98",
            {"online_status": "N", "checkin_ok": "N", "checkout_ok": "N",
             "acs_renewal_policy": "N", "status_update_ok": "N", "offline_ok": "N",
             "timeout_period": "000", "retries_allowed": "000",
             "date_time_sync": "0" * 18, "protocol_version": "2.00"},
            [ao, ("BX", "N" * 16), *lines],
        ),
    }  # fmt: skip
    build = builders.get(m.command)
    if build is None:  # 23 and 01 are both answered with a 24
        return Message.of("24", patron_fixed, [ao, aa, ("AE", ""), *lines])
    return build()


_COUNTS = (
    "hold_items_count",
    "overdue_items_count",
    "charged_items_count",
    "fine_items_count",
    "recall_items_count",
    "unavailable_holds_count",
)

_ORDER_64 = ("AO", "AA", "AE", "BZ", "CA", "CB", "BL", "CQ", "BH", "BV", "CC")


def ordered(fields: Fields) -> Fields:
    """Fields in the order the 2.00 Guide lists them (lists, then BD/BE/BF, then AF/AG)."""

    def rank(fid: str) -> int:
        if fid in _ORDER_64:
            return _ORDER_64.index(fid)
        if fid in ("AF", "AG"):
            return 40
        if fid in ("BD", "BE", "BF"):
            return 30
        return 20

    return sorted(fields, key=lambda pair: rank(pair[0]))
