"""Stories and digital objects over the API (issue 17): readers list and read published
stories and the description of a digital object; cataloguing staff (``catalogue.write``,
any branch: stories are the network's collection) create, save, move a story through its
workflow and read its revisions. Uploads go through the staff pages and
``shelfwise ingest-media`` (a large file needs the upload limit those doors have). Rules live in ``stories``
and ``media`` (the WCAG check at publishing, access rules, bad files); these routes
translate, and every refusal has the one error shape."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field

from shelfwise.access.models import Principal
from shelfwise.api.auth import MaybeSignedIn, staff
from shelfwise.api.circulation_inputs import IdPath
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.media.models import MediaObject, Viewer
from shelfwise.stories import documents
from shelfwise.stories.models import Document, Placement, Story

router = APIRouter(tags=["stories and digital objects"], responses=ERROR_RESPONSES)
PERMISSION = "catalogue.write"
Editor = Annotated[Principal, Depends(staff(PERMISSION))]
Texts = dict[Literal["zh", "ko", "en"], str]


class EventIn(BaseModel):
    when: str = Field(max_length=32, description="as a person writes a date: 1931, 1950s")
    text: Texts = Field(default_factory=dict)


class SectionIn(BaseModel):
    kind: Literal["text", "records", "media", "timeline", "quote"]
    text: Texts = Field(default_factory=dict, description="Markdown, a quote or a caption")
    records: list[int] = Field(default_factory=list, max_length=200)
    media: list[int] = Field(default_factory=list, max_length=200)
    events: list[EventIn] = Field(default_factory=list, max_length=500)
    cite: str = Field(default="", max_length=200)


class DocumentIn(BaseModel):
    title: Texts
    summary: Texts = Field(default_factory=dict)
    sections: list[SectionIn] = Field(default_factory=list, max_length=documents.MAX_SECTIONS)


class StoryIn(BaseModel):
    slug: str = Field(max_length=80, description="the address: a-z, 0-9 and -")
    document: DocumentIn
    tags: list[str] = Field(default_factory=list, max_length=30)


class StorySave(BaseModel):
    document: DocumentIn
    tags: list[str] = Field(default_factory=list, max_length=30)
    cover_id: int | None = Field(default=None, ge=1, le=2**62)
    featured_home: bool = False
    featured_branch: str | None = Field(default=None, max_length=64)
    publish_at: datetime | None = Field(
        default=None, description="without an offset: the library's local time"
    )
    unpublish_at: datetime | None = None


class ActionIn(BaseModel):
    action: Literal["submit", "return", "publish", "unpublish"]


class StoryOut(BaseModel):
    id: int
    slug: str
    status: str
    title: dict[str, str]
    summary: dict[str, str]
    tags: list[str]
    cover_id: int | None
    publish_at: datetime | None
    unpublish_at: datetime | None
    featured_home: bool
    featured_branch: str | None
    revision: int
    updated_at: datetime
    url: str
    manifest: str


class StoryFull(StoryOut):
    sections: list[dict[str, Any]]


class RevisionOut(BaseModel):
    revision: int
    status: str
    actor: str
    at: datetime
    note: str


class MediaTextOut(BaseModel):
    caption: str
    alt: str
    transcript: str


class MediaOut(BaseModel):
    id: int
    kind: str
    content_type: str
    name: str
    bytes: int
    width: int | None
    height: int | None
    record_id: int | None
    rights: str
    access: str
    branch: str | None
    texts: dict[str, MediaTextOut]
    files: list[str]
    manifest: str | None


def _out(story: Story) -> dict[str, Any]:
    return {
        "id": story.id,
        "slug": story.slug,
        "status": story.status.value,
        "title": story.document.title,
        "summary": story.document.summary,
        "tags": list(story.tags),
        "cover_id": story.cover_id,
        "publish_at": story.publish_at,
        "unpublish_at": story.unpublish_at,
        "featured_home": story.featured_home,
        "featured_branch": story.featured_branch,
        "revision": story.revision,
        "updated_at": story.updated_at,
        "url": f"/stories/{story.slug}",
        "manifest": f"/iiif/manifest/story/{story.slug}",
    }


def _full(story: Story) -> StoryFull:
    return StoryFull(**_out(story), sections=story.document.as_data()["sections"])


def _document(body: DocumentIn) -> Document:
    return documents.from_data(body.model_dump())


def _is_editor(principal: Principal | None) -> bool:
    return principal is not None and principal.can(PERMISSION)


@router.get("/stories", response_model=list[StoryOut])
def list_stories(
    services: ServicesDep,
    tag: str | None = Query(None, max_length=64),
    q: str | None = Query(None, max_length=500),
) -> list[StoryOut]:
    """Published stories (inside their publishing window), newest first: of one theme
    (``tag``), or those matching ``q`` with the catalogue's analysis (pinyin, Korean)."""
    found = services.stories.search(q) if q and q.strip() else services.stories.published(tag)
    return [StoryOut(**_out(s)) for s in found]


