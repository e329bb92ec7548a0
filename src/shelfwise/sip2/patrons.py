"""Who the reader is and what a kiosk may learn: 23, 63, 35 and 01, the PIN refusals and
the P7 audit of what was shown.

What a kiosk may learn about a reader is decided in one place, :func:`identity`, from
the PIN check and the terminal's field allow-list (P15, S-5); every reply that shows a
reader's data writes one ``audit_log`` row naming the terminal and the fields (P7).
"""

from __future__ import annotations

from dataclasses import dataclass

from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.models import Fee, Hold, Loan
from shelfwise.circulation.standing import Standing
from shelfwise.circulation.states import ACTIVE_HOLDS, HoldStatus
from shelfwise.sip2 import replies
from shelfwise.sip2.model import Message
from shelfwise.sip2.replies import Fields, Result
from shelfwise.sip2.session import Patron, Session
from shelfwise.sip2.values import (
    UNKNOWN_PATRON_STATUS,
    ItemList,
    PatronCondition,
    PatronStatus,
    format_count,
    selected_list,
)

MAX_LIST_ENTRIES = 20  # keeps a 64 small (kiosks, and the sip2 client, read 4 KB at a time)
NO_STATUS = PatronStatus()


def masked(name: str) -> str:
    return name[:1] + "*" * min(max(len(name) - 1, 1), 3) if name else ""


def identity(session: Session, patron: Patron) -> Fields:
    """AE and the personal fields this terminal may receive for this request."""
    assert session.terminal is not None
    if not patron.may_see or patron.reader is None:
        return [("AE", "")]
    allowed = session.terminal.fields
    reader = patron.reader
    fields: Fields = [("AE", reader.name if "AE" in allowed else masked(reader.name))]
    if "BE" in allowed and reader.email:
        fields.append(("BE", reader.email))
    if "BF" in allowed and reader.phone:
        fields.append(("BF", reader.phone))
    return fields


def validity(patron: Patron) -> Fields:
    fields: Fields = [("BL", "Y" if patron.reader is not None else "N")]
    if patron.pin_given:
        fields.append(("CQ", "N" if patron.pin_wrong or patron.reader is None else "Y"))
    return fields


def _status(patron: Patron, standing: Standing | None) -> PatronStatus:
    """The 14 status flags: circulation's standing of the reader, in the kiosk's terms."""
    if patron.reader is None:
        return UNKNOWN_PATRON_STATUS
    if not patron.may_see or standing is None:
        return NO_STATUS
    conditions: set[PatronCondition] = set()
    if not standing.may_borrow:
        conditions.add(PatronCondition.CHARGE_PRIVILEGES_DENIED)
    if not standing.may_renew:
        conditions.add(PatronCondition.RENEWAL_PRIVILEGES_DENIED)
        conditions.add(PatronCondition.RECALL_PRIVILEGES_DENIED)
    if not standing.may_hold:
        conditions.add(PatronCondition.HOLD_PRIVILEGES_DENIED)
    if standing.loans.overdue:
        conditions.add(PatronCondition.TOO_MANY_ITEMS_OVERDUE)
    if standing.loans.lost:
        conditions.add(PatronCondition.TOO_MANY_ITEMS_LOST)
    if standing.fees_over_limit:
        conditions.add(PatronCondition.EXCESSIVE_OUTSTANDING_FEES)
    return PatronStatus(frozenset(conditions))


def open_fees(session: Session, card: str) -> list[Fee]:
    return [f for f in session.services.fees.fees_of(card) if f.status == "open"]


def pin_refusal(session: Session, message: Message, patron: Patron) -> Result | None:
    """None when the reader may act; else the refusal (unknown card, wrong or missing PIN)."""
    if patron.reader is None:
        return replies.refusal(
            session, message, "readers.not_found", {"card": patron.card}
        ), "unknown reader"
    if patron.may_see:
        return None
    code = pin_code(patron)
    return replies.refusal(session, message, code), code


def pin_code(patron: Patron) -> str:
    """The screen message for a reader whose data may not be shown."""
    if patron.locked:
        return "sip2.pin_locked"
    return "readers.login_failed" if patron.pin_given else "sip2.pin_required"


def patron_status(session: Session, message: Message, key: RequestKey) -> Result:
    replies.choose_language(session, message)
    patron = session.patron(message)
    standing = session.services.circulation.standing(patron.card) if patron.may_see else None
    fixed = {
        "patron_status": _status(patron, standing).to_field(),
        "language": replies.language(session),
        "transaction_date": replies.now(session),
    }
    fields: Fields = [
        ("AO", replies.institution(session, message)),
        ("AA", patron.card),
        *identity(session, patron),
        *validity(patron),
    ]
    if standing is not None:
        fields += [("BH", "CNY"), ("BV", replies.money(standing.owed_cents))]
        audit_read(session, patron, "patron_status", fields)
    elif patron.locked:
        fields += replies.screen(session, "sip2.pin_locked")
    return Message.of("24", fixed, replies.ordered(fields)), outcome(patron)


