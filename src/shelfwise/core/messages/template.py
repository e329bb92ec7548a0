"""One entry of the message catalogue: an HTTP status and a sentence per language."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MessageTemplate:
    status: int
    text: dict[str, str]


def message(status: int, zh: str, ko: str, en: str) -> MessageTemplate:
    return MessageTemplate(status, {"zh": zh, "ko": ko, "en": en})
