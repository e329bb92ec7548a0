"""The answer to each SIP2 request, built from the circulation and readers services.

Each handler takes the session, the decoded request and an idempotency key, and
returns the response with a short outcome for the log. Nothing here decides a
loan: checkout, checkin, renewal, holds and fees are the services' calls, and
their refusals (``ShelfwiseError``) become a negative response with a screen
message (AF) in the terminal's language. What a kiosk may learn about a reader
is decided in one place, :func:`_identity`, from the PIN check and the
terminal's field allow-list (P15, S-5).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal, InvalidOperation

from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.models import CheckinResult, Fee, Loan
from shelfwise.circulation.offline import OfflineOp
from shelfwise.circulation.offline import apply as apply_offline
from shelfwise.circulation.scope import Acting, reader_self, terminal_at
from shelfwise.circulation.standing import Standing
from shelfwise.circulation.states import ACTIVE_HOLDS, Availability, HoldStatus
from shelfwise.core.errors import ShelfwiseError
from shelfwise.sip2 import offline
from shelfwise.sip2.dates import format_sip_date, local_sip_date
from shelfwise.sip2.model import Message
from shelfwise.sip2.session import Patron, Session
from shelfwise.sip2.values import (
    UNKNOWN_PATRON_STATUS,
    DisplayKind,
    DisplayLine,
    ItemList,
    PatronCondition,
    PatronStatus,
    display_fields,
    format_count,
    selected_list,
    supported_messages_field,
)

log = logging.getLogger("shelfwise.sip2")

Result = tuple[Message, str]
Fields = list[tuple[str, str]]

LANGUAGE_CODES = {"en": "001", "zh": "019", "ko": "020"}
# The 2.00 language codes we have screen messages for (docs/sip2.md): English (and UK
# English), Chinese (and "Taiwanese"), Korean. Others, and 000, leave the terminal's.
SCREEN_LANGUAGES = {"001": "en", "024": "en", "019": "zh", "027": "zh", "020": "ko"}
CIRCULATION_STATUS = {
    Availability.ON_SHELF: "03",
    Availability.ON_LOAN: "04",
    Availability.HOLD_SHELF: "08",
    Availability.IN_TRANSIT: "10",
    Availability.LOST: "12",
    Availability.UNAVAILABLE: "01",
}
MAX_LIST_ENTRIES = 20  # keeps a 64 small (kiosks, and the sip2 client, read 4 KB at a time)
NO_STATUS = PatronStatus()


def _now(s: Session) -> str:
    clock = s.services.clock
    return local_sip_date(clock.now(), clock.zone)


def _due(day: date) -> str:
    return format_sip_date(datetime.combine(day, time(23, 59, 59)))


def _language(s: Session) -> str:
    return LANGUAGE_CODES.get(s.screen_language(), "000")


def _choose_language(s: Session, m: Message) -> None:
    """A 23 or 63 names the language the reader chose at the kiosk: screen messages use it
    until the patron session ends (35)."""
    chosen = SCREEN_LANGUAGES.get(m.fixed.get("language", ""))
    if chosen is not None:
        s.language = chosen


def _money(cents: int) -> str:
    return f"{cents // 100}.{cents % 100:02d}"


def _screen(s: Session, code: str, params: dict[str, str] | None = None) -> Fields:
    return list(display_fields([DisplayLine(DisplayKind.SCREEN, s.text(code, params))]))


def _institution(s: Session, m: Message) -> str:
    assert s.terminal is not None
    return m.get("AO") or s.terminal.institution


def _title(s: Session, record_id: int) -> str:
    try:
        return s.services.catalogue.title(record_id)
    except ShelfwiseError:
        return ""


def _here(s: Session) -> Acting:
    """The terminal as circulation's actor: it acts at its own branch only."""
    assert s.terminal is not None
    return terminal_at(s.terminal.branch_code)


def _branch_code(s: Session, branch_id: int) -> str:
    return s.branch_code(branch_id)


# --- who the reader is, and what the kiosk may see -------------------------------------


def _masked(name: str) -> str:
    return name[:1] + "*" * min(max(len(name) - 1, 1), 3) if name else ""


def _identity(s: Session, p: Patron) -> Fields:
    """AE and the personal fields this terminal may receive for this request."""
    assert s.terminal is not None
    if not p.may_see or p.reader is None:
        return [("AE", "")]
    allowed = s.terminal.fields
    reader = p.reader
    fields: Fields = [("AE", reader.name if "AE" in allowed else _masked(reader.name))]
    if "BE" in allowed and reader.email:
        fields.append(("BE", reader.email))
    if "BF" in allowed and reader.phone:
        fields.append(("BF", reader.phone))
    return fields


