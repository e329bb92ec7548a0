"""The building blocks of every SIP2 response: dates, language, money, screen messages,
the institution, titles and branch codes, and the negative form of each response.

Shared by the request handlers (``handlers.py``, ``patrons.py``) and the session; a
screen message (AF) is in the reader's language (``Session.screen_language``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
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


def now(session: Session) -> str:
    clock = session.services.clock
    return local_sip_date(clock.now(), clock.zone)


def due(day: date) -> str:
    return format_sip_date(datetime.combine(day, time(23, 59, 59)))


def language(session: Session) -> str:
    return LANGUAGE_CODES.get(session.screen_language(), "000")


def choose_language(session: Session, message: Message) -> None:
    """A 23 or 63 names the language the reader chose at the kiosk: screen messages use it
    until the patron session ends (35)."""
    chosen = SCREEN_LANGUAGES.get(message.fixed.get("language", ""))
    if chosen is not None:
        session.language = chosen


def money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def screen(session: Session, code: str, params: dict[str, str] | None = None) -> Fields:
    return list(display_fields([DisplayLine(DisplayKind.SCREEN, session.text(code, params))]))


def institution(session: Session, message: Message) -> str:
    assert session.terminal is not None
    return message.get("AO") or session.terminal.institution


def title(session: Session, record_id: int) -> str:
    try:
        return session.services.catalogue.title(record_id)
    except ShelfwiseError:
        return ""


def here(session: Session) -> Acting:
    """The terminal as circulation's actor: it acts at its own branch only."""
    assert session.terminal is not None
    return terminal_at(session.terminal.branch_code)


def branch_code(session: Session, branch_id: int) -> str:
    return session.branch_code(branch_id)


@dataclass(frozen=True, slots=True)
class Negative:
    """The negative form of one response: its command, the fixed fields that say no, and
    the ID'd fields before the screen message. ``ECHO`` fields take the request's value
    (AO: the terminal's institution when the request leaves it out); the others are
    constant. ``patron``: the fixed fields carry an unknown patron status and the
    screen language; ``stamped``: a transaction date."""

    command: str
    fixed: Mapping[str, str]
    fields: tuple[tuple[str, str | None], ...]
    patron: bool = False
    stamped: bool = True


ECHO = None
PATRON_COUNTS = (
    "hold_items_count",
    "overdue_items_count",
    "charged_items_count",
    "fine_items_count",
    "recall_items_count",
    "unavailable_holds_count",
)
_LOAN_REFUSED = {"ok": "0", "renewal_ok": "N", "magnetic_media": "U", "desensitize": "N"}
_LOAN_FIELDS = (("AO", ECHO), ("AA", ECHO), ("AB", ECHO), ("AJ", ""), ("AH", ""))
_PATRON_FIELDS = (("AO", ECHO), ("AA", ECHO), ("AE", ""))
# 23 and 01 (and a command we do not answer) are refused with a 24.
_PATRON_STATUS = Negative("24", {}, _PATRON_FIELDS, patron=True)
NEGATIVE: dict[str, Negative] = {
    "11": Negative("12", _LOAN_REFUSED, _LOAN_FIELDS),
    "29": Negative("30", _LOAN_REFUSED, _LOAN_FIELDS),
    "09": Negative(
        "10",
        {"ok": "0", "resensitize": "N", "magnetic_media": "U", "alert": "Y"},
        (("AO", ECHO), ("AB", ECHO), ("AQ", "")),
    ),
    "17": Negative(
        "18",
        {"circulation_status": "01", "security_marker": "00", "fee_type": "01"},
        (("AB", ECHO), ("AJ", "")),
    ),
    "65": Negative(
        "66", {"ok": "0", "renewed_count": "0000", "unrenewed_count": "0000"}, (("AO", ECHO),)
    ),
    "15": Negative("16", {"ok": "0", "available": "N"}, (("AO", ECHO), ("AA", ECHO))),
    "35": Negative("36", {"end_session": "N"}, (("AO", ECHO), ("AA", ECHO))),
    "37": Negative("38", {"payment_accepted": "N"}, (("AO", ECHO), ("AA", ECHO))),
    "19": Negative("20", {"item_properties_ok": "0"}, (("AB", ECHO),)),
    "23": _PATRON_STATUS,
    "01": _PATRON_STATUS,
    "25": Negative("26", {}, _PATRON_FIELDS, patron=True),
    "63": Negative("64", {count: "    " for count in PATRON_COUNTS}, _PATRON_FIELDS, patron=True),
    "99": Negative(
        "98",
        {
            "online_status": "N",
            "checkin_ok": "N",
            "checkout_ok": "N",
            "acs_renewal_policy": "N",
            "status_update_ok": "N",
            "offline_ok": "N",
            "timeout_period": "000",
            "retries_allowed": "000",
            "date_time_sync": "0" * 18,
            "protocol_version": "2.00",
        },
        (("AO", ECHO), ("BX", "N" * 16)),
        stamped=False,
    ),
}


def refusal(
    session: Session, message: Message, code: str, params: dict[str, str] | None = None
) -> Message:
    """The negative form of the response to ``message``, with a screen message for ``code``."""
    form = NEGATIVE.get(message.command, _PATRON_STATUS)
    fixed = dict(form.fixed)
    if form.patron:
        fixed["patron_status"] = UNKNOWN_PATRON_STATUS.to_field()
        fixed["language"] = language(session) if session.terminal else "000"
    if form.stamped:
        fixed["transaction_date"] = now(session)
    fields = [
        (fid, _echo(session, message, fid) if value is ECHO else value)
        for fid, value in form.fields
    ]
    return Message.of(form.command, fixed, [*fields, *screen(session, code, params)])


def _echo(session: Session, message: Message, fid: str) -> str:
    return institution(session, message) if fid == "AO" else message.get(fid) or ""


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
