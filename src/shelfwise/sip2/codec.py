"""Decode and encode SIP2 messages: bytes in, values out, and back.

Pure functions: no sockets, no clock, no configuration beyond the arguments.
``decode`` never raises on bad input; a malformed message comes back as a
``DecodeFailure`` naming the message, the byte position and the reason, so the
server can answer (96 Request SC Resend for a bad checksum) instead of crashing.
``encode`` raises ``EncodeError``: an unencodable response is our own bug or
bad data, and must not reach a kiosk half-formed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shelfwise.kiosks.charsets import resolve_encoding
from shelfwise.sip2.checksum import character_checksum_values, checksum, verifies
from shelfwise.sip2.messages import (
    DISPLAY_FIELDS,
    NO_SEQUENCE_COMMANDS,
    MessageSpec,
    spec_for,
)
from shelfwise.sip2.model import (
    Decoded,
    DecodeError,
    DecodeFailure,
    DecodeResult,
    DecodeWarning,
    EncodeError,
    ErrorKind,
    Message,
)
from shelfwise.sip2.validation import (
    field_id_error,
    fixed_field_error,
    sanitise_display,
    variable_field_error,
)

# S-9: the server caps a message at 8 KB; the codec refuses larger input too,
# so a caller that forgets the cap still cannot make it scan megabytes.
MAX_MESSAGE_BYTES = 8192

# "AY<d>AZ<hex>" at the very end. The pieces are captured loosely so that a
# malformed tail is reported precisely instead of being taken for a field.
_AZ_TAIL = re.compile(rb"(AY([^|]?))?AZ([^|]*)\Z", re.DOTALL)
_AY_TAIL = re.compile(rb"AY([^|]?)\Z", re.DOTALL)
_HEX = re.compile(rb"[0-9A-Fa-f]{1,4}")
_CONTROL_BYTES = re.compile(rb"[\x00\r\n]")


@dataclass(frozen=True)
class _Tail:
    start: int  # byte offset where the error-detection tail begins
    sequence: bytes | None  # what followed AY, when AY is present
    checksum_at: int | None  # offset just past "AZ", when AZ is present
    checksum: bytes | None


@dataclass
class _Context:
    body: bytes
    command: str
    codec: str
    lenient: bool
    require_checksum: bool
    warnings: list[DecodeWarning]

    def fail(
        self, kind: ErrorKind, reason: str, position: int, fid: str | None = None
    ) -> DecodeFailure:
        return DecodeFailure(DecodeError(kind, reason, position, self.command, fid))

    def warn(self, reason: str, fid: str | None = None) -> None:
        self.warnings.append(DecodeWarning(reason, fid))


def decode(
    data: bytes,
    *,
    encoding: str = "utf-8",
    lenient: bool = False,
    require_checksum: bool = False,
    max_length: int = MAX_MESSAGE_BYTES,
) -> DecodeResult:
    """Decode one SIP2 message (terminated by CR, CRLF or LF, or unterminated).

    ``lenient`` accepts the mistakes real clients make (see docs/sip2.md);
    strict mode rejects each with a precise reason. ``require_checksum`` is for
    terminals configured with error detection: a message without AZ then lost
    its tail in transit and is refused (the server answers 96). Raises only ``ValueError``
    for an unsupported ``encoding`` name, which is a configuration error.
    """
    codec = resolve_encoding(encoding)
    body = _strip_terminator(data)
    if len(body) > max_length:
        return DecodeFailure(
            DecodeError(ErrorKind.TOO_LONG, f"longer than {max_length} bytes", max_length)
        )
    if not body:
        return DecodeFailure(DecodeError(ErrorKind.EMPTY, "empty message", 0))
    if len(body) < 2 or not body[:2].isdigit():
        return DecodeFailure(
            DecodeError(ErrorKind.BAD_COMMAND, "message does not start with a 2-digit command", 0)
        )
    command = body[:2].decode("ascii")
    spec = spec_for(command)
    if spec is None:
        return DecodeFailure(
            DecodeError(ErrorKind.UNKNOWN_COMMAND, f"unknown command {command}", 0, command)
        )
    ctx = _Context(body, command, codec, lenient, require_checksum, [])
    control = _CONTROL_BYTES.search(body)
    if control is not None:
        return ctx.fail(
            ErrorKind.CONTROL_CHARACTER,
            f"control byte 0x{control.group()[0]:02X} inside the message",
            control.start(),
        )
    return _decode_known(ctx, spec)


def _strip_terminator(data: bytes) -> bytes:
    # A server framing on CR sees the LF of a CRLF client at the start of the
    # next message (Cen-Tec units, dp2SIPServer); it belongs to the previous one.
    body = data.lstrip(b"\n")
    for terminator in (b"\r\n", b"\r", b"\n"):
        if body.endswith(terminator):
            return body[: -len(terminator)]
    return body


def _decode_known(ctx: _Context, spec: MessageSpec) -> DecodeResult:
    fixed_end = 2 + spec.fixed_length
    tail = _find_tail(ctx.body, fixed_end)
    sequence: int | None = None
    checksum_text: str | None = None
    if tail is not None:
        checked = _check_tail(ctx, tail)
        if isinstance(checked, DecodeFailure):
            return checked
        sequence, checksum_text = checked
    if checksum_text is None and ctx.require_checksum:
        return ctx.fail(
            ErrorKind.CHECKSUM_MISSING,
            "no AZ checksum, but this terminal uses error detection",
            len(ctx.body),
            "AZ",
        )
    content_end = tail.start if tail is not None else len(ctx.body)
    try:
        text = ctx.body[:content_end].decode(ctx.codec)
    except UnicodeDecodeError as exc:
        return DecodeFailure(
            DecodeError(
                ErrorKind.ENCODING,
                f"bytes at {exc.start} are not valid {ctx.codec}",
                exc.start,
                ctx.command,
            ),
            sequence,
        )
    if len(text) < fixed_end:
        return ctx.fail(
            ErrorKind.TRUNCATED,
            f"{spec.name} needs {spec.fixed_length} characters of fixed fields, "
            f"got {max(len(text) - 2, 0)}",
            len(ctx.body[:content_end]),
        )
    fixed = _decode_fixed(ctx, spec, text)
    if isinstance(fixed, DecodeFailure):
        return fixed
    fields = _decode_fields(ctx, text, fixed_end)
    if isinstance(fields, DecodeFailure):
        return fields
    pairs, field_sequence = fields
    if sequence is None and field_sequence is not None:
        sequence = field_sequence
    message = Message(ctx.command, fixed, tuple(pairs))
    for fid in message.missing_required():
        ctx.warn(f"required field {fid} is missing", fid)
    return Decoded(message, sequence, checksum_text, tuple(ctx.warnings))


def _find_tail(body: bytes, fixed_end: int) -> _Tail | None:
    """Locate the AY/AZ tail: after the fixed fields and right after a '|'."""

    def placed_well(start: int) -> bool:
        return start == fixed_end or (start > fixed_end and body[start - 1 : start] == b"|")

    match = _AZ_TAIL.search(body, fixed_end)
    if match is not None and placed_well(match.start()):
        return _Tail(match.start(), match.group(2), match.start(3), match.group(3))
    match = _AY_TAIL.search(body, fixed_end)
    if match is not None and placed_well(match.start()):
        return _Tail(match.start(), match.group(1), None, None)
    return None


def _check_tail(ctx: _Context, tail: _Tail) -> tuple[int | None, str | None] | DecodeFailure:
    sequence: int | None = None
    if tail.sequence is not None:
        if len(tail.sequence) != 1 or not tail.sequence.isdigit():
            return ctx.fail(ErrorKind.SEQUENCE, "AY must be followed by one digit", tail.start + 2)
        sequence = int(tail.sequence)
    if tail.checksum is None or tail.checksum_at is None:
        if not ctx.lenient:
            return ctx.fail(
                ErrorKind.SEQUENCE, "AY sequence number without AZ checksum", tail.start
            )
        ctx.warn("AY sequence number without AZ checksum", "AY")
        return sequence, None
    if sequence is None and ctx.command not in NO_SEQUENCE_COMMANDS:
        if not ctx.lenient:
            return ctx.fail(
                ErrorKind.SEQUENCE, "AZ checksum without AY sequence number", tail.start
            )
        ctx.warn("AZ checksum without AY sequence number", "AY")
    failure = _check_checksum(ctx, tail.checksum, tail.checksum_at)
    if failure is not None:
        return DecodeFailure(failure.error, sequence)
    return sequence, tail.checksum.decode("ascii")


def _check_checksum(ctx: _Context, digits: bytes, at: int) -> DecodeFailure | None:
    if _HEX.fullmatch(digits) is None:
        return ctx.fail(
            ErrorKind.CHECKSUM_FORMAT, f"AZ checksum {digits!r} is not 1-4 hex digits", at, "AZ"
        )
    problems = []
    if len(digits) != 4:
        problems.append(f"AZ checksum has {len(digits)} hex digits, 4 are required (zero-padded)")
    if digits != digits.upper():
        problems.append("AZ checksum is in lower-case hex")
    for problem in problems:
        if not ctx.lenient:
            return ctx.fail(ErrorKind.CHECKSUM_FORMAT, problem, at, "AZ")
        ctx.warn(problem, "AZ")
    value = int(digits, 16)
    covered = ctx.body[:at]
    if verifies(covered, value):
        return None
    expected = checksum(covered)
    try:
        covered_text = covered.decode(ctx.codec)
    except UnicodeDecodeError:
        covered_text = None
    if covered_text is not None and value in character_checksum_values(covered_text):
        reason = "AZ checksum was computed over characters, not encoded bytes"
        if ctx.lenient:
            ctx.warn(reason, "AZ")
            return None
        return ctx.fail(ErrorKind.CHECKSUM_MISMATCH, f"{reason} (expected {expected})", at, "AZ")
    return ctx.fail(
        ErrorKind.CHECKSUM_MISMATCH,
        f"AZ checksum {digits.decode('ascii')} does not match the bytes (expected {expected})",
        at,
        "AZ",
    )


def _byte_offset(ctx: _Context, text: str, index: int) -> int:
    return len(text[:index].encode(ctx.codec, "replace"))


def _decode_fixed(ctx: _Context, spec: MessageSpec, text: str) -> dict[str, str] | DecodeFailure:
    fixed: dict[str, str] = {}
    position = 2
    for field in spec.fixed:
        value = text[position : position + field.length]
        reason = fixed_field_error(field, value, lenient=ctx.lenient)
        if reason is not None:
            where = _byte_offset(ctx, text, position)
            return ctx.fail(ErrorKind.BAD_FIXED_FIELD, reason, where, field.key)
        if ctx.lenient and fixed_field_error(field, value) is not None:
            ctx.warn(f"{field.label} {value!r} accepted in lenient mode", field.key)
        fixed[field.key] = value
        position += field.length
    return fixed


def _decode_fields(
    ctx: _Context, text: str, start: int
) -> tuple[list[tuple[str, str]], int | None] | DecodeFailure:
    """Split the ID'd fields; returns them with any sequence number found among them."""
    pairs: list[tuple[str, str]] = []
    sequence: int | None = None
    segments = text[start:].split("|")
    unterminated = segments.pop()
    position = start
    for index, segment in enumerate([*segments, unterminated]):
        terminated = index < len(segments)
        if not terminated and not segment:
            break
        where = _byte_offset(ctx, text, position)
        position += len(segment) + 1
        if not terminated:
            if not ctx.lenient:
                return ctx.fail(
                    ErrorKind.UNTERMINATED_FIELD,
                    "last field is not terminated by '|'",
                    where,
                    segment[:2] or None,
                )
            ctx.warn("last field is not terminated by '|'", segment[:2] or None)
        fid, value = segment[:2], segment[2:]
        reason = field_id_error(fid) if len(fid) == 2 else "field shorter than its 2-letter id"
        if reason is None:
            pairs.append((fid, value))
            continue
        if not ctx.lenient:
            return ctx.fail(ErrorKind.BAD_FIELD, reason, where, fid or None)
        # Some clients put '|' after AY ("AY1|AZ…"): keep its digit as the sequence.
        if fid == "AY" and len(value) == 1 and value.isdigit():
            sequence = int(value)
        ctx.warn(f"{reason}; field dropped", fid or None)
    return pairs, sequence