def _validity(p: Patron) -> Fields:
    fields: Fields = [("BL", "Y" if p.reader is not None else "N")]
    if p.pin_given:
        fields.append(("CQ", "N" if p.pin_wrong or p.reader is None else "Y"))
    return fields


def _status(p: Patron, standing: Standing | None) -> PatronStatus:
    """The 14 status flags: circulation's standing of the reader, in the kiosk's terms."""
    if p.reader is None:
        return UNKNOWN_PATRON_STATUS
    if not p.may_see or standing is None:
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


def _open_fees(s: Session, card: str) -> list[Fee]:
    return [f for f in s.services.accounts.fees_of(card) if f.status == "open"]


def _pin_refusal(s: Session, m: Message, p: Patron) -> Result | None:
    """None when the reader may act; else the refusal (unknown card, wrong or missing PIN)."""
    if p.reader is None:
        return refusal(s, m, "readers.not_found", {"card": p.card}), "unknown reader"
    if p.may_see:
        return None
    code = _pin_code(p)
    return refusal(s, m, code), code


def _pin_code(p: Patron) -> str:
    """The screen message for a reader whose data may not be shown."""
    if p.locked:
        return "sip2.pin_locked"
    return "readers.login_failed" if p.pin_given else "sip2.pin_required"


# --- 99, 23, 63, 35 --------------------------------------------------------------------


def sc_status(s: Session, m: Message, key: RequestKey) -> Result:
    terminal = s.terminal
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
        "date_time_sync": _now(s),
        "protocol_version": "2.00",
    }
    fields = [
        ("AO", terminal.institution),
        ("AM", s.services.library_name),
        ("BX", supported_messages_field(sorted(set(offered)))),
        ("AN", terminal.location or terminal.name),
    ]
    return Message.of("98", fixed, fields), "ok"


def patron_status(s: Session, m: Message, key: RequestKey) -> Result:
    _choose_language(s, m)
    p = s.patron(m)
    standing = s.services.circulation.standing(p.card) if p.may_see else None
    fixed = {
        "patron_status": _status(p, standing).to_field(),
        "language": _language(s),
        "transaction_date": _now(s),
    }
    fields: Fields = [("AO", _institution(s, m)), ("AA", p.card), *_identity(s, p), *_validity(p)]
    if standing is not None:
        fields += [("BH", "CNY"), ("BV", _money(standing.owed_cents))]
        _audit_read(s, p, "patron_status", fields)
    elif p.locked:
        fields += _screen(s, "sip2.pin_locked")
    return Message.of("24", fixed, _ordered(fields)), _outcome(p)


def patron_information(s: Session, m: Message, key: RequestKey) -> Result:
    _choose_language(s, m)
    p = s.patron(m)
    fixed = {
        "patron_status": _status(p, None).to_field(),
        "language": _language(s),
        "transaction_date": _now(s),
        **{
            f"{name}_count": "    "
            for name in (
                "hold_items",
                "overdue_items",
                "charged_items",
                "fine_items",
                "recall_items",
            )
        },
        "unavailable_holds_count": "    ",
    }
    fields: Fields = [("AO", _institution(s, m)), ("AA", p.card), *_identity(s, p), *_validity(p)]
    if not p.may_see:
        if p.reader is None:
            fields += _screen(s, "readers.not_found", {"card": p.card})
        else:
            fields += _screen(s, _pin_code(p))
        return Message.of("64", fixed, _ordered(fields)), _outcome(p)
    circulation = s.services.circulation
    loans = circulation.loans_of(p.card)
    holds = [h for h in circulation.holds_of(p.card) if h.status in ACTIVE_HOLDS]
    fees = _open_fees(s, p.card)
    today = s.services.clock.today()
    overdue = [loan for loan in loans if loan.due_on < today]
    ready = [h for h in holds if h.status is HoldStatus.READY]
    waiting = [h for h in holds if h.status is not HoldStatus.READY]
    fixed.update(
        patron_status=_status(p, circulation.standing(p.card)).to_field(),
        hold_items_count=format_count(len(ready)),
        overdue_items_count=format_count(len(overdue)),
        charged_items_count=format_count(len(loans)),
        fine_items_count=format_count(len(fees)),
        unavailable_holds_count=format_count(len(waiting)),
    )
    fields += [("BH", "CNY"), ("BV", _money(sum(f.balance_cents for f in fees)))]
    lists: dict[ItemList, list[str]] = {
        ItemList.HOLD: [_title(s, h.record_id) or str(h.record_id) for h in ready],
        ItemList.OVERDUE: [loan.barcode for loan in overdue],
        ItemList.CHARGED: [loan.barcode for loan in loans],
        ItemList.FINE: [f"{f.id} {_money(f.balance_cents)} {f.kind}" for f in fees],
        ItemList.UNAVAILABLE_HOLDS: [_title(s, h.record_id) or str(h.record_id) for h in waiting],
    }
    chosen = selected_list(m.fixed.get("summary", ""))
    if chosen is not None:
        start, end = _range(m)
        fields += [(chosen.fid, entry) for entry in lists.get(chosen, [])[start - 1 : end]]
    _audit_read(s, p, "patron_information", fields)
    return Message.of("64", fixed, _ordered(fields)), "ok"


