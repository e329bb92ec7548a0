"""The stories pages: ``/stories`` (themes, search, featured) and ``/stories/{slug}``, a
story read like a magazine article, phone first: cover, title, summary, reading time, then
its sections (sanitised Markdown, live catalogue records with where a copy is on the shelf
and a hold link, zoomable images, audio with its transcript, video with captions, a
timeline, quotes), Open Graph tags and the previous and next stories."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import ANONYMOUS, MediaObject
from shelfwise.stories.models import Section, Story, pick
from shelfwise.stories.rendering import markdown_html
from shelfwise.web import i18n, record_view
from shelfwise.web.media_bytes import viewer_of
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def story_lang(page: Page) -> str:
    """The story language for a page language (both Chinese scripts read the zh text)."""
    return "zh" if page.lang.startswith("zh") else page.lang


def card(web: Web, page: Page, story: Story) -> dict[str, Any]:
    lang = story_lang(page)
    title, title_lang = pick(story.document.title, lang)
    summary, summary_lang = pick(story.document.summary, lang)
    return {
        "story": story,
        "title": title,
        "title_lang": title_lang,
        "summary": summary,
        "summary_lang": summary_lang,
        "minutes": story.reading_minutes(lang),
        "cover": f"/media/{story.cover_id}/thumb" if story.cover_id else None,
        "cover_large": f"/media/{story.cover_id}/web" if story.cover_id else None,
    }


def collection_hits(web: Web, page: Page, q: str) -> dict[str, Any] | None:
    """Stories and digital objects matching a reader's catalogue search (the results page
    shows them above the records): objects only where the viewer may see them."""
    if not q.strip():
        return None
    services = web.services
    viewer = viewer_of(web, page.request)
    objects = []
    for item in services.media.search(q, limit=12):
        try:
            services.media.check_access(item, viewer)
        except ShelfwiseError:
            continue
        objects.append(_found_object(page, item))
    stories = [card(web, page, s) for s in services.stories.search(q)[:4]]
    if not (objects or stories):
        return None
    return {"stories": stories, "objects": objects[:6]}


def _found_object(page: Page, item: MediaObject) -> dict[str, Any]:
    text = item.text(story_lang(page))
    href = f"/record/{item.record_id}" if item.record_id else f"/media/{item.id}/original"
    if item.kind == "image" and not item.record_id:
        href = f"/media/{item.id}/web"
    thumb = "thumb" if "thumb" in item.files else ("page" if "page" in item.files else None)
    return {
        "item": item,
        "title": text.caption or item.name,
        "lang": text.lang if text.caption else None,
        "alt": text.alt,
        "href": href,
        "thumb": f"/media/{item.id}/{thumb}" if thumb else None,
    }


@router.get("/stories")
def story_list(page: PageDep, web: WebDep, tag: str = "", q: str = "") -> Response:
    stories = web.services.stories
    found = stories.search(q) if q.strip() else stories.published(tag or None)
    return web.render(
        page,
        "stories/list.html",
        cards=[card(web, page, s) for s in found],
        themes=stories.themes(),
        featured=[card(web, page, s) for s in stories.featured()][:3] if not (q or tag) else [],
        tag=tag,
        q=q,
    )


@router.get("/stories/{slug}")
def story_page(slug: str, page: PageDep, web: WebDep) -> Response:
    services = web.services
    staff = page.principal is not None and page.principal.kind == "staff"
    story, older, newer = services.stories.with_neighbours(slug, drafts=staff)
    if not staff:
        services.stories.views.viewed(story)  # a count in memory, nobody named (issue 21)
    viewer = viewer_of(web, page.request)
    cover = [story.cover_id] if story.cover_id else []
    objects = {m.id: m for m in services.media.many(story.document.media_ids() + cover)}
    visible = {}
    for object_id, item in objects.items():
        try:
            services.media.check_access(item, viewer)
            visible[object_id] = item
        except ShelfwiseError:
            continue  # shown as a note saying why, never its bytes
    shelf = _shelf(web, page, story.document.record_ids())
    lang = story_lang(page)
    base = str(page.request.base_url).rstrip("/")
    return web.render(
        page,
        "stories/story.html",
        s=card(web, page, story),
        sections=[_section(page, sec, objects, visible, shelf) for sec in story.document.sections],
        older=card(web, page, older) if older else None,
        newer=card(web, page, newer) if newer else None,
        og_image=f"{base}/media/{story.cover_id}/web"
        if _open_cover(services, story, objects)
        else "",
        og_url=f"{base}/stories/{story.slug}",
        lang_of=lambda texts: pick(texts, lang),
        draft=not story.visible(services.clock.now()),
    )


def _open_cover(services: Any, story: Story, objects: dict[int, MediaObject]) -> bool:
    """The cover goes on the share card only when anyone may see it (a card is public)."""
    if story.cover_id is None or story.cover_id not in objects:
        return False
    try:
        services.media.check_access(objects[story.cover_id], ANONYMOUS)
    except ShelfwiseError:
        return False
    return True


def _section(
    page: Page,
    section: Section,
    objects: dict[int, MediaObject],
    visible: dict[int, MediaObject],
    shelf: dict[int, dict[str, Any]],
) -> dict[str, Any]:
    lang = story_lang(page)
    text, text_lang = pick(section.text, lang)
    out: dict[str, Any] = {"kind": section.kind, "text": text, "text_lang": text_lang}
    if section.kind == "text":
        out["html"] = markdown_html(text)
    out["cite"] = section.cite
    out["events"] = [(e.when, *pick(e.text, lang)) for e in section.events]
    out["records"] = [shelf[r] for r in section.records if r in shelf]
    out["media"] = [_medium(page, objects[m], m in visible) for m in section.media if m in objects]
    return out


def _shelf(web: Web, page: Page, record_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Every live record of the story, read at once: their summaries in one read of the
    catalogue, where a copy is on the shelf in one read of circulation, the branch names in
    one more, whatever the number of records and sections. The reader's own library (home
    branch, or the one chosen on the page) comes first, and alone when a copy is there."""
    if not record_ids:
        return {}
    services = web.services
    summaries = services.catalogue.summaries(record_ids)
    shelves = services.circulation.on_shelf(summaries)
    branches = services.catalogue.list_branches()
    names = {b.code: i18n.branch_name(b, page.lang) for b in branches}
    mine = record_view.my_branch(web, page, branches) if shelves else None
    out = {}
    for record_id, record in summaries.items():
        codes = shelves.get(record_id, frozenset())
        here = mine is not None and mine.code in codes
        where = [names[mine.code]] if here and mine else sorted(names.get(c, c) for c in codes)
        out[record_id] = {
            "id": record_id,
            "title": record.title,
            "record": record,
            "on_shelf": where,
            "here": here,
        }
    return out


def _medium(page: Page, item: MediaObject, allowed: bool) -> dict[str, Any]:
    lang = story_lang(page)
    text = item.text(lang)
    # A transcript in another language beats none (WCAG asks for one; it is kept in one).
    spoken = (
        text if text.transcript else next((t for t in item.texts.values() if t.transcript), text)
    )
    return {
        "item": item,
        "allowed": allowed,
        "alt": text.alt,
        "caption": text.caption,
        "transcript": spoken.transcript,
        "transcript_lang": spoken.lang,
        "text_lang": text.lang,
    }
