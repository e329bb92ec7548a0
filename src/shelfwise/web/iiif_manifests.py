"""IIIF Presentation 3 manifests of digital objects, built with ``iiif-prezi3`` (the IIIF
community's library): one canvas per object, an image with its Image API 3 service, a PDF
as its first page with the file as a rendering, a sound or a video with its duration unknown
to us left out (the player reads it from the file). A story's manifest holds its objects in
order, each under its access rule."""

from __future__ import annotations

from collections.abc import Iterable

from fastapi import APIRouter, Request
from fastapi.responses import Response
from iiif_prezi3 import Annotation, AnnotationBody, AnnotationPage, Manifest, ServiceV3

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import MediaObject
from shelfwise.web.media_bytes import object_number, refusal, viewer_of
from shelfwise.web.pages import WebDep

router = APIRouter(include_in_schema=False)
PRESENTATION = "http://iiif.io/api/presentation/3/context.json"


def base_url(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def label(texts: dict[str, str]) -> dict[str, list[str]]:
    """A IIIF language map from language → text (empty texts left out)."""
    out = {lang: [text] for lang, text in texts.items() if text}
    return out or {"none": ["-"]}


def manifest_json(
    manifest_id: str, title: dict[str, str], objects: Iterable[MediaObject], base: str
) -> str:
    """A manifest of ``objects`` in order, each a canvas."""
    manifest = Manifest(id=manifest_id, label=label(title))
    for n, item in enumerate(objects, start=1):
        add_canvas(manifest, f"{manifest_id}/canvas/{n}", item, base)
    return str(manifest.json())


def add_canvas(manifest: Manifest, canvas_id: str, item: MediaObject, base: str) -> None:
    texts = {lang: t.caption or t.alt for lang, t in item.texts.items()}
    if item.kind == "image":
        width, height = item.width or 1, item.height or 1
        canvas = manifest.make_canvas(id=canvas_id, width=width, height=height, label=label(texts))
        page = canvas.add_image(
            image_url=f"{base}/iiif/image/{item.id}/full/max/0/default.jpg",
            anno_page_id=f"{canvas_id}/page",
            anno_id=f"{canvas_id}/image",
            format="image/jpeg",
            width=width,
            height=height,
        )
        service = ServiceV3(
            id=f"{base}/iiif/image/{item.id}", type="ImageService3", profile="level1"
        )
        page.items[0].body.service = [service]
        return
    if item.kind == "pdf" and "page" in item.files:
        page_file = item.files["page"]
        width, height = page_file.width or 1, page_file.height or 1
        canvas = manifest.make_canvas(id=canvas_id, width=width, height=height, label=label(texts))
        canvas.add_image(
            image_url=f"{base}/media/{item.id}/page",
            anno_page_id=f"{canvas_id}/page",
            anno_id=f"{canvas_id}/image",
            format="image/jpeg",
            width=width,
            height=height,
        )
        return
    kind = {"audio": "Sound", "video": "Video", "pdf": "Text"}[item.kind]
    canvas = manifest.make_canvas(id=canvas_id, label=label(texts), duration=1.0)
    body = AnnotationBody(
        id=f"{base}/media/{item.id}/original", type=kind, format=item.content_type
    )
    annotation = Annotation(
        id=f"{canvas_id}/media", motivation="painting", target=canvas_id, body=body
    )
    canvas.add_item(AnnotationPage(id=f"{canvas_id}/page", items=[annotation]))


@router.get("/iiif/manifest/object/{object_id}")
def object_manifest(object_id: str, request: Request, web: WebDep) -> Response:
    """The manifest of one digital object (its access rule applies to the manifest too)."""
    try:
        item = web.services.media.get(object_number(object_id))
        web.services.media.check_access(item, viewer_of(web, request))
    except ShelfwiseError as exc:
        return refusal(request, exc, cors=True)
    base = base_url(request)
    title = {lang: t.caption or item.name for lang, t in item.texts.items()} or {"none": item.name}
    body = manifest_json(f"{base}/iiif/manifest/object/{item.id}", title, [item], base)
    return manifest_response(body)


@router.get("/iiif/manifest/story/{slug}")
def story_manifest(slug: str, request: Request, web: WebDep) -> Response:
    """A story's manifest: a canvas for each of its digital objects (cover first) that the
    asker may see, in the story's order; drafts only for staff, as on the page."""
    services = web.services
    viewer = viewer_of(web, request)
    try:
        story = services.stories.by_slug(slug[:80], drafts=viewer.staff)
    except ShelfwiseError as exc:
        return refusal(request, exc, cors=True)
    wanted = ([story.cover_id] if story.cover_id else []) + story.document.media_ids()
    shown = []
    for item in services.media.many(wanted):
        try:
            services.media.check_access(item, viewer)
        except ShelfwiseError:
            continue  # left out, never described to who may not see it
        shown.append(item)
    base = base_url(request)
    body = manifest_json(
        f"{base}/iiif/manifest/story/{story.slug}", story.document.title, shown, base
    )
    return manifest_response(body)


def manifest_response(body: str) -> Response:
    return Response(
        body,
        media_type=f'application/ld+json;profile="{PRESENTATION}"',
        headers={
            "Access-Control-Allow-Origin": "*",
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-cache",
        },
    )