# What each field a kiosk receives tells about a reader, for the audit trail (P7).
_AUDITED = {"BE": "email", "BF": "phone", "BV": "fees", "AS": "holds_ready", "AT": "overdue_items",
            "AU": "loans", "AV": "fee_items", "CD": "holds_waiting"}  # fmt: skip


def _audit_read(s: Session, p: Patron, action: str, fields: Fields) -> None:
    """P7: a kiosk read a reader's data — which terminal, which reader, which fields (names)."""
    assert s.terminal is not None
    assert p.reader is not None
    read = {_AUDITED[fid] for fid, _ in fields if fid in _AUDITED}
    read.add("name" if "AE" in s.terminal.fields else "masked_name")
    read.add("status")
    s.services.access.audit_terminal(
        s.terminal.id, action=action, reader_id=p.reader.id, fields=sorted(read)
    )


def _range(m: Message) -> tuple[int, int]:
    try:
        start = max(int(m.get("BP") or 1), 1)
        end = int(m.get("BQ") or start + MAX_LIST_ENTRIES - 1)
    except ValueError:
        start, end = 1, MAX_LIST_ENTRIES
    return start, min(end, start + MAX_LIST_ENTRIES - 1)


def end_session(s: Session, m: Message, key: RequestKey) -> Result:
    card = m.get("AA") or ""
    s.forget(card)
    s.language = None  # the next reader starts in the terminal's language
    fixed = {"end_session": "Y", "transaction_date": _now(s)}
    return Message.of("36", fixed, [("AO", _institution(s, m)), ("AA", card)]), "ok"


# --- 11, 09, 17, 29, 65 ----------------------------------------------------------------


def checkout(s: Session, m: Message, key: RequestKey) -> Result:
    assert s.terminal is not None
    if offline.is_offline(m):
        return _offline(s, m, key, OfflineOp.CHECKOUT)
    p = s.patron(m, fresh=False)
    refused = _pin_refusal(s, m, p)
    if refused is not None:
        return refused
    barcode = m.get("AB") or ""
    circulation = s.services.circulation
    if m.get("BI") == "Y":
        return _cancel_checkout(s, m, p, barcode, key)
    loan = circulation.checkout(
        p.card,
        barcode,
        s.terminal.branch_code,
        actor=_here(s),
        idempotency_key=key,
        prepare=lambda loan: s.prepare(_loan_response(s, m, "12", loan)),
    )
    s.recent.record(s.terminal.id, barcode, loan.id)
    return s.prepared(), "ok"


def _cancel_checkout(s: Session, m: Message, p: Patron, barcode: str, key: RequestKey) -> Result:
    """BI=Y: the kiosk takes back a checkout it could not complete (the item stayed)."""
    assert s.terminal is not None
    circulation = s.services.circulation
    loan = next((loan for loan in circulation.loans_of(p.card) if loan.barcode == barcode), None)
    if loan is None:
        raise ShelfwiseError("circ.not_your_loan", barcode=barcode)
    s.recent.take(s.terminal.id, barcode)
    fixed = {
        "ok": "1",
        "renewal_ok": "N",
        "magnetic_media": "U",
        "desensitize": "N",
        "transaction_date": _now(s),
    }
    fields = [
        ("AO", _institution(s, m)),
        ("AA", p.card),
        ("AB", barcode),
        ("AJ", _title(s, loan.record_id)),
        ("AH", ""),
    ]
    # Taken back, not returned: the copy never left, so no hold traps it (S-8).
    circulation.take_back(
        barcode,
        s.terminal.branch_code,
        loan.id,
        actor=_here(s),
        idempotency_key=key,
        prepare=lambda _: s.prepare(Message.of("12", fixed, fields)),
    )
    return s.prepared(), "cancelled"


