"""Digital objects as the rest of the code sees them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal

MediaKind = Literal["image", "pdf", "audio", "video"]
FileRole = Literal["original", "thumb", "web", "pyramid", "page"]
TextLang = Literal["zh", "ko", "en"]
TEXT_LANGS: tuple[TextLang, ...] = ("zh", "ko", "en")


class Access(StrEnum):
    """Who may receive an object's bytes (its thumbnails and tiles included)."""

    OPEN = "open"
    SIGNED_IN = "signed_in"  # any signed-in reader or staff member
    ON_SITE = "on_site"  # from the configured networks of one branch (or staff)
    STAFF = "staff"


@dataclass(frozen=True, slots=True)
class MediaText:
    lang: TextLang
    caption: str = ""
    alt: str = ""
    transcript: str = ""  # audio: a transcript; video: captions as WebVTT


@dataclass(frozen=True, slots=True)
class MediaFile:
    role: FileRole
    sha256: str
    content_type: str
    bytes: int
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class MediaObject:
    id: int
    sha256: str
    kind: MediaKind
    content_type: str
    name: str
    bytes: int
    width: int | None
    height: int | None
    record_id: int | None
    rights: str
    access: Access
    branch_code: str | None  # the on-site branch
    created_by: str
    created_at: datetime
    updated_at: datetime | None = None  # texts, access or record last changed (OAI-PMH)
    texts: dict[str, MediaText] = field(default_factory=dict)
    files: dict[str, MediaFile] = field(default_factory=dict)

    def text(self, lang: str) -> MediaText:
        """The texts in ``lang``, else the first language that has an alt text or caption."""
        found = self.texts.get(lang)
        if found is not None and (found.alt or found.caption or found.transcript):
            return found
        for other in TEXT_LANGS:
            candidate = self.texts.get(other)
            if candidate is not None and (candidate.alt or candidate.caption):
                return candidate
        return MediaText(lang="en")

    def missing_accessibility(self) -> list[str]:
        """What WCAG 2.1 AA asks that this object lacks: an image's alt text, a sound's
        transcript, a video's captions (in at least one language)."""
        texts = list(self.texts.values())
        if self.kind == "image" and not any(t.alt.strip() for t in texts):
            return ["alt"]
        if self.kind in ("audio", "video") and not any(t.transcript.strip() for t in texts):
            return ["transcript" if self.kind == "audio" else "captions"]
        return []


@dataclass(frozen=True, slots=True)
class Viewer:
    """Who asks for bytes: signed in or not, staff or not, and from which address."""

    signed_in: bool = False
    staff: bool = False
    address: str | None = None


ANONYMOUS = Viewer()


@dataclass(frozen=True, slots=True)
class Ingested:
    object: MediaObject
    created: bool  # False: the same bytes were stored before, this is that object


@dataclass(frozen=True, slots=True)
class FixityReport:
    checked: int
    bad: list[str]  # sha256 of files missing or whose bytes no longer hash to their name
