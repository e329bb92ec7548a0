"""The in-memory MARC record shared by every reader, writer and dialect mapping.

A record is a leader plus an ordered list of fields, exactly as the source had
them: no field is dropped, merged or re-ordered, so that export can be lossless.
Text is always decoded ``str`` (NFC is *not* forced: the source's own
normalisation is kept); the raw bytes of an imported record live beside it in
:class:`shelfwise.marc.reading.ReadRecord`.
"""

from __future__ import annotations

import re
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


CONTROL_TAGS = frozenset(f"00{i}" for i in range(10))


class Record:
    """A MARC record: leader and fields in source order.

    A record read from ISO 2709 is usually *lazy* (:meth:`lazy`): it holds each
    field's tag and decoded text, and builds a :class:`Field` only when one is
    asked for, so a reader that wants a few tags (``get``, ``get_fields(*tags)``,
    ``control``, ``subfield_values``) never pays for the others. ``fields`` (and
    iterating, comparing, printing) builds them all once; from then on the record
    is an ordinary list of fields that callers may edit. A field is built once, so
    one asked for by tag is the same object ``fields`` holds later.
    """

    __slots__ = ("_built", "_fields", "_tags", "_texts", "leader")

    def __init__(self, leader: str = BLANK_LEADER, fields: list[Field] | None = None) -> None:
        self.leader = leader
        self._fields: list[Field] | None = fields if fields is not None else []
        self._tags: list[str] = []
        self._texts: list[str] = []
        self._built: list[Field | None] | None = None

    @classmethod
    def lazy(cls, leader: str, tags: list[str], texts: list[str]) -> Record:
        """A record of field texts already checked and decoded (see ``iso2709.parse``):
        each text is one field without its terminator, and each data field's text
        starts with its two indicators and then a subfield delimiter (or ends)."""
        record = cls.__new__(cls)  # __init__ would make a field list only to drop it
        record.leader = leader
        record._fields = None
        record._tags = tags
        record._texts = texts
        record._built = None
        return record

    @property
    def fields(self) -> list[Field]:
        if self._fields is None:
            built = self._built
            if built is None:
                self._fields = list(map(_field_of_text, self._tags, self._texts))
            else:
                self._fields = [self._field_at(i) for i in range(len(built))]
            self._tags, self._texts, self._built = [], [], None
        return self._fields

    @fields.setter
    def fields(self, value: list[Field]) -> None:
        self._fields = value
        self._tags, self._texts, self._built = [], [], None

    @property
    def is_lazy(self) -> bool:
        """True while some fields have not been built (for tests and benchmarks)."""
        return self._fields is None

    def _field_at(self, i: int) -> Field:
        built = self._built
        if built is None:
            built = self._built = [None] * len(self._tags)
        made = built[i]
        if made is None:
            made = built[i] = _field_of_text(self._tags[i], self._texts[i])
        return made

    def field_texts(self) -> tuple[list[str], list[str]] | None:
        """Every field's tag and text in the form :meth:`lazy` takes, or None when some field
        cannot be written so (see :func:`text_of_field`). A lazy record gives the texts it
        was read with, re-writing only the fields already built (a caller may have edited
        them); the lists returned are the caller's to keep but not to change."""
        if self._fields is None:
            built = self._built
            if built is None:
                return self._tags, self._texts
            texts: list[str] = []
            for made, text in zip(built, self._texts, strict=True):
                if made is None:
                    texts.append(text)
                    continue
                rewritten = text_of_field(made)
                if rewritten is None:
                    return None
                texts.append(rewritten)
            return self._tags, texts
        fields = self._fields
        texts = []
        for f in fields:
            written = text_of_field(f)
            if written is None:
                return None
            texts.append(written)
        return [f.tag for f in fields], texts

    def tag_positions(self) -> dict[str, list[int]]:
        """Where each tag is: its fields' positions, in record order (builds no field)."""
        tags = self._tags if self._fields is None else [f.tag for f in self._fields]
        positions: dict[str, list[int]] = {}
        for i, tag in enumerate(tags):
            at = positions.get(tag)
            if at is None:
                positions[tag] = [i]
            else:
                at.append(i)
        return positions

    def field_at(self, index: int) -> Field:
        """The field at ``index`` (built now if the record is lazy and it was not yet)."""
        if self._fields is None:
            return self._field_at(index)
        return self._fields[index]

    def get_fields(self, *tags: str) -> list[Field]:
        if not tags:
            return list(self.fields)
        if self._fields is None:
            return [self._field_at(i) for i, t in enumerate(self._tags) if t in tags]
        return [f for f in self._fields if f.tag in tags]

    def get(self, tag: str) -> Field | None:
        if self._fields is None:
            try:
                return self._field_at(self._tags.index(tag))
            except ValueError:
                return None
        for f in self._fields:
            if f.tag == tag:
                return f
        return None

    def control(self, tag: str) -> str | None:
        f = self.get(tag)
        return f.data if f is not None else None

    def subfield_values(self, tag: str, *codes: str) -> list[str]:
        return [v for f in self.get_fields(tag) for v in f.values(*codes)]

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Record):
            return NotImplemented
        return self.leader == other.leader and self.fields == other.fields

    __hash__ = None  # type: ignore[assignment]  # mutable, like the dataclass it replaced

    def __repr__(self) -> str:
        return f"Record(leader={self.leader!r}, fields={self.fields!r})"

    def __getstate__(self) -> tuple[str, list[Field]]:
        return self.leader, self.fields

    def __setstate__(self, state: tuple[str, list[Field]]) -> None:
        self.leader, self._fields = state
        self._tags, self._texts, self._built = [], [], None


# Subfields after the indicators: the same pairs as splitting on the delimiter and
# dropping empty parts, but the tuples are made in C (a third quicker).
_SUBFIELDS = re.compile("\x1f([^\x1f])([^\x1f]*)")


def text_of_field(f: Field) -> str | None:
    """The field as :meth:`Record.lazy` holds it (indicators, then each subfield after its
    delimiter; a control field's data), or None when that text would not give back the
    same field: a control field with indicators or subfields, a control tag without data,
    indicators that are not two characters, or a subfield code or value that is not one
    character or holds the delimiter."""
    if f.data is not None:
        if f.tag in CONTROL_TAGS and not f.subfields and f.indicators == "  ":
            return f.data
        return None
    if f.tag in CONTROL_TAGS or len(f.indicators) != 2:
        return None
    parts = [f.indicators]
    for code, value in f.subfields:
        if len(code) != 1 or code == "\x1f" or "\x1f" in value:
            return None
        parts.append("\x1f" + code + value)
    return "".join(parts)


def _field_of_text(tag: str, text: str) -> Field:
    if tag in CONTROL_TAGS:
        return Field(tag, "  ", [], text)
    return Field(tag, text[:2], _SUBFIELDS.findall(text, 2))
