"""Typed views of SIP2 field values: patron status, summary, BX, counts, display lines.

The codec keeps every value as the string on the wire (so it re-encodes byte
for byte); these functions turn them into Python values and back for the code
that acts on them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from shelfwise.kiosks.terminals import BX_POSITIONS
from shelfwise.sip2.dates import parse_sip_date
from shelfwise.sip2.messages import ITEM_LIST_FIELDS, MAX_FIELD_CHARS
from shelfwise.sip2.model import Message


class PatronCondition(IntEnum):
    """Positions of the 14-character patron status (the Guide's patron status table)."""

    CHARGE_PRIVILEGES_DENIED = 0
    RENEWAL_PRIVILEGES_DENIED = 1
    RECALL_PRIVILEGES_DENIED = 2
    HOLD_PRIVILEGES_DENIED = 3
    CARD_REPORTED_LOST = 4
    TOO_MANY_ITEMS_CHARGED = 5
    TOO_MANY_ITEMS_OVERDUE = 6
    TOO_MANY_RENEWALS = 7
    TOO_MANY_CLAIMS_OF_ITEMS_RETURNED = 8
    TOO_MANY_ITEMS_LOST = 9
    EXCESSIVE_OUTSTANDING_FINES = 10
    EXCESSIVE_OUTSTANDING_FEES = 11
    RECALL_OVERDUE = 12
    TOO_MANY_ITEMS_BILLED = 13


PATRON_STATUS_LENGTH = 14


@dataclass(frozen=True)
class PatronStatus:
    conditions: frozenset[PatronCondition] = frozenset()

    @classmethod
    def parse(cls, text: str) -> PatronStatus:
        """Read a patron status field; only 'Y' means true (blank or 'N' do not)."""
        return cls(frozenset(c for c in PatronCondition if text[c : c + 1] == "Y"))

    def to_field(self) -> str:
        return "".join("Y" if c in self.conditions else " " for c in PatronCondition)


# Koha's answer for an unknown patron: the four privilege-denied positions set.
UNKNOWN_PATRON_STATUS = PatronStatus(frozenset(PatronCondition(i) for i in range(4)))


class ItemList(IntEnum):
    """The detail list a 63 summary selects, by summary position (the Guide's 63 summary)."""

    HOLD = 0
    OVERDUE = 1
    CHARGED = 2
    FINE = 3
    RECALL = 4
    UNAVAILABLE_HOLDS = 5

    @property
    def fid(self) -> str:
        """The 64 field that carries one entry of this list."""
        return ITEM_LIST_FIELDS[self.value]


def selected_list(summary: str) -> ItemList | None:
    """The list a summary asks for: the first 'Y' in positions 0–5, as Koha,
    Evergreen and edge-sip2 do; positions 6–9 are undefined and ignored."""
    for item_list in ItemList:
        if summary[item_list : item_list + 1] == "Y":
            return item_list
    return None


def summary_for(item_list: ItemList | None) -> str:
    return "".join("Y" if item_list is not None and i == item_list else " " for i in range(10))


def supported_messages_field(commands: Iterable[str]) -> str:
    """A BX value advertising exactly ``commands`` (request codes, e.g. "11")."""
    wanted = set(commands)
    unknown = wanted - set(BX_POSITIONS)
    if unknown:
        raise ValueError(f"not a BX message pair: {sorted(unknown)}")
    return "".join("Y" if command in wanted else "N" for command in BX_POSITIONS)


def supported_messages(value: str) -> frozenset[str]:
    return frozenset(c for i, c in enumerate(BX_POSITIONS) if value[i : i + 1] == "Y")


def flag(value: str) -> bool:
    return value == "Y"


def parse_count(value: str) -> int | None:
    """A fixed-width count; blanks (unsupported) give None."""
    return None if not value.strip() else int(value)


def format_count(value: int | None, width: int = 4) -> str:
    if value is None:
        return " " * width
    if not 0 <= value < 10**width:
        raise ValueError(f"{value} does not fit in {width} digits")
    return str(value).zfill(width)


def transaction_date(message: Message) -> datetime | None:
    """The TD of a message (None when it has none or it is blank)."""
    value = message.fixed.get("transaction_date")
    return None if value is None else parse_sip_date(value)


class DisplayKind(StrEnum):
    SCREEN = "AF"
    PRINT = "AG"


@dataclass(frozen=True)
class DisplayLine:
    """One screen message (AF) or print line (AG), already in the reader's language.

    Choosing the text (error codes → zh/ko/en messages) is not the codec's job;
    this is only the value that travels.
    """

    kind: DisplayKind
    text: str


def display_fields(lines: Iterable[DisplayLine]) -> tuple[tuple[str, str], ...]:
    """AF/AG fields for ``lines``, splitting text longer than 255 characters
    into several fields of the same kind, as edge-sip2 does."""
    fields: list[tuple[str, str]] = []
    for line in lines:
        text = line.text
        chunks = [text[i : i + MAX_FIELD_CHARS] for i in range(0, len(text), MAX_FIELD_CHARS)]
        fields.extend((line.kind.value, chunk) for chunk in chunks or [""])
    return tuple(fields)


def display_lines(message: Message) -> tuple[DisplayLine, ...]:
    kinds = {k.value: k for k in DisplayKind}
    return tuple(DisplayLine(kinds[fid], value) for fid, value in message.fields if fid in kinds)