def renew(s: Session, m: Message, key: RequestKey) -> Result:
    p = s.patron(m, fresh=False)
    refused = _pin_refusal(s, m, p)
    if refused is not None:
        return refused
    barcode = m.get("AB")
    if not barcode:
        return refusal(s, m, "sip2.unsupported"), "renew by title"
    s.services.circulation.renew(
        p.card,
        barcode,
        actor=reader_self(p.card),
        idempotency_key=key,
        prepare=lambda loan: s.prepare(_loan_response(s, m, "30", loan)),
    )
    return s.prepared(), "ok"


def _loan_response(s: Session, m: Message, command: str, loan: Loan) -> Message:
    fixed = {
        "ok": "1",
        "renewal_ok": "Y" if command == "30" else "N",
        "magnetic_media": "U",
        "desensitize": "Y",
        "transaction_date": _now(s),
    }
    fields = [
        ("AO", _institution(s, m)),
        ("AA", m.get("AA") or ""),
        ("AB", loan.barcode),
        ("AJ", _title(s, loan.record_id)),
        ("AH", _due(loan.due_on)),
    ]
    return Message.of(command, fixed, fields)


def checkin(s: Session, m: Message, key: RequestKey) -> Result:
    assert s.terminal is not None
    circulation = s.services.circulation
    barcode = m.get("AB") or ""
    if m.get("BI") == "Y":
        return refusal(s, m, "sip2.unsupported"), "cancel checkin"
    if offline.is_offline(m):
        return _offline(s, m, key, OfflineOp.CHECKIN)
    branch = s.terminal.branch_code
    recent = s.recent.take(s.terminal.id, barcode)

    def reply(result: CheckinResult) -> Message:
        return s.prepare(_checkin_response(s, m, result))

    if recent is None:
        circulation.checkin(barcode, branch, actor=_here(s), idempotency_key=key, prepare=reply)
    else:
        # Seconds after this kiosk checked the copy out: its cancel or rollback (S-8).
        circulation.take_back(
            barcode, branch, recent, actor=_here(s), idempotency_key=key, prepare=reply
        )
    return s.prepared(), "ok"


def _checkin_response(s: Session, m: Message, result: CheckinResult) -> Message:
    barcode = result.barcode
    # The copy's record and home branch (one query): where it went is in the result.
    item = s.services.catalogue.get_item(barcode)
    sort_bin = ""
    if result.transit_to_branch_id is not None:
        sort_bin = _branch_code(s, result.transit_to_branch_id)
    elif result.hold_id is not None:
        sort_bin = "HOLD"
    fixed = {
        "ok": "1",
        "resensitize": "N" if sort_bin else "Y",
        "magnetic_media": "U",
        "alert": "Y" if sort_bin else "N",
        "transaction_date": _now(s),
    }
    fields: Fields = [
        ("AO", _institution(s, m)),
        ("AB", barcode),
        ("AQ", _branch_code(s, item.home_branch_id)),
        ("AJ", _title(s, item.record_id)),
    ]
    if sort_bin:
        fields.append(("CL", sort_bin))
    return Message.of("10", fixed, fields)


def _offline(s: Session, m: Message, key: RequestKey, op: OfflineOp) -> Result:
    """A no_block (offline) 11 or 09: only from terminals allowed to send them (S-8)."""
    terminal = s.terminal
    assert terminal is not None
    if not terminal.allow_offline:
        return refusal(s, m, "sip2.not_allowed"), "offline refused"
    clock = s.services.clock
    txn = offline.transaction(terminal, m, key.key, op, clock.now(), clock.zone)

    def reply(result: Loan | CheckinResult) -> Message:
        if isinstance(result, CheckinResult):
            return s.prepare(_checkin_response(s, m, result))
        return s.prepare(_loan_response(s, m, "12", result))

    try:
        apply_offline(s.services.circulation, txn, actor=_here(s), prepare=reply)
    except ShelfwiseError as exc:  # a conflict: reported, not forced through
        log.warning(
            "sip2 offline %s conflict %s",
            op,
            exc.code,
            extra={"terminal": terminal.name, "command": m.command, "audit": True},
        )
        return refusal(s, m, exc.code, exc.params), f"offline conflict: {exc.code}"
    return s.prepared(), "offline ok"


