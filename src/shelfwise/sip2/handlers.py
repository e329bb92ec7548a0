"""The answer to each SIP2 request, built from the circulation and readers services.

Each handler takes the session, the decoded request and an idempotency key, and
returns the response with a short outcome for the log. Nothing here decides a
loan: checkout, checkin, renewal, holds and fees are the services' calls, and
their refusals (``ShelfwiseError``) become a negative response with a screen
message (AF) in the reader's language (``replies.refusal``). This module holds the
circulation requests (11, 09, 17, 29, 65, 15, 37) and the table of every handler;
what a kiosk may learn about a reader is decided in ``patrons.py`` (P15, S-5).
"""

from __future__ import annotations

import logging
from decimal import Decimal, InvalidOperation

from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.models import CheckinResult, Loan
from shelfwise.circulation.offline import OfflineOp
from shelfwise.circulation.offline import apply as apply_offline
from shelfwise.circulation.scope import reader_self
from shelfwise.circulation.states import ACTIVE_HOLDS, Availability
from shelfwise.core.errors import ShelfwiseError
from shelfwise.sip2 import offline, replies
from shelfwise.sip2.model import Message
from shelfwise.sip2.patrons import (
    block_patron,
    end_session,
    patron_information,
    patron_status,
    pin_refusal,
)
from shelfwise.sip2.replies import Fields, Result
from shelfwise.sip2.session import Answers, Handler, Patron, Session
from shelfwise.sip2.values import format_count, supported_messages_field

log = logging.getLogger("shelfwise.sip2")

CIRCULATION_STATUS = {
    Availability.ON_SHELF: "03",
    Availability.ON_LOAN: "04",
    Availability.HOLD_SHELF: "08",
    Availability.IN_TRANSIT: "10",
    Availability.LOST: "12",
    Availability.UNAVAILABLE: "01",
}


# --- 99 --------------------------------------------------------------------------------


def sc_status(session: Session, message: Message, key: RequestKey) -> Result:
    terminal = session.terminal
    assert terminal is not None
    offered = [c for c in (*HANDLERS, "93", "97", "99") if terminal.allows(c) and c != "01"]
    if "01" in terminal.messages:
        offered.append("01")
    fixed = {
        "online_status": "Y",
        "checkin_ok": "Y" if terminal.allows("09") else "N",
        "checkout_ok": "Y" if terminal.allows("11") else "N",
        "acs_renewal_policy": "Y" if terminal.allows("29") else "N",
        "status_update_ok": "N",
        "offline_ok": "Y" if terminal.allow_offline else "N",
        "timeout_period": "030",
        "retries_allowed": "003",
        "date_time_sync": replies.now(session),
        "protocol_version": "2.00",
    }
    fields = [
        ("AO", terminal.institution),
        ("AM", session.services.library_name),
        ("BX", supported_messages_field(sorted(set(offered)))),
        ("AN", terminal.location or terminal.name),
    ]
    return Message.of("98", fixed, fields), "ok"


# --- 11, 09, 17, 29, 65 ----------------------------------------------------------------


def checkout(session: Session, message: Message, key: RequestKey) -> Result:
    assert session.terminal is not None
    if offline.is_offline(message):
        return _offline(session, message, key, OfflineOp.CHECKOUT)
    patron = session.patron(message, fresh=False)
    refused = pin_refusal(session, message, patron)
    if refused is not None:
        return refused
    barcode = message.get("AB") or ""
    circulation = session.services.circulation
    if message.get("BI") == "Y":
        return _cancel_checkout(session, message, patron, barcode, key)
    loan = circulation.checkout(
        patron.card,
        barcode,
        session.terminal.branch_code,
        actor=replies.here(session),
        idempotency_key=key,
        prepare=lambda loan: session.prepare(_loan_response(session, message, "12", loan)),
    )
    session.recent.record(session.terminal.id, barcode, loan.id)
    return session.prepared(), "ok"


def _cancel_checkout(
    session: Session, message: Message, patron: Patron, barcode: str, key: RequestKey
) -> Result:
    """BI=Y: the kiosk takes back a checkout it could not complete (the item stayed)."""
    assert session.terminal is not None
    circulation = session.services.circulation
    loan = next(
        (loan for loan in circulation.loans_of(patron.card) if loan.barcode == barcode), None
    )
    if loan is None:
        raise ShelfwiseError("circ.not_your_loan", barcode=barcode)
    session.recent.take(session.terminal.id, barcode)
    fixed = {
        "ok": "1",
        "renewal_ok": "N",
        "magnetic_media": "U",
        "desensitize": "N",
        "transaction_date": replies.now(session),
    }
    fields = [
        ("AO", replies.institution(session, message)),
        ("AA", patron.card),
        ("AB", barcode),
        ("AJ", replies.title(session, loan.record_id)),
        ("AH", ""),
    ]
    # Taken back, not returned: the copy never left, so no hold traps it (S-8).
    circulation.take_back(
        barcode,
        session.terminal.branch_code,
        loan.id,
        actor=replies.here(session),
        idempotency_key=key,
        prepare=lambda _: session.prepare(Message.of("12", fixed, fields)),
    )
    return session.prepared(), "cancelled"


