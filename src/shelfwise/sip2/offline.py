"""Offline (``no_block=Y``) checkouts and check-ins: what a kiosk did while it could not reach us (S-8).

A kiosk that lost its connection lends and takes back books on its own and sends
the transactions with ``no_block=Y`` once it is back. They are accepted only from
a terminal whose account allows it (``allow_offline``; the others get a negative
answer with a screen message), and they are not decided here: each one goes
through the function that applies each transaction of an offline upload
(:func:`shelfwise.circulation.offline.apply`, under the same ``offline:`` keys), so it meets the same rules and conflicts as a transaction in an uploaded offline
file — a copy on loan to someone else, a blocked or unknown reader, a loan limit
reached — and a conflict is reported (refusal code, warning log line) instead of
being forced through.

The transaction id is the terminal and the request without its PIN, sequence
number and checksum (the SIP2 idempotency key's text), so a kiosk that sends its
stored transactions again, after a reconnect too, applies each one once. The PIN is not
checked: the kiosk could not check it either while it was offline; trusting its
record is what ``allow_offline`` grants.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from shelfwise.circulation.offline import OfflineOp, OfflineTransaction
from shelfwise.kiosks.terminals import Terminal
from shelfwise.sip2.dates import instant_from_sip
from shelfwise.sip2.model import Message


def is_offline(m: Message) -> bool:
    return m.fixed.get("no_block") == "Y"


def transaction(
    terminal: Terminal, m: Message, key: str, op: OfflineOp, now: datetime, zone: tzinfo
) -> OfflineTransaction:
    """The offline transaction a 11 or 09 with no_block=Y stands for."""
    stamp = m.fixed.get("return_date" if op is OfflineOp.CHECKIN else "transaction_date", "")
    try:  # the kiosk's local time (blank zone) is the library's
        at = instant_from_sip(stamp, zone) or now
    except ValueError:
        at = now
    return OfflineTransaction(
        id=f"sip2:{terminal.id}:{key}",
        op=op,
        at=at,
        barcode=m.get("AB") or "",
        branch=terminal.branch_code,
        card_number=m.get("AA") if op is OfflineOp.CHECKOUT else None,
    )