def item_information(s: Session, m: Message, key: RequestKey) -> Result:
    barcode = m.get("AB") or ""
    status = s.services.circulation.item_status(barcode)
    fixed = {
        "circulation_status": CIRCULATION_STATUS.get(status.availability, "01"),
        "security_marker": "02",
        "fee_type": "01",
        "transaction_date": _now(s),
    }
    fields: Fields = []
    if status.due_on is not None:
        fields.append(("AH", _due(status.due_on)))
    fields += [
        ("AB", barcode),
        ("AJ", _title(s, status.record_id)),
        ("AQ", _branch_code(s, status.home_branch_id)),
    ]
    return Message.of("18", fixed, fields), "ok"


def renew_all(s: Session, m: Message, key: RequestKey) -> Result:
    p = s.patron(m, fresh=False)
    refused = _pin_refusal(s, m, p)
    if refused is not None:
        return refused
    done = s.services.circulation.renew_all(p.card, actor=reader_self(p.card), idempotency_key=key)
    renewed: Fields = [("BM", x.loan.barcode) for x in done.renewed]
    unrenewed: Fields = [("BN", x.loan.barcode) for x in done.refused]
    fixed = {
        "ok": "1",
        "renewed_count": format_count(len(renewed)),
        "unrenewed_count": format_count(len(unrenewed)),
        "transaction_date": _now(s),
    }
    return Message.of("66", fixed, [("AO", _institution(s, m)), *renewed, *unrenewed]), "ok"


# --- 15, 37, 01 ------------------------------------------------------------------------


def hold(s: Session, m: Message, key: RequestKey) -> Result:
    assert s.terminal is not None
    p = s.patron(m, fresh=False)
    refused = _pin_refusal(s, m, p)
    if refused is not None:
        return refused
    barcode = m.get("AB")
    mode = m.fixed.get("hold_mode")
    if not barcode or mode not in ("+", "-"):
        return refusal(s, m, "sip2.unsupported"), "hold by title or modify"
    circulation = s.services.circulation
    record_id = circulation.item_status(barcode).record_id
    pickup = m.get("BS") or s.terminal.branch_code
    queue: int | None = None
    if mode == "+":
        queue = circulation.place_hold(
            p.card, record_id, pickup, actor=reader_self(p.card)
        ).queue_position
    else:
        mine = [
            h
            for h in circulation.holds_of(p.card)
            if h.record_id == record_id and h.status in ACTIVE_HOLDS
        ]
        if not mine:
            raise ShelfwiseError("circ.hold_not_found", hold=barcode)
        circulation.cancel_hold(mine[0].id, actor=reader_self(p.card))
    fixed = {"ok": "1", "available": "N", "transaction_date": _now(s)}
    fields: Fields = [("BS", pickup)] if mode == "+" else []
    if queue is not None:
        fields.append(("BR", str(queue)))
    fields += [
        ("AO", _institution(s, m)),
        ("AA", p.card),
        ("AB", barcode),
        ("AJ", _title(s, record_id)),
    ]
    return Message.of("16", fixed, fields), "ok"


def fee_paid(s: Session, m: Message, key: RequestKey) -> Result:
    """One payment, in one transaction, once per terminal and transaction id (BK).

    Without a BK the request itself is the key (as for a checkout), so a payment
    machine that resends after a reconnect is answered from the first payment.
    """
    p = s.patron(m, fresh=False)
    refused = _pin_refusal(s, m, p)
    if refused is not None:
        return refused
    try:
        cents = int(Decimal(m.get("BV") or "") * 100)
    except (InvalidOperation, ValueError, OverflowError):  # not a number, NaN, Infinity
        cents = 0
    wanted = m.get("CG")
    fee_id: int | None = None
    if wanted is not None:
        head = wanted.split(" ")[0]
        if not head.isdigit():
            raise ShelfwiseError("circ.fee_not_found", fee=wanted)
        fee_id = int(head)
    transaction = m.get("BK")
    fixed = {"payment_accepted": "Y", "transaction_date": _now(s)}
    fields: Fields = [("AO", _institution(s, m)), ("AA", p.card)]
    if transaction:
        fields.append(("BK", transaction))
    s.services.accounts.pay_fees(
        p.card,
        cents,
        fee_id=fee_id,
        idempotency_key=RequestKey(key.scope, f"BK:{transaction}") if transaction else key,
        prepare=lambda _: s.prepare(Message.of("38", fixed, fields)),
    )
    return s.prepared(), "ok"


