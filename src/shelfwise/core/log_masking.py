"""P13: no card number, confirmation code, PIN or token in a log line.

Request paths and queries carry them (``/api/v1/readers/{card}/loans``,
``/staff/desk?card=…``, ``/register/confirm/{card}/{code}``), and every HTTP server
writes its access log from them. :func:`install` masks them in every log record the
process makes, whoever logs it (uvicorn's access log, a library, our own code): the
record's message and arguments are masked when the record is made, before any
handler or formatter sees them. Formatters that unpack the arguments (uvicorn's
access formatter does) keep working: each argument is masked in place.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Mapping
from typing import Any

MASK = "***"
# (text every match contains, pattern, replacement): a line without the text cannot
# match, so the pattern is not run on it (most lines carry none of them).
_PATTERNS: list[tuple[str, re.Pattern[str], str]] = [
    # A path segment naming a reader: /api/v1/readers/SW0000000018/loans, /staff/readers/…
    (
        "/readers/",
        re.compile(r"(/readers/)(?!new(?:[/?#\s\"']|$))[^/?#\s\"']+"),
        rf"\g<1>{MASK}",
    ),
    # The staff search box: what it was given may be a name, a phone or an ID number.
    (
        "/staff/search",
        re.compile(r"(/staff/search\?(?:[^\s\"']*&)?q=)[^&#\s\"']*"),
        rf"\g<1>{MASK}",
    ),
    # The e-mailed confirmation link: card and code in the path.
    ("/register/confirm/", re.compile(r"(/register/confirm/)[^?#\s\"']+"), rf"\g<1>{MASK}"),
    # Query parameters and form-style pairs that carry a card, a code or a secret.
    (
        "=",
        re.compile(
            r"((?:^|[?&\s])(?:card|card_number|token|code|secret|pin|password|id_card)=)"
            r"[^&#\s\"']*"
        ),
        rf"\g<1>{MASK}",
    ),
]
_installed: dict[str, Any] = {}


def mask(text: str) -> str:
    """``text`` with every card number, code and secret the patterns know replaced."""
    for needle, pattern, replacement in _PATTERNS:
        if needle in text:
            text = pattern.sub(replacement, text)
    card: re.Pattern[str] | None = _installed.get("card")
    if card is None or _installed["card_prefix"] not in text:
        return text
    return card.sub(_keep_prefix, text)


def _keep_prefix(found: re.Match[str]) -> str:
    return found.group(1) + "*" * len(found.group(2))


def install(card_prefix: str = "") -> None:
    """Mask every log record this process makes from now on (idempotent).

    ``card_prefix``: the library's card numbers (prefix + ten digits) are masked
    wherever they appear in a line, not only in paths."""
    if card_prefix:
        _installed["card_prefix"] = card_prefix
        _installed["card"] = re.compile(rf"\b({re.escape(card_prefix)})(\d{{10}})\b")
    if "factory" in _installed:
        return
    previous: Callable[..., logging.LogRecord] = logging.getLogRecordFactory()

    def masked(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_masked(a) for a in record.args)
        elif isinstance(record.args, Mapping):
            record.args = {k: _masked(v) for k, v in record.args.items()}
        return record

    logging.setLogRecordFactory(masked)
    _installed["factory"] = masked


def _masked(value: object) -> object:
    return mask(value) if isinstance(value, str) else value