@router.get("/stories/{slug}", response_model=StoryFull)
def get_story(slug: str, services: ServicesDep, principal: MaybeSignedIn) -> StoryFull:
    """A published story with its sections; cataloguing staff also read drafts."""
    return _full(services.stories.by_slug(slug, drafts=_is_editor(principal)))


@router.post("/stories", response_model=StoryFull, status_code=201)
def create_story(body: StoryIn, services: ServicesDep, who: Editor) -> StoryFull:
    """A new draft (revision 1)."""
    return _full(services.stories.create(body.slug, _document(body.document), who.name, body.tags))


@router.put("/stories/{story_id}", response_model=StoryFull)
def save_story(story_id: IdPath, body: StorySave, services: ServicesDep, who: Editor) -> StoryFull:
    """Replace the document, themes, cover and placement: a new revision."""
    placement = Placement(
        featured_home=body.featured_home,
        featured_branch=body.featured_branch,
        publish_at=body.publish_at,
        unpublish_at=body.unpublish_at,
    )
    story = services.stories.save(
        story_id,
        _document(body.document),
        who.name,
        tags=body.tags,
        cover_id=body.cover_id,
        placement=placement,
    )
    return _full(story)


@router.post("/stories/{story_id}/workflow", response_model=StoryFull)
def story_workflow(
    story_id: IdPath, body: ActionIn, services: ServicesDep, who: Editor
) -> StoryFull:
    """submit, return, publish, unpublish; publishing refuses an image without alt text or
    a sound or video without transcript or captions (``stories.inaccessible``)."""
    return _full(services.stories.act(story_id, body.action, who.name))


@router.get("/stories/{story_id}/revisions", response_model=list[RevisionOut])
def story_revisions(story_id: IdPath, services: ServicesDep, who: Editor) -> list[RevisionOut]:
    services.stories.get(story_id)  # 404 for a story that does not exist
    return [
        RevisionOut(revision=r.revision, status=r.status.value, actor=r.actor, at=r.at, note=r.note)
        for r in services.stories.revisions(story_id)
    ]


def _media(item: MediaObject) -> MediaOut:
    manifest = f"/iiif/manifest/object/{item.id}" if item.kind in ("image", "pdf") else None
    return MediaOut(
        id=item.id,
        kind=item.kind,
        content_type=item.content_type,
        name=item.name,
        bytes=item.bytes,
        width=item.width,
        height=item.height,
        record_id=item.record_id,
        rights=item.rights,
        access=item.access.value,
        branch=item.branch_code,
        texts={
            lang: MediaTextOut(caption=t.caption, alt=t.alt, transcript=t.transcript)
            for lang, t in item.texts.items()
        },
        files=sorted(r for r in item.files if r != "pyramid"),
        manifest=manifest,
    )


@router.get("/media/{object_id}", response_model=MediaOut)
def get_media(object_id: IdPath, services: ServicesDep, principal: MaybeSignedIn) -> MediaOut:
    """A digital object's description, under its access rule (on-site objects are
    described only to staff here: an API client's address says nothing about a branch)."""
    item = services.media.get(object_id)
    viewer = Viewer(
        signed_in=principal is not None, staff=principal is not None and principal.kind == "staff"
    )
    services.media.check_access(item, viewer)
    return _media(item)
