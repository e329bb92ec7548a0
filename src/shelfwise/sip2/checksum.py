"""The SIP2 AZ checksum (``docs/sip2.md``, Framing and error detection).

The checksum is defined over the *encoded bytes* of a message, from its first
byte through the ``A`` and ``Z`` of the ``AZ`` field id: keep the low 16 bits of
the byte sum and take the two's complement, written as four upper-case hex
digits. A message verifies when (byte sum through ``AZ`` + checksum) & 0xFFFF
is zero.
"""

from __future__ import annotations

_MASK = 0xFFFF


def checksum_value(data: bytes) -> int:
    """The checksum of ``data`` (the bytes through ``AZ``) as an integer."""
    return (-sum(data)) & _MASK


def checksum(data: bytes) -> str:
    """The checksum of ``data`` as the four upper-case hex digits sent on the wire."""
    return format(checksum_value(data), "04X")


def verifies(data: bytes, value: int) -> bool:
    """True when ``value`` is the right checksum for ``data`` (bytes through ``AZ``)."""
    return (sum(data) + value) & _MASK == 0


def character_checksum_values(text: str) -> frozenset[int]:
    """Checksums that clients compute over characters instead of bytes.

    dp2Capo sums UTF-16 code units and other clients sum code points; both equal
    the byte checksum only for ASCII text, so lenient decoding accepts either.
    """
    code_points = sum(ord(c) for c in text)
    units = text.encode("utf-16-le", "surrogatepass")
    utf16_units = sum(int.from_bytes(units[i : i + 2], "little") for i in range(0, len(units), 2))
    return frozenset({(-code_points) & _MASK, (-utf16_units) & _MASK})