def patron_information(session: Session, message: Message, key: RequestKey) -> Result:
    replies.choose_language(session, message)
    patron = session.patron(message)
    fixed = {
        "patron_status": _status(patron, None).to_field(),
        "language": replies.language(session),
        "transaction_date": replies.now(session),
        **{count: "    " for count in replies.PATRON_COUNTS},
    }
    fields: Fields = [
        ("AO", replies.institution(session, message)),
        ("AA", patron.card),
        *identity(session, patron),
        *validity(patron),
    ]
    if not patron.may_see:
        if patron.reader is None:
            fields += replies.screen(session, "readers.not_found", {"card": patron.card})
        else:
            fields += replies.screen(session, pin_code(patron))
        return Message.of("64", fixed, replies.ordered(fields)), outcome(patron)
    account = _Account.of(session, patron.card)
    fixed.update(
        patron_status=_status(
            patron, session.services.circulation.standing(patron.card)
        ).to_field(),
        **account.counts(),
    )
    fees = sum(fee.balance_cents for fee in account.fees)
    fields += [("BH", "CNY"), ("BV", replies.money(fees)), *account.item_list(session, message)]
    audit_read(session, patron, "patron_information", fields)
    return Message.of("64", fixed, replies.ordered(fields)), "ok"


@dataclass(frozen=True, slots=True)
class _Account:
    """What a 64 summarises of a verified reader: loans, holds and open fees."""

    loans: list[Loan]
    overdue: list[Loan]
    ready: list[Hold]  # on the hold shelf
    waiting: list[Hold]  # not yet
    fees: list[Fee]

    @classmethod
    def of(cls, session: Session, card: str) -> _Account:
        circulation = session.services.circulation
        loans = circulation.loans_of(card)
        holds = [hold for hold in circulation.holds_of(card) if hold.status in ACTIVE_HOLDS]
        today = session.services.clock.today()
        return cls(
            loans=loans,
            overdue=[loan for loan in loans if loan.due_on < today],
            ready=[hold for hold in holds if hold.status is HoldStatus.READY],
            waiting=[hold for hold in holds if hold.status is not HoldStatus.READY],
            fees=open_fees(session, card),
        )

    def counts(self) -> dict[str, str]:
        return {
            "hold_items_count": format_count(len(self.ready)),
            "overdue_items_count": format_count(len(self.overdue)),
            "charged_items_count": format_count(len(self.loans)),
            "fine_items_count": format_count(len(self.fees)),
            "unavailable_holds_count": format_count(len(self.waiting)),
        }

    def item_list(self, session: Session, message: Message) -> Fields:
        """The one list the 63's summary asks for, in the range it asks (BP, BQ)."""
        chosen = selected_list(message.fixed.get("summary", ""))
        if chosen is None:
            return []
        lists: dict[ItemList, list[str]] = {
            ItemList.HOLD: [_hold_title(session, hold) for hold in self.ready],
            ItemList.OVERDUE: [loan.barcode for loan in self.overdue],
            ItemList.CHARGED: [loan.barcode for loan in self.loans],
            ItemList.FINE: [
                f"{fee.id} {replies.money(fee.balance_cents)} {fee.kind}" for fee in self.fees
            ],
            ItemList.UNAVAILABLE_HOLDS: [_hold_title(session, hold) for hold in self.waiting],
        }
        start, end = _range(message)
        return [(chosen.fid, entry) for entry in lists.get(chosen, [])[start - 1 : end]]


def _hold_title(session: Session, hold: Hold) -> str:
    return replies.title(session, hold.record_id) or str(hold.record_id)


# What each field a kiosk receives tells about a reader, for the audit trail (P7).
_AUDITED = {"BE": "email", "BF": "phone", "BV": "fees", "AS": "holds_ready", "AT": "overdue_items",
            "AU": "loans", "AV": "fee_items", "CD": "holds_waiting"}  # fmt: skip


def audit_read(session: Session, patron: Patron, action: str, fields: Fields) -> None:
    """P7: a kiosk read a reader's data — which terminal, which reader, which fields (names)."""
    assert session.terminal is not None
    assert patron.reader is not None
    read = {_AUDITED[fid] for fid, _ in fields if fid in _AUDITED}
    read.add("name" if "AE" in session.terminal.fields else "masked_name")
    read.add("status")
    session.services.access.audit_terminal(
        session.terminal.id, action=action, reader_id=patron.reader.id, fields=sorted(read)
    )


def _range(message: Message) -> tuple[int, int]:
    try:
        start = max(int(message.get("BP") or 1), 1)
        end = int(message.get("BQ") or start + MAX_LIST_ENTRIES - 1)
    except ValueError:
        start, end = 1, MAX_LIST_ENTRIES
    return start, min(end, start + MAX_LIST_ENTRIES - 1)


def end_session(session: Session, message: Message, key: RequestKey) -> Result:
    card = message.get("AA") or ""
    session.forget(card)
    session.language = None  # the next reader starts in the terminal's language
    fixed = {"end_session": "Y", "transaction_date": replies.now(session)}
    return Message.of(
        "36", fixed, [("AO", replies.institution(session, message)), ("AA", card)]
    ), "ok"


def block_patron(session: Session, message: Message, key: RequestKey) -> Result:
    card = message.get("AA") or ""
    session.services.readers.block(card, message.get("AL") or "blocked at a self-check machine")
    session.forget(card)
    patron = session.patron(Message("01", {}, (("AA", card),)))
    fixed = {
        "patron_status": UNKNOWN_PATRON_STATUS.to_field(),
        "language": replies.language(session),
        "transaction_date": replies.now(session),
    }
    fields = [
        ("AO", replies.institution(session, message)),
        ("AA", card),
        ("AE", ""),
        *validity(patron),
    ]
    return Message.of("24", fixed, fields), "ok"


def outcome(patron: Patron) -> str:
    if patron.reader is None:
        return "unknown reader"
    if patron.locked:
        return "PIN locked"
    if patron.pin_wrong:
        return "wrong PIN"
    return "ok" if patron.may_see else "PIN required"
