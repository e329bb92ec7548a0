"""Derivatives made at ingest, without holding a huge scan in memory.

libvips (pyvips) reads images in strips on demand: the tiled pyramid (a TIFF of 256-pixel
JPEG tiles, each level half the one above) is written while the original streams through
once, and the thumbnail and web size are shrunk from the pyramid's small levels. A 200-
megapixel TIFF ingests in a few hundred megabytes at most (docs/benchmarks.md). A PDF's
first page is drawn by poppler's pdftoppm; a PDF that carries JavaScript is refused.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pyvips
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import FileRole

log = logging.getLogger(__name__)

THUMB = 400
WEB = 1600
TILE = 256
_PDF_SCRIPT_KEYS = {"/JS", "/JavaScript"}


@dataclass(frozen=True, slots=True)
class Derived:
    role: FileRole
    path: Path
    content_type: str
    width: int
    height: int


def image_size(path: Path, max_pixels: int) -> tuple[int, int]:
    """Width and height from the header alone; a bomb is refused before a pixel is decoded."""
    try:
        header = pyvips.Image.new_from_file(str(path), access="sequential")
        width, height = int(header.width), int(header.height)
    except pyvips.Error as exc:
        raise ShelfwiseError("media.broken", detail=_first_line(exc)) from None
    if width * height > max_pixels:
        raise ShelfwiseError("media.bomb", pixels=f"{width * height:,}", limit=f"{max_pixels:,}")
    return width, height


def image_derivatives(path: Path, work: Path) -> list[Derived]:
    """The pyramid, the web size and the thumbnail of the image at ``path``."""
    pyramid = work / "pyramid.tif"
    try:
        image = pyvips.Image.new_from_file(str(path), access="sequential", fail_on="error")
        image = _displayable(image.autorot())
        image.tiffsave(
            str(pyramid),
            tile=True,
            tile_width=TILE,
            tile_height=TILE,
            pyramid=True,
            compression="jpeg",
            Q=92,
            strip=True,
        )
        made = [Derived("pyramid", pyramid, "image/tiff", int(image.width), int(image.height))]
        made.append(_shrunk(pyramid, work, "web", WEB))
        made.append(_shrunk(pyramid, work, "thumb", THUMB))
    except pyvips.Error as exc:
        raise ShelfwiseError("media.broken", detail=_first_line(exc)) from None
    return made


def _displayable(image: pyvips.Image) -> pyvips.Image:
    """sRGB, 8 bits, no alpha (flattened on white): what JPEG tiles can hold."""
    if image.interpretation not in ("srgb", "b-w"):
        image = image.colourspace("srgb")
    if image.hasalpha():
        image = image.flatten(background=[255] * (image.bands - 1))
    if image.format != "uchar":
        image = image.cast("uchar")
    if image.bands == 2:
        image = image[0]
    return image


def _shrunk(pyramid: Path, work: Path, role: FileRole, edge: int) -> Derived:
    small = pyvips.Image.thumbnail(str(pyramid), edge, height=edge, size="down")
    target = work / f"{role}.jpg"
    small.jpegsave(str(target), Q=85, strip=True, interlace=True)
    return Derived(role, target, "image/jpeg", int(small.width), int(small.height))


def check_pdf(path: Path) -> int:
    """The page count of a PDF without JavaScript; a scripted or unreadable one is refused."""
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise ShelfwiseError("media.broken", detail="encrypted PDF")
        pages = len(reader.pages)
        where = _script_in(reader)
    except (PdfReadError, ValueError, KeyError, TypeError, RecursionError) as exc:
        raise ShelfwiseError("media.broken", detail=_first_line(exc)) from None
    if where:
        raise ShelfwiseError("media.pdf_script", where=where)
    return pages


def _script_in(reader: PdfReader) -> str:
    """Where a PDF keeps JavaScript: a /JS or /JavaScript key, or an action of /S
    /JavaScript, in any object of the file (object streams included)."""
    seen: set[int] = set()
    stack: list[object] = [reader.trailer]
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            if node.idnum in seen:
                continue
            seen.add(node.idnum)
            node = node.get_object()
        if isinstance(node, DictionaryObject):
            for key, value in node.items():
                if key in _PDF_SCRIPT_KEYS:
                    return str(key)
                if key == "/S" and value == NameObject("/JavaScript"):
                    return "/S /JavaScript"
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return ""


def pdf_page(path: Path, work: Path) -> Derived | None:
    """The first page as a JPEG of at most WEB pixels (none when pdftoppm is missing)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        log.warning("pdftoppm (poppler-utils) is not installed: no first-page image")
        return None
    stem = work / "page"
    done = subprocess.run(
        [tool, "-f", "1", "-l", "1", "-singlefile", "-jpeg", "-scale-to", str(WEB), path, stem],
        capture_output=True,
        timeout=120,
        check=False,
    )
    target = stem.with_suffix(".jpg")
    if done.returncode != 0 or not target.is_file():
        raise ShelfwiseError("media.broken", detail="the first page cannot be drawn")
    image = pyvips.Image.new_from_file(str(target))
    return Derived("page", target, "image/jpeg", int(image.width), int(image.height))


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return (text[0] if text else type(exc).__name__)[:160]
