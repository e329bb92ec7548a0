"""The IIIF Image API 3 request syntax, parsed against an image's size (pure functions).

``{region}/{size}/{rotation}/{quality}.{format}``: regions full, square, x,y,w,h and
pct:x,y,w,h; sizes max, w,, ,h, w,h, !w,h, pct:n, each with ^ to allow upscaling (without
it, a size larger than the region is refused, as the API asks); rotation 0/90/180/270 with
! for mirroring; qualities default, color, gray, bitonal; formats jpg, png, webp. Anything
else is a ShelfwiseError ``iiif.bad_request`` (HTTP 400).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from shelfwise.core.errors import ShelfwiseError

FORMATS = {"jpg": "image/jpeg", "png": "image/png", "webp": "image/webp"}
QUALITIES = ("default", "color", "gray", "bitonal")
_INT = r"\d+"
_NUM = r"\d+(?:\.\d+)?"
_XYWH = re.compile(rf"^({_INT}),({_INT}),({_INT}),({_INT})$")
_PCT_XYWH = re.compile(rf"^pct:({_NUM}),({_NUM}),({_NUM}),({_NUM})$")
_WH = re.compile(rf"^(!)?({_INT})?,({_INT})?$")
_PCT = re.compile(rf"^pct:({_NUM})$")


@dataclass(frozen=True, slots=True)
class ImageRequest:
    x: int
    y: int
    w: int
    h: int
    width: int  # the output size, before rotation
    height: int
    rotation: int  # 0, 90, 180 or 270
    mirror: bool
    quality: str
    format: str

    @property
    def key(self) -> str:
        """A canonical form, for the tile cache."""
        return (
            f"{self.x},{self.y},{self.w},{self.h}/{self.width},{self.height}/"
            f"{'!' if self.mirror else ''}{self.rotation}/{self.quality}.{self.format}"
        )


def _bad(detail: str) -> ShelfwiseError:
    return ShelfwiseError("iiif.bad_request", detail=detail)


def parse(
    region: str, size: str, rotation: str, quality_format: str, width: int, height: int
) -> ImageRequest:
    x, y, w, h = _region(region, width, height)
    out_w, out_h = _size(size, w, h)
    mirror = rotation.startswith("!")
    degrees = rotation[1:] if mirror else rotation
    if degrees not in ("0", "90", "180", "270"):
        raise _bad(f"rotation {rotation!r}: 0, 90, 180 or 270, optionally after !")
    quality, dot, fmt = quality_format.rpartition(".")
    if not dot or fmt not in FORMATS:
        raise _bad(f"format {fmt!r}: jpg, png or webp")
    if quality not in QUALITIES:
        raise _bad(f"quality {quality!r}: default, color, gray or bitonal")
    return ImageRequest(x, y, w, h, out_w, out_h, int(degrees), mirror, quality, fmt)


def _region(region: str, width: int, height: int) -> tuple[int, int, int, int]:
    if region == "full":
        return 0, 0, width, height
    if region == "square":
        side = min(width, height)
        return (width - side) // 2, (height - side) // 2, side, side
    found = _XYWH.match(region)
    if found:
        x, y, w, h = (int(v) for v in found.groups())
    else:
        pct = _PCT_XYWH.match(region)
        if not pct:
            raise _bad(f"region {region!r}")
        px, py, pw, ph = (float(v) for v in pct.groups())
        x, y = round(px * width / 100), round(py * height / 100)
        w, h = round(pw * width / 100), round(ph * height / 100)
    if w <= 0 or h <= 0 or x >= width or y >= height:
        raise _bad(f"region {region!r} is empty or outside the image")
    return x, y, min(w, width - x), min(h, height - y)


def _size(size: str, w: int, h: int) -> tuple[int, int]:
    upscale = size.startswith("^")
    spec = size[1:] if upscale else size
    if spec == "max":
        out = (w, h)
    elif pct := _PCT.match(spec):
        scale = float(pct.group(1)) / 100
        out = (round(w * scale), round(h * scale))
    elif found := _WH.match(spec):
        out = _by_wh(found.group(1) is not None, found.group(2), found.group(3), w, h, size)
    else:
        raise _bad(f"size {size!r}")
    if out[0] <= 0 or out[1] <= 0:
        raise _bad(f"size {size!r} is empty")
    if not upscale and (out[0] > w or out[1] > h):
        raise _bad(f"size {size!r} is larger than the region: use ^ to upscale")
    if out[0] * out[1] > 100_000_000:
        raise _bad(f"size {size!r} is too large")
    return out


def _by_wh(
    confined: bool, sw: str | None, sh: str | None, w: int, h: int, size: str
) -> tuple[int, int]:
    if sw is None and sh is None:
        raise _bad(f"size {size!r}")
    if confined:
        if sw is None or sh is None:
            raise _bad(f"size {size!r}: !w,h needs both")
        scale = min(int(sw) / w, int(sh) / h)
        return max(1, round(w * scale)), max(1, round(h * scale))
    if sw is None:
        return max(1, round(w * int(sh or 0) / h)), int(sh or 0)
    if sh is None:
        return int(sw), max(1, round(h * int(sw) / w))
    return int(sw), int(sh)
