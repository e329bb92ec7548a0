"""The doors that serve a digital object's bytes: ``/media/{id}/{file}`` and the IIIF Image
API 3 under ``/iiif/image/{id}``. Each asks the media service, which applies the object's
access rule to the viewer (signed in, staff, address) before any byte leaves.

Nothing served here can run script on our origin: the content type is the one sniffed at
ingest, with ``nosniff``, a CSP that allows nothing and sandboxes the document, and a
``Content-Disposition`` (a PDF is a download). Files answer Range requests (206), so phones
can seek in audio and video. These paths are outside the pages' middleware (no gzip, no CSRF
cookie, no page CSP): they set their own headers here.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse, PlainTextResponse, Response

from shelfwise.core.errors import ShelfwiseError, negotiate_language
from shelfwise.media.models import FileRole, Viewer
from shelfwise.web.pages import Web, WebDep
from shelfwise.web.security import SESSION_COOKIE, read_cookie

router = APIRouter(include_in_schema=False)

SERVED_ROLES: tuple[FileRole, ...] = ("original", "thumb", "web", "page")
BYTES_CSP = "default-src 'none'; sandbox; frame-ancestors 'self'"
SAFE = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": BYTES_CSP,
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-site",
}
IIIF_CONTEXT = "http://iiif.io/api/image/3/context.json"


def viewer_of(web: Web, request: Request) -> Viewer:
    """Who is asking, as the access rules see it."""
    who = web.principal(read_cookie(request.scope, SESSION_COOKIE))
    address = request.client.host if request.client else None
    return Viewer(
        signed_in=who is not None, staff=who is not None and who.kind == "staff", address=address
    )


def refusal(request: Request, exc: ShelfwiseError, *, cors: bool = False) -> Response:
    """A refusal as plain text in the asker's language (never HTML on a bytes path)."""
    lang = negotiate_language(request.headers.get("accept-language"))
    headers = dict(SAFE) | {"Cache-Control": "no-store"}
    if cors:
        headers["Access-Control-Allow-Origin"] = "*"
    return PlainTextResponse(exc.message(lang), status_code=exc.status, headers=headers)


def object_number(text: str) -> int:
    if not text.isdigit() or len(text) > 18:
        raise ShelfwiseError("media.not_found")
    return int(text)


def _cache(open_to_all: bool) -> str:
    return "public, max-age=86400" if open_to_all else "private, no-store"


@router.get("/media/{object_id}/{role}")
def media_file(object_id: str, role: str, request: Request, web: WebDep) -> Response:
    """One file of an object: the original, its thumbnail, web size or a PDF's first page."""
    try:
        if role not in SERVED_ROLES:  # narrows role to a FileRole
            raise ShelfwiseError("media.not_found")
        item, file, path = web.services.media.open(
            object_number(object_id), role, viewer_of(web, request)
        )
    except ShelfwiseError as exc:
        return refusal(request, exc)
    download = role == "original" and item.kind == "pdf"
    name = item.name if role == "original" else f"{role}-{item.name}.jpg"
    disposition = "attachment" if download else "inline"
    headers = dict(SAFE) | {
        "Content-Disposition": f"{disposition}; filename*=UTF-8''{quote(name, safe='')}",
        "Cache-Control": _cache(item.access == "open"),
        "Vary": "Cookie",
        "ETag": f'"{file.sha256}"',
    }
    return FileResponse(path, media_type=file.content_type, headers=headers)


@router.get("/iiif/image/{object_id}")
def image_base(object_id: str) -> Response:
    """The base URI of an image service redirects to its description (the API says 303)."""
    return Response(status_code=303, headers={"Location": f"/iiif/image/{object_id}/info.json"})


@router.get("/iiif/image/{object_id}/info.json")
def image_info(object_id: str, request: Request, web: WebDep) -> Response:
    try:
        item, levels = web.services.media.image_levels(
            object_number(object_id), viewer_of(web, request)
        )
    except ShelfwiseError as exc:
        return refusal(request, exc, cors=True)
    base = str(request.url).removesuffix("/info.json")
    width, height = levels[0]
    info = {
        "@context": IIIF_CONTEXT,
        "id": base,
        "type": "ImageService3",
        "protocol": "http://iiif.io/api/image",
        "profile": "level1",
        "width": width,
        "height": height,
        "sizes": [{"width": w, "height": h} for w, h in reversed(levels[1:])],
        "tiles": [
            {"width": 256, "height": 256, "scaleFactors": [2**n for n in range(len(levels))]}
        ],
        "extraFormats": ["png", "webp"],
        "extraQualities": ["color", "gray", "bitonal"],
        "extraFeatures": [
            "mirroring",
            "regionByPct",
            "rotationBy90s",
            "sizeByConfinedWh",
            "sizeByPct",
            "sizeUpscaling",
        ],
        "rights": item.rights,
    }
    wants_ld = "application/ld+json" in request.headers.get("accept", "")
    media_type = "application/ld+json" if wants_ld else "application/json"
    headers = {
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": _cache(item.access == "open"),
        "Vary": "Cookie, Accept",
        "X-Content-Type-Options": "nosniff",
    }
    content_type = f'{media_type};profile="{IIIF_CONTEXT}"' if wants_ld else media_type
    return JSONResponse(info, headers=headers, media_type=content_type)


@router.get("/iiif/image/{object_id}/{region}/{size}/{rotation}/{quality}")
def image(
    object_id: str,
    region: str,
    size: str,
    rotation: str,
    quality: str,
    request: Request,
    web: WebDep,
) -> Response:
    """A region of an image at a size (IIIF Image API 3, level 1 and a few level-2 features)."""
    try:
        access, path, media_type = web.services.media.image(
            object_number(object_id), region, size, rotation, quality, viewer_of(web, request)
        )
    except ShelfwiseError as exc:
        return refusal(request, exc, cors=True)
    headers = dict(SAFE) | {
        "Access-Control-Allow-Origin": "*",
        "Cache-Control": _cache(access == "open"),
        "Vary": "Cookie",
        "Link": f'<{IIIF_CONTEXT.removesuffix("/context.json")}/level1.json>;rel="profile"',
    }
    return FileResponse(path, media_type=media_type, headers=headers)
