"""Stable error codes with messages in Chinese, Korean and English.

Every refusal a person can see — an API error, a SIP2 screen message, a page —
carries one of these codes. Codes never change meaning once published; the
message catalogue (``messages/``, one module per domain) gives each a sentence a
person can act on in each of the three languages. ``docs/errors.md`` is generated from the catalogue.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from shelfwise.core.messages import CATALOGUE, MessageTemplate

Language = Literal["zh", "ko", "en"]
LANGUAGES: tuple[Language, ...] = ("zh", "ko", "en")


@dataclass(frozen=True, slots=True)
class ErrorBody:
    code: str
    status: int
    message: str
    params: dict[str, str]


class ShelfwiseError(Exception):
    """A refusal with a stable code; raised by services, rendered by every door."""

    def __init__(self, code: str, **params: object) -> None:
        if code not in CATALOGUE:
            raise KeyError(
                f"unknown error code {code!r}; add it to core/messages/ (its domain's module)"
            )
        self.code = code
        self.params = {k: str(v) for k, v in params.items()}
        super().__init__(self.message("en"))

    @property
    def template(self) -> MessageTemplate:
        return CATALOGUE[self.code]

    @property
    def status(self) -> int:
        return self.template.status

    def message(self, language: str = "en") -> str:
        return render(self.code, language, self.params)

    def body(self, language: str = "en") -> ErrorBody:
        return ErrorBody(self.code, self.status, self.message(language), dict(self.params))


def render(code: str, language: str, params: dict[str, str]) -> str:
    template = CATALOGUE[code]
    text = template.text.get(language) or template.text["en"]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        # A missing parameter must not turn one error into another: show the template.
        return text


def negotiate_language(accept_language: str | None, default: Language = "zh") -> Language:
    """Pick zh/ko/en from an Accept-Language header (q-values honoured)."""
    if not accept_language:
        return default
    best: tuple[float, Language] | None = None
    for part in accept_language.split(","):
        piece = part.strip()
        if not piece:
            continue
        tag, _, q = piece.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            weight = 0.0
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGUAGES and (best is None or weight > best[0]):
            best = (weight, primary)
    return best[1] if best else default
