"""A story document from and to the JSON kept in the database and posted by editors, checked
on the way in: every refusal names what is wrong (a ShelfwiseError ``stories.invalid``)."""

from __future__ import annotations

import json
from typing import Any, cast

from shelfwise.core.errors import ShelfwiseError
from shelfwise.stories.models import LANGS, SECTION_KINDS, Document, Event, Section, SectionKind

MAX_SECTIONS = 60
MAX_TEXT = 40_000


def _bad(detail: str) -> ShelfwiseError:
    return ShelfwiseError("stories.invalid", detail=detail)


def texts(value: Any, where: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise _bad(f"{where}: texts per language (zh, ko, en)")
    out = {}
    for lang, text in value.items():
        if lang not in LANGS or not isinstance(text, str):
            raise _bad(f"{where}: language {lang!r} (zh, ko or en) with a text")
        if len(text) > MAX_TEXT:
            raise _bad(f"{where}: text over {MAX_TEXT:,} characters")
        if text.strip():
            out[lang] = text.replace("\x00", "")
    return out


def _ids(value: Any, where: str) -> tuple[int, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, int) and v > 0 for v in value):
        raise _bad(f"{where}: a list of ids")
    return tuple(dict.fromkeys(value))


def section(value: Any, n: int) -> Section:
    where = f"section {n}"
    if not isinstance(value, dict) or value.get("kind") not in SECTION_KINDS:
        raise _bad(f"{where}: kind is one of {', '.join(SECTION_KINDS)}")
    kind = cast(SectionKind, value["kind"])
    events = []
    for m, raw in enumerate(value.get("events") or [], start=1):
        if not isinstance(raw, dict) or not str(raw.get("when", "")).strip():
            raise _bad(f"{where}, event {m}: a date (when) and texts")
        events.append(Event(str(raw["when"]).strip()[:32], texts(raw.get("text"), where)))
    built = Section(
        kind=kind,
        text=texts(value.get("text"), where),
        records=_ids(value.get("records"), where),
        media=_ids(value.get("media"), where),
        events=tuple(events),
        cite=str(value.get("cite") or "")[:200],
    )
    needs = {
        "text": bool(built.text),
        "quote": bool(built.text),
        "records": bool(built.records),
        "media": bool(built.media),
        "timeline": bool(built.events),
    }
    if not needs[kind]:
        raise _bad(f"{where}: a {kind} section with nothing in it")
    return built


def from_data(value: Any) -> Document:
    if not isinstance(value, dict):
        raise _bad("a document is an object with title, summary and sections")
    title = texts(value.get("title"), "title")
    if not title:
        raise _bad("a title in at least one language")
    raw = value.get("sections") or []
    if not isinstance(raw, list) or len(raw) > MAX_SECTIONS:
        raise _bad(f"sections: a list of at most {MAX_SECTIONS}")
    return Document(
        title=title,
        summary=texts(value.get("summary"), "summary"),
        sections=tuple(section(s, n) for n, s in enumerate(raw, start=1)),
    )


def dumps(document: Document) -> str:
    return json.dumps(document.as_data(), ensure_ascii=False, sort_keys=True)


def loads(text: str) -> Document:
    return from_data(json.loads(text))
