"""How an incoming MARC record finds the catalogue record it belongs to.

In order: the same source record (control number with its agency) → update or
skip; else a record sharing an ISBN → merge as a duplicate; else a record with
the same normalised title + first author + year → merge. Only when all three
miss is a new record created. The order is strict-to-loose on purpose: a
control number is an identity, an ISBN is nearly one, a title key is a guess.
"""

from __future__ import annotations

import hashlib
import unicodedata

from shelfwise.marc.description import Description


def _squash(text: str) -> str:
    # Letters and digits only (CJK ideographs and Hangul count as letters), so
    # that ISBD punctuation and spacing differences between agencies vanish.
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if ch.isalnum())


def source_key(agency: str | None, control_number: str | None, content_hash: str) -> str:
    """The identity of a source record: its control number and agency, else its content."""
    if control_number and control_number.strip():
        return f"cn:{(agency or '').strip().casefold()}:{control_number.strip()}"[:200]
    return f"sha256:{content_hash}"


def title_key(description: Description) -> str | None:
    """A short key for title + first author + year, or ``None`` when the title is too thin to trust."""
    title = _squash(description.title)
    if len(title) < 2:
        return None
    author = next((_squash(a.name) for a in description.agents), "")
    year = str(description.year or "")
    digest = hashlib.sha1(f"{title}|{author}|{year}".encode(), usedforsecurity=False)
    return digest.hexdigest()[:32]


def content_hash(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()