def block_patron(s: Session, m: Message, key: RequestKey) -> Result:
    card = m.get("AA") or ""
    s.services.readers.block(card, m.get("AL") or "blocked at a self-check machine")
    s.forget(card)
    p = s.patron(Message("01", {}, (("AA", card),)))
    fixed = {
        "patron_status": UNKNOWN_PATRON_STATUS.to_field(),
        "language": _language(s),
        "transaction_date": _now(s),
    }
    fields = [("AO", _institution(s, m)), ("AA", card), ("AE", ""), *_validity(p)]
    return Message.of("24", fixed, fields), "ok"


# --- refusals --------------------------------------------------------------------------


def refusal(s: Session, m: Message, code: str, params: dict[str, str] | None = None) -> Message:
    """The negative form of the response to ``m``, with a screen message for ``code``."""
    now = _now(s)
    screen = _screen(s, code, params)
    ao = ("AO", _institution(s, m))
    aa = ("AA", m.get("AA") or "")
    ab = ("AB", m.get("AB") or "")
    patron_fixed = {
        "patron_status": UNKNOWN_PATRON_STATUS.to_field(),
        "language": _language(s) if s.terminal else "000",
        "transaction_date": now,
    }
    loan_fixed = {
        "ok": "0",
        "renewal_ok": "N",
        "magnetic_media": "U",
        "desensitize": "N",
        "transaction_date": now,
    }
    blank = "    "
    builders: dict[str, Callable[[], Message]] = {
        "11": lambda: Message.of("12", loan_fixed, [ao, aa, ab, ("AJ", ""), ("AH", ""), *screen]),
        "29": lambda: Message.of("30", loan_fixed, [ao, aa, ab, ("AJ", ""), ("AH", ""), *screen]),
        "09": lambda: Message.of(
            "10",
            {"ok": "0", "resensitize": "N", "magnetic_media": "U", "alert": "Y",
             "transaction_date": now},
            [ao, ab, ("AQ", ""), *screen],
        ),
        "17": lambda: Message.of(
            "18",
            {"circulation_status": "01", "security_marker": "00", "fee_type": "01",
             "transaction_date": now},
            [ab, ("AJ", ""), *screen],
        ),
        "65": lambda: Message.of(
            "66",
            {"ok": "0", "renewed_count": "0000", "unrenewed_count": "0000",
             "transaction_date": now},
            [ao, *screen],
        ),
        "15": lambda: Message.of(
            "16", {"ok": "0", "available": "N", "transaction_date": now}, [ao, aa, *screen]
        ),
        "35": lambda: Message.of(
            "36", {"end_session": "N", "transaction_date": now}, [ao, aa, *screen]
        ),
        "37": lambda: Message.of(
            "38", {"payment_accepted": "N", "transaction_date": now}, [ao, aa, *screen]
        ),
        "19": lambda: Message.of(
            "20", {"item_properties_ok": "0", "transaction_date": now}, [ab, *screen]
        ),
        "25": lambda: Message.of("26", patron_fixed, [ao, aa, ("AE", ""), *screen]),
        "63": lambda: Message.of(
            "64",
            {**patron_fixed, **{k: blank for k in _COUNTS}},
            [ao, aa, ("AE", ""), *screen],
        ),
        "99": lambda: Message.of(
            "98",
            {"online_status": "N", "checkin_ok": "N", "checkout_ok": "N",
             "acs_renewal_policy": "N", "status_update_ok": "N", "offline_ok": "N",
             "timeout_period": "000", "retries_allowed": "000",
             "date_time_sync": "0" * 18, "protocol_version": "2.00"},
            [ao, ("BX", "N" * 16), *screen],
        ),
    }  # fmt: skip
    build = builders.get(m.command)
    if build is None:  # 23 and 01 are both answered with a 24
        return Message.of("24", patron_fixed, [ao, aa, ("AE", ""), *screen])
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


def _ordered(fields: Fields) -> Fields:
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


def _outcome(p: Patron) -> str:
    if p.reader is None:
        return "unknown reader"
    if p.locked:
        return "PIN locked"
    if p.pin_wrong:
        return "wrong PIN"
    return "ok" if p.may_see else "PIN required"


HANDLERS: dict[str, Callable[[Session, Message, RequestKey], Result]] = {
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
