"""What a file really is, read from its bytes (never from its name), and whether it is safe.

The name only counts against the file: a name that claims an image over content that is
none is refused with a sentence that says so. SVG is refused outright (it is a document
that can run script on our origin); a PDF is refused when it carries JavaScript; audio and
video are accepted only in codecs that browsers play.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import MediaKind

IMAGE_NAMES = {
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".png": "PNG",
    ".gif": "GIF",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".webp": "WebP",
}
# Codecs browsers play, as MP4 sample entries and Matroska/WebM codec ids.
MP4_CODECS = {b"avc1", b"avc3", b"av01", b"vp09", b"mp4a", b"Opus", b"fLaC", b".mp3"}
WEBM_CODECS = {"V_VP8", "V_VP9", "V_AV1", "A_OPUS", "A_VORBIS"}


@dataclass(frozen=True, slots=True)
class Sniffed:
    kind: MediaKind
    content_type: str


def check_name(name: str) -> str:
    """The display name of an upload; a path, a control character or an empty name is refused."""
    shown = name.strip()
    bad = (
        not shown
        or len(shown) > 200
        or "/" in shown
        or "\\" in shown
        or shown in (".", "..")
        or shown.startswith(".")
        or any(unicodedata.category(c).startswith("C") for c in shown)
    )
    if bad:
        raise ShelfwiseError("media.bad_name", name=_printable(name))
    return shown


def sniff(path: Path, name: str) -> Sniffed:
    """Kind and content type of the file at ``path`` (uploaded as ``name``), or a refusal."""
    with path.open("rb") as handle:
        head = handle.read(4096)
    found = _by_magic(head)
    claimed = IMAGE_NAMES.get(Path(name).suffix.lower())
    if found is None and _looks_like_svg(head):
        raise ShelfwiseError("media.svg")
    if found is None:
        if claimed is not None:
            raise ShelfwiseError("media.not_image", name=name, claimed=claimed)
        raise ShelfwiseError("media.unknown_type", name=name)
    if claimed is not None and found.kind != "image":
        raise ShelfwiseError("media.not_image", name=name, claimed=claimed)
    if found.content_type in ("video/mp4", "audio/mp4"):
        return _mp4(path, found)
    if found.content_type == "video/webm":
        _webm(path)
    return found


def _by_magic(head: bytes) -> Sniffed | None:
    checks: list[tuple[bool, MediaKind, str]] = [
        (head.startswith(b"\xff\xd8\xff"), "image", "image/jpeg"),
        (head.startswith(b"\x89PNG\r\n\x1a\n"), "image", "image/png"),
        (head[:6] in (b"GIF87a", b"GIF89a"), "image", "image/gif"),
        (head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"), "image", "image/tiff"),
        (head[:4] == b"RIFF" and head[8:12] == b"WEBP", "image", "image/webp"),
        (head.startswith(b"%PDF-"), "pdf", "application/pdf"),
        (head[:4] == b"RIFF" and head[8:12] == b"WAVE", "audio", "audio/wav"),
        (head.startswith(b"fLaC"), "audio", "audio/flac"),
        (head.startswith(b"OggS"), "audio", "audio/ogg"),
        (head.startswith(b"ID3") or _mpeg_frame(head), "audio", "audio/mpeg"),
        (head[4:8] == b"ftyp" and head[8:11] == b"M4A", "audio", "audio/mp4"),
        (head[4:8] == b"ftyp", "video", "video/mp4"),
        (head.startswith(b"\x1aE\xdf\xa3"), "video", "video/webm"),
    ]
    for matched, kind, content_type in checks:
        if matched:
            return Sniffed(kind, content_type)
    return None


def _mpeg_frame(head: bytes) -> bool:
    return len(head) > 2 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0 and head[1] & 0x06 != 0


def _looks_like_svg(head: bytes) -> bool:
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return b"<svg" in text and (text.startswith(b"<") or text.startswith(b"<?xml"))


def _mp4(path: Path, found: Sniffed) -> Sniffed:
    """An MP4's sample entries (its codecs), each one a browser plays; audio-only is audio."""
    data = path.read_bytes() if path.stat().st_size <= 64 << 20 else _head_and_tail(path)
    codecs = set(re.findall(rb"stsd.{12}(.{4})", data, flags=re.DOTALL))
    handlers = set(re.findall(rb"hdlr.{8}(vide|soun)", data, flags=re.DOTALL))
    if not codecs:
        raise ShelfwiseError("media.broken", detail="no sample description (stsd) in the MP4")
    unknown = sorted(c.decode("latin-1") for c in codecs - MP4_CODECS)
    if unknown:
        raise ShelfwiseError("media.codec", codec=", ".join(unknown))
    if b"vide" not in handlers:
        return Sniffed("audio", "audio/mp4")
    return found


def _webm(path: Path) -> None:
    with path.open("rb") as handle:
        data = handle.read(1 << 20)
    codecs = set()
    for found in re.finditer(rb"\x86([\x81-\xbf])[AV]_", data):
        start = found.end(1)
        codecs.add(data[start : start + (found.group(1)[0] & 0x3F)].decode("latin-1"))
    if not codecs:
        raise ShelfwiseError("media.broken", detail="no codec id in the WebM header")
    unknown = sorted(codecs - WEBM_CODECS)
    if unknown:
        raise ShelfwiseError("media.codec", codec=", ".join(unknown))


def _head_and_tail(path: Path) -> bytes:
    """The first and last 16 MiB (an MP4's moov box is at one end or the other)."""
    with path.open("rb") as handle:
        head = handle.read(16 << 20)
        handle.seek(max(0, path.stat().st_size - (16 << 20)))
        return head + handle.read()


def _printable(name: str) -> str:
    return "".join(c if c.isprintable() else "?" for c in name)[:80]