def renew(session: Session, message: Message, key: RequestKey) -> Result:
    patron = session.patron(message, fresh=False)
    refused = pin_refusal(session, message, patron)
    if refused is not None:
        return refused
    barcode = message.get("AB")
    if not barcode:
        return replies.refusal(session, message, "sip2.unsupported"), "renew by title"
    session.services.circulation.renew(
        patron.card,
        barcode,
        actor=reader_self(patron.card),
        idempotency_key=key,
        prepare=lambda loan: session.prepare(_loan_response(session, message, "30", loan)),
    )
    return session.prepared(), "ok"


def _loan_response(session: Session, message: Message, command: str, loan: Loan) -> Message:
    fixed = {
        "ok": "1",
        "renewal_ok": "Y" if command == "30" else "N",
        "magnetic_media": "U",
        "desensitize": "Y",
        "transaction_date": replies.now(session),
    }
    fields = [
        ("AO", replies.institution(session, message)),
        ("AA", message.get("AA") or ""),
        ("AB", loan.barcode),
        # A checkout read its title (no read of ours); a renewal or a replay did not.
        ("AJ", loan.title if loan.title is not None else replies.title(session, loan.record_id)),
        ("AH", replies.due(loan.due_on)),
    ]
    return Message.of(command, fixed, fields)


def checkin(session: Session, message: Message, key: RequestKey) -> Result:
    assert session.terminal is not None
    circulation = session.services.circulation
    barcode = message.get("AB") or ""
    if message.get("BI") == "Y":
        return replies.refusal(session, message, "sip2.unsupported"), "cancel checkin"
    if offline.is_offline(message):
        return _offline(session, message, key, OfflineOp.CHECKIN)
    branch = session.terminal.branch_code
    recent = session.recent.take(session.terminal.id, barcode)

    def reply(result: CheckinResult) -> Message:
        return session.prepare(_checkin_response(session, message, result))

    if recent is None:
        circulation.checkin(
            barcode, branch, actor=replies.here(session), idempotency_key=key, prepare=reply
        )
    else:
        # Seconds after this kiosk checked the copy out: its cancel or rollback (S-8).
        circulation.take_back(
            barcode, branch, recent, actor=replies.here(session), idempotency_key=key, prepare=reply
        )
    return session.prepared(), "ok"


def _checkin_response(session: Session, message: Message, result: CheckinResult) -> Message:
    barcode = result.barcode
    if result.record_id is not None and result.home_branch_id is not None:
        # The check-in read the copy, its home and title in its transaction: no read here.
        home, title = result.home_branch_id, result.title or ""
    else:  # a result stored before they were kept, or a take-back: one query each
        item = session.services.catalogue.get_item(barcode)
        home, title = item.home_branch_id, replies.title(session, item.record_id)
    sort_bin = ""
    if result.transit_to_branch_id is not None:
        sort_bin = replies.branch_code(session, result.transit_to_branch_id)
    elif result.hold_id is not None:
        sort_bin = "HOLD"
    fixed = {
        "ok": "1",
        "resensitize": "N" if sort_bin else "Y",
        "magnetic_media": "U",
        "alert": "Y" if sort_bin else "N",
        "transaction_date": replies.now(session),
    }
    fields: Fields = [
        ("AO", replies.institution(session, message)),
        ("AB", barcode),
        ("AQ", replies.branch_code(session, home)),
        ("AJ", title),
    ]
    if sort_bin:
        fields.append(("CL", sort_bin))
    return Message.of("10", fixed, fields)


def _offline(session: Session, message: Message, key: RequestKey, op: OfflineOp) -> Result:
    """A no_block (offline) 11 or 09: only from terminals allowed to send them (S-8)."""
    terminal = session.terminal
    assert terminal is not None
    if not terminal.allow_offline:
        return replies.refusal(session, message, "sip2.not_allowed"), "offline refused"
    clock = session.services.clock
    txn = offline.transaction(terminal, message, key.key, op, clock.now(), clock.zone)

    def reply(result: Loan | CheckinResult) -> Message:
        if isinstance(result, CheckinResult):
            return session.prepare(_checkin_response(session, message, result))
        return session.prepare(_loan_response(session, message, "12", result))

    try:
        apply_offline(session.services.circulation, txn, actor=replies.here(session), prepare=reply)
    except ShelfwiseError as exc:  # a conflict: reported, not forced through
        log.warning(
            "sip2 offline %s conflict %s",
            op,
            exc.code,
            extra={"terminal": terminal.name, "command": message.command, "audit": True},
        )
        return replies.refusal(
            session, message, exc.code, exc.params
        ), f"offline conflict: {exc.code}"
    return session.prepared(), "offline ok"


