"""Golden SIP2 messages: every message type, both directions, several charsets.

Each ``golden/<name>.<encoding>.sip`` holds the raw bytes of one message. The
test decodes it strictly, checks the result against ``<name>.<encoding>.json``
beside it, and re-encodes it byte for byte. A missing expectation fails and
prints the proposed JSON, to be reviewed by eye before it is committed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from shelfwise.sip2 import CATALOGUE, Decoded, decode, encode

GOLDEN = Path(__file__).parent / "golden"
FILES = sorted(GOLDEN.glob("*.sip"))


def _encoding_of(path: Path) -> str:
    # "<name>.<encoding>.sip"
    return path.suffixes[-2].lstrip(".") if len(path.suffixes) >= 2 else "utf-8"


def _describe(result: Decoded, encoding: str) -> dict[str, Any]:
    message = result.message
    spec = CATALOGUE[message.command]
    return {
        "command": message.command,
        "name": spec.name,
        "direction": spec.direction.value,
        "encoding": encoding,
        "sequence": result.sequence,
        "checksum": result.checksum,
        "fixed": dict(message.fixed),
        "fields": [list(pair) for pair in message.fields],
        "warnings": [w.reason for w in result.warnings],
    }


def render(described: dict[str, Any]) -> str:
    """JSON with one line per field, so a golden diff reads like the message."""
    head = {k: v for k, v in described.items() if k != "fields"}
    text = json.dumps(head, ensure_ascii=False, indent=2)[: -len("\n}")]
    fields = ",\n".join(
        "    " + json.dumps(pair, ensure_ascii=False) for pair in described["fields"]
    )
    return f'{text},\n  "fields": [\n{fields}\n  ]\n}}\n'


def test_every_message_type_has_a_golden_file() -> None:
    covered = {path.name[:2] for path in FILES}
    assert covered == set(CATALOGUE)


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_golden_message_decodes_to_its_expectation_and_re_encodes(path: Path) -> None:
    raw = path.read_bytes()
    encoding = _encoding_of(path)
    result = decode(raw, encoding=encoding)
    assert isinstance(result, Decoded), result
    described = _describe(result, encoding)
    expect_path = path.with_suffix(".json")
    proposed = render(described)
    if not expect_path.exists():
        pytest.fail(f"no expectation {expect_path.name}; proposed:\n{proposed}")
    assert described == json.loads(expect_path.read_text(encoding="utf-8"))
    again = encode(
        result.message,
        encoding=encoding,
        error_detection=result.checksum is not None,
        sequence=result.sequence,
    )
    assert again == raw


def test_golden_messages_decode_in_lenient_mode_without_warnings() -> None:
    # Lenient mode must not change how a well-formed message reads.
    for path in FILES:
        encoding = _encoding_of(path)
        strict = decode(path.read_bytes(), encoding=encoding)
        lenient = decode(path.read_bytes(), encoding=encoding, lenient=True)
        assert lenient == strict, path.name
