"""SIP2 message values and the results of decoding and encoding them.

A decoded message is one generic, immutable value: the command, the fixed
fields by key (see ``messages.CATALOGUE``) and the ID'd fields as an ordered
list of ``(id, value)`` pairs. Keeping the list, not a dict, preserves field
order, repeated fields (AS…CD, BM/BN, AF/AG) and fields we do not know, so a
message re-encodes byte for byte and vendor extensions survive untouched.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

from shelfwise.sip2.messages import MessageSpec, spec_for


@dataclass(frozen=True, eq=True)
class Message:
    command: str
    fixed: Mapping[str, str] = field(default_factory=dict)
    fields: tuple[tuple[str, str], ...] = ()

    @classmethod
    def of(
        cls,
        command: str,
        fixed: Mapping[str, str] | None = None,
        fields: Iterable[tuple[str, str]] = (),
    ) -> Message:
        """Build a message, copying ``fixed`` and ``fields`` so it stays immutable."""
        return cls(command, dict(fixed or {}), tuple(fields))

    @property
    def spec(self) -> MessageSpec | None:
        return spec_for(self.command)

    def get(self, fid: str) -> str | None:
        """The first value of ID'd field ``fid``, or None when absent."""
        for key, value in self.fields:
            if key == fid:
                return value
        return None

    def get_all(self, fid: str) -> tuple[str, ...]:
        """Every value of ``fid``, in message order (for repeatable fields)."""
        return tuple(value for key, value in self.fields if key == fid)

    def has(self, fid: str) -> bool:
        return any(key == fid for key, _ in self.fields)

    def unknown_fields(self) -> tuple[tuple[str, str], ...]:
        """Fields this message type does not declare (vendor extensions, typos)."""
        spec = self.spec
        if spec is None:
            return self.fields
        return tuple((k, v) for k, v in self.fields if spec.field(k) is None)

    def missing_required(self) -> tuple[str, ...]:
        """Required ID'd fields this message lacks, in catalogue order."""
        spec = self.spec
        if spec is None:
            return ()
        present = {key for key, _ in self.fields}
        return tuple(f.fid for f in spec.fields if f.required and f.fid not in present)

    def with_fields(self, *extra: tuple[str, str]) -> Message:
        return Message(self.command, dict(self.fixed), self.fields + tuple(extra))


class ErrorKind(StrEnum):
    EMPTY = "empty"
    TOO_LONG = "too-long"
    BAD_COMMAND = "bad-command"
    UNKNOWN_COMMAND = "unknown-command"
    CONTROL_CHARACTER = "control-character"
    ENCODING = "encoding"
    TRUNCATED = "truncated"
    BAD_FIXED_FIELD = "bad-fixed-field"
    BAD_FIELD = "bad-field"
    UNTERMINATED_FIELD = "unterminated-field"
    CHECKSUM_FORMAT = "checksum-format"
    CHECKSUM_MISMATCH = "checksum-mismatch"
    CHECKSUM_MISSING = "checksum-missing"
    SEQUENCE = "sequence"


# Errors that a retransmission may cure: the ACS answers them with 96 (docs/sip2.md, Framing).
RESEND_KINDS = frozenset(
    {
        ErrorKind.CHECKSUM_MISMATCH,
        ErrorKind.CHECKSUM_MISSING,
        ErrorKind.TRUNCATED,
        ErrorKind.CONTROL_CHARACTER,
    }
)


@dataclass(frozen=True)
class DecodeError:
    """Why a message could not be decoded, and where.

    ``position`` is a byte offset into the message as received (terminator
    excluded), so logs can point at the offending byte without echoing it.
    """

    kind: ErrorKind
    reason: str
    position: int
    command: str | None = None
    fid: str | None = None

    @property
    def wants_resend(self) -> bool:
        return self.kind in RESEND_KINDS

    def __str__(self) -> str:
        where = f"message {self.command}" if self.command else "message"
        return f"{where}, byte {self.position}: {self.reason}"


@dataclass(frozen=True)
class DecodeWarning:
    """A deviation accepted while decoding (lenient mode, or a missing field)."""

    reason: str
    fid: str | None = None


@dataclass(frozen=True)
class Decoded:
    message: Message
    sequence: int | None = None
    checksum: str | None = None
    warnings: tuple[DecodeWarning, ...] = ()
    ok: Literal[True] = True


@dataclass(frozen=True)
class DecodeFailure:
    error: DecodeError
    sequence: int | None = None
    ok: Literal[False] = False


DecodeResult = Decoded | DecodeFailure


class EncodeError(ValueError):
    """A message that cannot be put on the wire as asked (our own bug or bad data)."""

    def __init__(self, command: str, reason: str, fid: str | None = None) -> None:
        where = f" field {fid}" if fid else ""
        super().__init__(f"cannot encode {command}{where}: {reason}")
        self.command = command
        self.fid = fid
        self.reason = reason
