"""IIIF images drawn from an object's tiled pyramid, kept in a disk cache.

A request reads only the pyramid level nearest above the size asked for and only the
tiles under its region, so a deep-zoom tile of a 200-megapixel scan costs the same as one
of a postcard. Each rendering is written once to ``<data>/media/cache`` under its canonical
request; later requests are served from there (docs/benchmarks.md: the tile rate).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

import pyvips

from shelfwise.media.iiif_params import FORMATS, ImageRequest


class Renderer:
    def __init__(self, cache: Path) -> None:
        self.cache = cache

    def render(self, pyramid: Path, pyramid_sha: str, request: ImageRequest) -> Path:
        """The image ``request`` asks of ``pyramid``, from the cache or drawn into it."""
        name = hashlib.sha256(request.key.encode()).hexdigest()[:32]
        target = self.cache / pyramid_sha[:2] / pyramid_sha / f"{name}.{request.format}"
        if target.is_file():
            return target
        data = _draw(pyramid, request)
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(dir=target.parent, prefix=".t-")
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temp, target)
        return target

    def levels(self, pyramid: Path) -> list[tuple[int, int]]:
        """(width, height) of each pyramid level, largest first."""
        first = pyvips.Image.new_from_file(str(pyramid))
        pages = int(first.get("n-pages")) if first.get_typeof("n-pages") else 1
        out = []
        for page in range(pages):
            level = pyvips.Image.new_from_file(str(pyramid), page=page)
            out.append((int(level.width), int(level.height)))
        return out


def _draw(pyramid: Path, request: ImageRequest) -> bytes:
    first = pyvips.Image.new_from_file(str(pyramid))
    pages = int(first.get("n-pages")) if first.get_typeof("n-pages") else 1
    shrink = min(request.w / request.width, request.h / request.height)
    page = 0
    while page + 1 < pages and 2 ** (page + 1) <= shrink:
        page += 1
    level = first if page == 0 else pyvips.Image.new_from_file(str(pyramid), page=page)
    fx, fy = level.width / first.width, level.height / first.height
    left, top = int(request.x * fx), int(request.y * fy)
    width = max(1, min(round(request.w * fx), level.width - left))
    height = max(1, min(round(request.h * fy), level.height - top))
    image = level.crop(left, top, width, height)
    if (width, height) != (request.width, request.height):
        image = image.resize(
            request.width / width, vscale=request.height / height, kernel="lanczos3"
        )
        if (image.width, image.height) != (request.width, request.height):
            image = image.gravity("centre", request.width, request.height, extend="copy")
    if request.mirror:
        image = image.fliphor()
    if request.rotation:
        image = image.rotate(request.rotation)
    if request.quality == "gray":
        image = image.colourspace("b-w")
    elif request.quality == "bitonal":
        image = (image.colourspace("b-w") > 128).ifthenelse(255, 0).cast("uchar")
    suffix = {"jpg": ".jpg[Q=90,strip]", "png": ".png[strip]", "webp": ".webp[Q=85,strip]"}
    data: bytes = image.write_to_buffer(suffix[request.format])
    return data


def content_type(fmt: str) -> str:
    return FORMATS[fmt]