def encode(
    message: Message,
    *,
    encoding: str = "utf-8",
    error_detection: bool = True,
    sequence: int | None = None,
) -> bytes:
    """The wire bytes of ``message``, ending in CR.

    With ``error_detection`` the message ends ``AY<sequence>AZ<checksum>``; the
    checksum covers the encoded bytes. ``sequence=None`` leaves AY out (an ACS
    echoes the request's AY and has none to echo when the request carried none);
    96 and 97 never carry AY. AF/AG display text is sanitised ('|' and control
    characters become spaces, unrepresentable characters '?'); any other field
    with such content raises ``EncodeError``.
    """
    codec = resolve_encoding(encoding)
    spec = spec_for(message.command)
    if spec is None:
        raise EncodeError(message.command, "unknown command")
    parts = [message.command.encode("ascii")]
    parts.extend(_encode_fixed(message, spec, codec))
    _check_field_list(message, spec)
    for fid, value in message.fields:
        parts.append(fid.encode("ascii") + _encode_value(message.command, fid, value, codec) + b"|")
    body = b"".join(parts)
    if not error_detection:
        return body + b"\r"
    if sequence is not None and message.command not in NO_SEQUENCE_COMMANDS:
        if not 0 <= sequence <= 9:
            raise EncodeError(message.command, f"sequence {sequence} is not one digit", "AY")
        body += b"AY%d" % sequence
    body += b"AZ"
    return body + checksum(body).encode("ascii") + b"\r"


