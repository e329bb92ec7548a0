"""The staff's story editor (``catalogue.write``, the network's collection: any branch's
cataloguers): the list of stories and digital objects, a new story, the editor (texts per
language, sections in order with their records, objects and dates, themes, cover, placement,
a record finder), workflow steps, revisions, and uploads with alt text and caption.
The story page itself is the preview: staff see drafts there, marked as drafts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import HTMLResponse, Response
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData, UploadFile

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import Access, MediaText
from shelfwise.media.store import read_chunks
from shelfwise.search.models import SearchRequest
from shelfwise.stories import documents
from shelfwise.stories.models import LANGS, Placement
from shelfwise.web.pages import PageDep, WebDep, WebRoute, form_text

router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)
MEDIA_UPLOAD_PATH = "/staff/media"
PERMISSION = "catalogue.write"


@router.get("/staff/stories")
def stories_home(page: PageDep, web: WebDep, done: str = "") -> Response:
    page.staff(PERMISSION)
    return web.render(
        page,
        "staff/stories.html",
        stories=web.services.stories.all(),
        objects=web.services.media.recent(60),
        done=done,
        access=[a.value for a in Access],
    )


@router.post("/staff/stories")
async def create_story(page: PageDep, web: WebDep) -> Response:
    who = page.staff(PERMISSION)
    form = await page.request.form()
    title = {lang: form_text(form, f"title_{lang}") for lang in LANGS}
    document = documents.from_data({"title": title, "sections": []})
    story = web.services.stories.create(form_text(form, "slug"), document, who.name)
    return web.redirect(f"/staff/stories/{story.id}")


@router.get("/staff/stories/{story_id}")
def edit_story(story_id: int, page: PageDep, web: WebDep, find: str = "") -> Response:
    page.staff(PERMISSION)
    services = web.services
    story = services.stories.get(story_id)
    found = []
    if find.strip():
        result = services.search.search(SearchRequest(q=find, size=10, facets=False))
        found = [(w.records[0].record_id, w.records[0].title) for w in result.works]
    return web.render(
        page,
        "staff/story_edit.html",
        story=story,
        sections=[s.as_data() for s in story.document.sections],
        revisions=services.stories.revisions(story_id),
        objects=services.media.recent(60),
        branches=[b.code for b in services.catalogue.list_branches()],
        find=find,
        found=found,
        langs=LANGS,
        publish_at=services.stories.local_input(story.publish_at),
        unpublish_at=services.stories.local_input(story.unpublish_at),
    )


@router.post("/staff/stories/{story_id}")
async def save_story(story_id: int, page: PageDep, web: WebDep) -> Response:
    who = page.staff(PERMISSION)
    form = await page.request.form()
    document = documents.from_data(
        {
            "title": {lang: form_text(form, f"title_{lang}") for lang in LANGS},
            "summary": {lang: form_text(form, f"summary_{lang}") for lang in LANGS},
            "sections": _sections(form),
        }
    )
    cover = form_text(form, "cover")
    web.services.stories.save(
        story_id,
        document,
        who.name,
        tags=form_text(form, "tags").replace("，", ",").split(","),
        cover_id=int(cover) if cover.isdigit() else None,
        placement=Placement(
            featured_home=form_text(form, "featured_home") == "1",
            featured_branch=form_text(form, "featured_branch") or None,
            publish_at=_when(form_text(form, "publish_at")),
            unpublish_at=_when(form_text(form, "unpublish_at")),
        ),
    )
    return web.redirect(f"/staff/stories/{story_id}?saved=1")


@router.post("/staff/stories/{story_id}/{action}")
def story_action(story_id: int, action: str, page: PageDep, web: WebDep) -> Response:
    """submit, return, publish, unpublish (publishing checks alt text and transcripts)."""
    who = page.staff(PERMISSION)
    web.services.stories.act(story_id, action, who.name)
    return web.redirect(f"/staff/stories/{story_id}?done={action}")


@router.post(MEDIA_UPLOAD_PATH)
async def upload_media(page: PageDep, web: WebDep) -> Response:
    """One file as a digital object, with its rights, access rule and texts per language."""
    who = page.staff(PERMISSION)
    form = await page.request.form()
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        raise ShelfwiseError("media.no_file")
    access = Access(form_text(form, "access") or "open")
    texts = [
        MediaText(
            lang,  # type: ignore[arg-type]
            caption=form_text(form, f"caption_{lang}"),
            alt=form_text(form, f"alt_{lang}"),
            transcript=form_text(form, f"transcript_{lang}"),
        )
        for lang in LANGS
    ]
    record = form_text(form, "record")
    done = await run_in_threadpool(
        web.services.media.ingest,
        read_chunks(upload.file),
        upload.filename,
        rights=form_text(form, "rights"),
        actor=who.name,
        access=access,
        branch=form_text(form, "branch") or None,
        record_id=int(record) if record.isdigit() else None,
        texts=texts,
    )
    return web.redirect(f"/staff/stories?done=media-{done.object.id}#media-h")


def _sections(form: FormData) -> list[dict[str, Any]]:
    """The editor's section rows, in the order of their position numbers; a row marked for
    removal, or a new row left empty, is left out."""
    count = int(form_text(form, "count") or "0")
    rows = []
    for n in range(min(count + 1, documents.MAX_SECTIONS + 1)):
        kind = form_text(form, f"s{n}_kind")
        if not kind or form_text(form, f"s{n}_delete") == "1":
            continue
        text = {lang: form_text(form, f"s{n}_text_{lang}") for lang in LANGS}
        records = _numbers(form_text(form, f"s{n}_records"))
        media = _numbers(form_text(form, f"s{n}_media"))
        events = [_event(line) for line in form_text(form, f"s{n}_events").splitlines()]
        if n == count and not (any(text.values()) or records or media or any(events)):
            continue  # the empty new row
        position = form_text(form, f"s{n}_pos")
        rows.append(
            (
                float(position) if position.replace(".", "", 1).isdigit() else n,
                {
                    "kind": kind,
                    "text": text,
                    "records": records,
                    "media": media,
                    "events": [e for e in events if e],
                    "cite": form_text(form, f"s{n}_cite"),
                },
            )
        )
    return [row for _, row in sorted(rows, key=lambda r: r[0])]


def _numbers(text: str) -> list[int]:
    return [int(p) for p in text.replace("，", ",").replace(" ", ",").split(",") if p.isdigit()]


def _event(line: str) -> dict[str, Any] | None:
    """``1931-09-18 | 中文 | 한국어 | English`` → an event."""
    parts = [p.strip() for p in line.split("|")]
    if not parts[0]:
        return None
    return {"when": parts[0], "text": dict(zip(LANGS, parts[1:], strict=False))}


def _when(text: str) -> datetime | None:
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise ShelfwiseError("stories.bad_time", text=text[:40]) from None
    return value  # without a zone: the library's local time (StoryService._moment)
