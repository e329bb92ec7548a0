"""A story as the code sees it: texts per language, sections, themes, workflow state.

The document (texts and sections) is plain data, saved whole as JSON at every change and
kept as a revision. Texts fall back: a language a story lacks is shown in the first of
zh, ko, en that it has, and the page says which language it shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Literal

LANGS: tuple[str, ...] = ("zh", "ko", "en")
SectionKind = Literal["text", "records", "media", "timeline", "quote"]
SECTION_KINDS: tuple[SectionKind, ...] = ("text", "records", "media", "timeline", "quote")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class Status(StrEnum):
    DRAFT = "draft"
    REVIEW = "review"
    PUBLISHED = "published"


def pick(texts: dict[str, str], lang: str) -> tuple[str, str]:
    """(text, language shown): ``lang`` when present, else the first of zh, ko, en."""
    if texts.get(lang, "").strip():
        return texts[lang], lang
    for other in LANGS:
        if texts.get(other, "").strip():
            return texts[other], other
    return "", lang


@dataclass(frozen=True, slots=True)
class Event:
    when: str  # as a person writes a date: 1931, 1931-09-18, 1950s
    text: dict[str, str]


@dataclass(frozen=True, slots=True)
class Section:
    kind: SectionKind
    text: dict[str, str] = field(default_factory=dict)  # Markdown, a quote, or a caption
    records: tuple[int, ...] = ()
    media: tuple[int, ...] = ()
    events: tuple[Event, ...] = ()
    cite: str = ""

    def as_data(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "text": self.text,
            "records": list(self.records),
            "media": list(self.media),
            "events": [{"when": e.when, "text": e.text} for e in self.events],
            "cite": self.cite,
        }


@dataclass(frozen=True, slots=True)
class Document:
    title: dict[str, str]
    summary: dict[str, str] = field(default_factory=dict)
    sections: tuple[Section, ...] = ()

    def as_data(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "sections": [s.as_data() for s in self.sections],
        }

    def record_ids(self) -> list[int]:
        return list(dict.fromkeys(r for s in self.sections for r in s.records))

    def media_ids(self) -> list[int]:
        return list(dict.fromkeys(m for s in self.sections for m in s.media))

    def words(self, lang: str) -> int:
        """Reading length: CJK characters count as words, other text by spaces."""
        parts = [pick(self.title, lang)[0], pick(self.summary, lang)[0]]
        for section in self.sections:
            parts.append(pick(section.text, lang)[0])
            parts.extend(pick(e.text, lang)[0] for e in section.events)
        text = " ".join(parts)
        cjk = len(re.findall(r"[\u3400-\u9fff\uac00-\ud7af]", text))
        latin = len(re.findall(r"[A-Za-z0-9]+", text))
        return cjk + latin


@dataclass(frozen=True, slots=True)
class Story:
    id: int
    slug: str
    status: Status
    document: Document
    tags: tuple[str, ...]
    cover_id: int | None
    publish_at: datetime | None
    unpublish_at: datetime | None
    featured_home: bool
    featured_branch: str | None
    revision: int
    created_at: datetime
    updated_at: datetime
    updated_by: str

    def visible(self, now: datetime) -> bool:
        """Published, and inside its publishing window (scheduled publish and unpublish)."""
        if self.status != Status.PUBLISHED:
            return False
        if self.publish_at is not None and now < self.publish_at:
            return False
        return self.unpublish_at is None or now < self.unpublish_at

    def reading_minutes(self, lang: str) -> int:
        """Minutes at ~300 CJK characters or ~200 English words a minute (at least one)."""
        return max(1, round(self.document.words(lang) / 250))


@dataclass(frozen=True, slots=True)
class Revision:
    revision: int
    status: Status
    actor: str
    at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a story is featured and when it goes up and down."""

    featured_home: bool = False
    featured_branch: str | None = None
    publish_at: datetime | None = None
    unpublish_at: datetime | None = None