def _encode_fixed(message: Message, spec: MessageSpec, codec: str) -> list[bytes]:
    expected = [f.key for f in spec.fixed]
    if sorted(message.fixed) != sorted(expected):
        raise EncodeError(
            message.command, f"fixed fields must be exactly {expected}, got {sorted(message.fixed)}"
        )
    encoded = []
    for field in spec.fixed:
        value = message.fixed[field.key]
        reason = fixed_field_error(field, value)
        if reason is not None:
            raise EncodeError(message.command, reason, field.key)
        # Fixed fields are codes, flags, digits and dates: always ASCII.
        encoded.append(value.encode("ascii"))
    return encoded


def _check_field_list(message: Message, spec: MessageSpec) -> None:
    missing = message.missing_required()
    if missing:
        raise EncodeError(message.command, f"required fields missing: {', '.join(missing)}")
    seen: set[str] = set()
    for fid, _ in message.fields:
        reason = field_id_error(fid)
        if reason is not None:
            raise EncodeError(message.command, reason, fid)
        declared = spec.field(fid)
        if fid in seen and declared is not None and not declared.repeatable:
            raise EncodeError(message.command, "field is not repeatable", fid)
        seen.add(fid)


def _encode_value(command: str, fid: str, value: str, codec: str) -> bytes:
    display = fid in DISPLAY_FIELDS
    if display:
        value = sanitise_display(value)
    reason = variable_field_error(fid, value)
    if reason is not None:
        raise EncodeError(command, reason, fid)
    if display:
        return value.encode(codec, "replace")
    try:
        return value.encode(codec)
    except UnicodeEncodeError as exc:
        # Name the position and code point, not the text: the value may be a
        # password (CO/AD) and reasons end up in logs (P13).
        where = f"character {exc.start} (U+{ord(exc.object[exc.start]):04X})"
        raise EncodeError(command, f"{where} is not representable in {codec}", fid) from exc
