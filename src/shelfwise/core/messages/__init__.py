"""The message catalogue behind :mod:`shelfwise.core.errors`: one lookup, ``CATALOGUE``.

One entry per stable code: the HTTP status it maps to and the sentence in each
language. Placeholders use ``str.format`` names. Each domain keeps its codes in its
own module here (``circulation.py`` holds ``circ.*``), the three translations of a
code side by side so they are reviewed together; a code defined twice is an error
at import.
"""

from __future__ import annotations

from shelfwise.core.messages import (
    access,
    analytics,
    catalogue,
    circulation,
    general,
    media,
    readers,
    sip2,
    spaces,
    stories,
    web,
    wishes,
)
from shelfwise.core.messages.template import MessageTemplate

__all__ = ["CATALOGUE", "MessageTemplate"]


def _merged(*domains: dict[str, MessageTemplate]) -> dict[str, MessageTemplate]:
    merged: dict[str, MessageTemplate] = {}
    for messages in domains:
        twice = merged.keys() & messages.keys()
        if twice:
            raise ValueError(f"message codes defined twice: {sorted(twice)}")
        merged.update(messages)
    return merged


CATALOGUE: dict[str, MessageTemplate] = _merged(
    general.MESSAGES,
    catalogue.MESSAGES,
    readers.MESSAGES,
    access.MESSAGES,
    circulation.MESSAGES,
    sip2.MESSAGES,
    spaces.MESSAGES,
    web.MESSAGES,
    wishes.MESSAGES,
    media.MESSAGES,
    stories.MESSAGES,
    analytics.MESSAGES,
)
