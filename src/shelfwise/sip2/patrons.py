"""Who the reader is and what a kiosk may learn: 23, 63, 35 and 01, the PIN refusals and
the P7 audit of what was shown.

What a kiosk may learn about a reader is decided in one place, :func:`identity`, from
the PIN check and the terminal's field allow-list (P15, S-5); every reply that shows a
reader's data writes one ``audit_log`` row naming the terminal and the fields (P7).
"""

from __future__ import annotations

from shelfwise.circulation.idempotency import RequestKey
from shelfwise.circulation.models import Fee
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


def identity(s: Session, p: Patron) -> Fields:
    """AE and the personal fields this terminal may receive for this request."""
    assert s.terminal is not None
    if not p.may_see or p.reader is None:
        return [("AE", "")]
    allowed = s.terminal.fields
    reader = p.reader
    fields: Fields = [("AE", reader.name if "AE" in allowed else masked(reader.name))]
    if "BE" in allowed and reader.email:
        fields.append(("BE", reader.email))
    if "BF" in allowed and reader.phone:
        fields.append(("BF", reader.phone))
    return fields


def validity(p: Patron) -> Fields:
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


def open_fees(s: Session, card: str) -> list[Fee]:
    return [f for f in s.services.accounts.fees_of(card) if f.status == "open"]


def pin_refusal(s: Session, m: Message, p: Patron) -> Result | None:
    """None when the reader may act; else the refusal (unknown card, wrong or missing PIN)."""
    if p.reader is None:
        return replies.refusal(s, m, "readers.not_found", {"card": p.card}), "unknown reader"
    if p.may_see:
        return None
    code = pin_code(p)
    return replies.refusal(s, m, code), code


def pin_code(p: Patron) -> str:
    """The screen message for a reader whose data may not be shown."""
    if p.locked:
        return "sip2.pin_locked"
    return "readers.login_failed" if p.pin_given else "sip2.pin_required"


def patron_status(s: Session, m: Message, key: RequestKey) -> Result:
    replies.choose_language(s, m)
    p = s.patron(m)
    standing = s.services.circulation.standing(p.card) if p.may_see else None
    fixed = {
        "patron_status": _status(p, standing).to_field(),
        "language": replies.language(s),
        "transaction_date": replies.now(s),
    }
    fields: Fields = [
        ("AO", replies.institution(s, m)),
        ("AA", p.card),
        *identity(s, p),
        *validity(p),
    ]
    if standing is not None:
        fields += [("BH", "CNY"), ("BV", replies.money(standing.owed_cents))]
        audit_read(s, p, "patron_status", fields)
    elif p.locked:
        fields += replies.screen(s, "sip2.pin_locked")
    return Message.of("24", fixed, replies.ordered(fields)), outcome(p)


def patron_information(s: Session, m: Message, key: RequestKey) -> Result:
    replies.choose_language(s, m)
    p = s.patron(m)
    fixed = {
        "patron_status": _status(p, None).to_field(),
        "language": replies.language(s),
        "transaction_date": replies.now(s),
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
    fields: Fields = [
        ("AO", replies.institution(s, m)),
        ("AA", p.card),
        *identity(s, p),
        *validity(p),
    ]
    if not p.may_see:
        if p.reader is None:
            fields += replies.screen(s, "readers.not_found", {"card": p.card})
        else:
            fields += replies.screen(s, pin_code(p))
        return Message.of("64", fixed, replies.ordered(fields)), outcome(p)
    circulation = s.services.circulation
    loans = circulation.loans_of(p.card)
    holds = [h for h in circulation.holds_of(p.card) if h.status in ACTIVE_HOLDS]
    fees = open_fees(s, p.card)
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
    fields += [("BH", "CNY"), ("BV", replies.money(sum(f.balance_cents for f in fees)))]
    lists: dict[ItemList, list[str]] = {
        ItemList.HOLD: [replies.title(s, h.record_id) or str(h.record_id) for h in ready],
        ItemList.OVERDUE: [loan.barcode for loan in overdue],
        ItemList.CHARGED: [loan.barcode for loan in loans],
        ItemList.FINE: [f"{f.id} {replies.money(f.balance_cents)} {f.kind}" for f in fees],
        ItemList.UNAVAILABLE_HOLDS: [
            replies.title(s, h.record_id) or str(h.record_id) for h in waiting
        ],
    }
    chosen = selected_list(m.fixed.get("summary", ""))
    if chosen is not None:
        start, end = _range(m)
        fields += [(chosen.fid, entry) for entry in lists.get(chosen, [])[start - 1 : end]]
    audit_read(s, p, "patron_information", fields)
    return Message.of("64", fixed, replies.ordered(fields)), "ok"


# What each field a kiosk receives tells about a reader, for the audit trail (P7).
_AUDITED = {"BE": "email", "BF": "phone", "BV": "fees", "AS": "holds_ready", "AT": "overdue_items",
            "AU": "loans", "AV": "fee_items", "CD": "holds_waiting"}  # fmt: skip


def audit_read(s: Session, p: Patron, action: str, fields: Fields) -> None:
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
    fixed = {"end_session": "Y", "transaction_date": replies.now(s)}
    return Message.of("36", fixed, [("AO", replies.institution(s, m)), ("AA", card)]), "ok"


def block_patron(s: Session, m: Message, key: RequestKey) -> Result:
    card = m.get("AA") or ""
    s.services.readers.block(card, m.get("AL") or "blocked at a self-check machine")
    s.forget(card)
    p = s.patron(Message("01", {}, (("AA", card),)))
    fixed = {
        "patron_status": UNKNOWN_PATRON_STATUS.to_field(),
        "language": replies.language(s),
        "transaction_date": replies.now(s),
    }
    fields = [("AO", replies.institution(s, m)), ("AA", card), ("AE", ""), *validity(p)]
    return Message.of("24", fixed, fields), "ok"


def outcome(p: Patron) -> str:
    if p.reader is None:
        return "unknown reader"
    if p.locked:
        return "PIN locked"
    if p.pin_wrong:
        return "wrong PIN"
    return "ok" if p.may_see else "PIN required"