def item_information(session: Session, message: Message, key: RequestKey) -> Result:
    barcode = message.get("AB") or ""
    status = session.services.circulation.item_status(barcode)
    fixed = {
        "circulation_status": CIRCULATION_STATUS.get(status.availability, "01"),
        "security_marker": "02",
        "fee_type": "01",
        "transaction_date": replies.now(session),
    }
    fields: Fields = []
    if status.due_on is not None:
        fields.append(("AH", replies.due(status.due_on)))
    fields += [
        ("AB", barcode),
        ("AJ", replies.title(session, status.record_id)),
        ("AQ", replies.branch_code(session, status.home_branch_id)),
    ]
    return Message.of("18", fixed, fields), "ok"


def renew_all(session: Session, message: Message, key: RequestKey) -> Result:
    patron = session.patron(message, fresh=False)
    refused = pin_refusal(session, message, patron)
    if refused is not None:
        return refused
    done = session.services.circulation.renew_all(
        patron.card, actor=reader_self(patron.card), idempotency_key=key
    )
    renewed: Fields = [("BM", x.loan.barcode) for x in done.renewed]
    unrenewed: Fields = [("BN", x.loan.barcode) for x in done.refused]
    fixed = {
        "ok": "1",
        "renewed_count": format_count(len(renewed)),
        "unrenewed_count": format_count(len(unrenewed)),
        "transaction_date": replies.now(session),
    }
    return Message.of(
        "66", fixed, [("AO", replies.institution(session, message)), *renewed, *unrenewed]
    ), "ok"


# --- 15, 37, 01 ------------------------------------------------------------------------


def hold(session: Session, message: Message, key: RequestKey) -> Result:
    assert session.terminal is not None
    patron = session.patron(message, fresh=False)
    refused = pin_refusal(session, message, patron)
    if refused is not None:
        return refused
    barcode = message.get("AB")
    mode = message.fixed.get("hold_mode")
    if not barcode or mode not in ("+", "-"):
        return replies.refusal(session, message, "sip2.unsupported"), "hold by title or modify"
    circulation = session.services.circulation
    record_id = circulation.item_status(barcode).record_id
    pickup = message.get("BS") or session.terminal.branch_code
    queue: int | None = None
    if mode == "+":
        queue = circulation.place_hold(
            patron.card, record_id, pickup, actor=reader_self(patron.card)
        ).queue_position
    else:
        mine = [
            h
            for h in circulation.holds_of(patron.card)
            if h.record_id == record_id and h.status in ACTIVE_HOLDS
        ]
        if not mine:
            raise ShelfwiseError("circ.hold_not_found", hold=barcode)
        circulation.cancel_hold(mine[0].id, actor=reader_self(patron.card))
    fixed = {"ok": "1", "available": "N", "transaction_date": replies.now(session)}
    fields: Fields = [("BS", pickup)] if mode == "+" else []
    if queue is not None:
        fields.append(("BR", str(queue)))
    fields += [
        ("AO", replies.institution(session, message)),
        ("AA", patron.card),
        ("AB", barcode),
        ("AJ", replies.title(session, record_id)),
    ]
    return Message.of("16", fixed, fields), "ok"


def fee_paid(session: Session, message: Message, key: RequestKey) -> Result:
    """One payment, in one transaction, once per terminal and transaction id (BK).

    Without a BK the request itself is the key (as for a checkout), so a payment
    machine that resends after a reconnect is answered from the first payment.
    """
    patron = session.patron(message, fresh=False)
    refused = pin_refusal(session, message, patron)
    if refused is not None:
        return refused
    try:
        cents = int(Decimal(message.get("BV") or "") * 100)
    except (InvalidOperation, ValueError, OverflowError):  # not a number, NaN, Infinity
        cents = 0
    wanted = message.get("CG")
    fee_id: int | None = None
    if wanted is not None:
        head = wanted.split(" ")[0]
        if not head.isdigit():
            raise ShelfwiseError("circ.fee_not_found", fee=wanted)
        fee_id = int(head)
    transaction = message.get("BK")
    fixed = {"payment_accepted": "Y", "transaction_date": replies.now(session)}
    fields: Fields = [("AO", replies.institution(session, message)), ("AA", patron.card)]
    if transaction:
        fields.append(("BK", transaction))
    session.services.fees.pay_fees(
        patron.card,
        cents,
        fee_id=fee_id,
        idempotency_key=RequestKey(key.scope, f"BK:{transaction}") if transaction else key,
        prepare=lambda _: session.prepare(Message.of("38", fixed, fields)),
    )
    return session.prepared(), "ok"


HANDLERS: dict[str, Handler] = {
    "99": sc_status,
    "23": patron_status,
    "63": patron_information,
    "11": checkout,
    "09": checkin,
    "17": item_information,
    "29": renew,
    "65": renew_all,
    "15": hold,
    "35": end_session,
    "37": fee_paid,
    "01": block_patron,
}
# What the server hands every session it opens (the session imports no handler).
ANSWERS = Answers(HANDLERS, replies.refusal)
