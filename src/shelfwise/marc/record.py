"""The in-memory MARC record shared by every reader, writer and dialect mapping.

A record is a leader plus an ordered list of fields, exactly as the source had
them: no field is dropped, merged or re-ordered, so that export can be lossless.
Text is always decoded ``str`` (NFC is *not* forced: the source's own
normalisation is kept); the raw bytes of an imported record live beside it in
:class:`shelfwise.marc.reading.ReadRecord`.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

LEADER_LENGTH = 24
BLANK_LEADER = "     nam a22     uu 4500"


@dataclass(slots=True)
class Field:
    """One variable field.

    A control field (tags ``001``–``009``, and ``00X`` in every dialect) has
    ``data`` and no subfields; a data field has two indicators and an ordered
    list of ``(code, value)`` subfields. Repeated codes are kept in order.
    """

    tag: str
    indicators: str = "  "
    subfields: list[tuple[str, str]] = field(default_factory=list)
    data: str | None = None

    @property
    def is_control(self) -> bool:
        return self.data is not None

    def values(self, *codes: str) -> list[str]:
        """Values of the given subfield codes, in field order (all codes when none given)."""
        if not codes:
            return [v for _, v in self.subfields]
        return [v for c, v in self.subfields if c in codes]

    def first(self, code: str) -> str | None:
        for c, v in self.subfields:
            if c == code:
                return v
        return None


@dataclass(slots=True)
class Record:
    """A MARC record: leader and fields in source order."""

    leader: str = BLANK_LEADER
    fields: list[Field] = field(default_factory=list)

    def get_fields(self, *tags: str) -> list[Field]:
        if not tags:
            return list(self.fields)
        return [f for f in self.fields if f.tag in tags]

    def get(self, tag: str) -> Field | None:
        for f in self.fields:
            if f.tag == tag:
                return f
        return None

    def control(self, tag: str) -> str | None:
        f = self.get(tag)
        return f.data if f is not None else None

    def subfield_values(self, tag: str, *codes: str) -> list[str]:
        return [v for f in self.fields if f.tag == tag for v in f.values(*codes)]

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)
