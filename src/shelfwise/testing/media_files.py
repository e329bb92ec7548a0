"""Files for the digital-object tests and the demo, made here (nothing is downloaded): the
IIIF validator's test image, ordinary pictures, and the hostile files ingest must refuse."""

from __future__ import annotations

import io
import struct
import wave
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

# The colours of the IIIF Image API validator's test image (iiif-validator 1.0.5,
# validator.py ValidationInfo.colorInfo), as its description states them: a 1000x1000 grid
# of 10x10 squares, the square at column x and row y filled with COLOURS[x][y].
COLOURS: list[list[tuple[int, int, int]]] = [
    [
        (61, 170, 126),
        (61, 107, 178),
        (82, 85, 234),
        (164, 122, 110),
        (129, 226, 88),
        (91, 37, 121),
        (138, 128, 42),
        (6, 85, 234),
        (121, 109, 204),
        (65, 246, 84),
    ],
    [
        (195, 133, 120),
        (171, 43, 102),
        (118, 45, 130),
        (242, 105, 171),
        (5, 85, 105),
        (113, 58, 41),
        (223, 69, 3),
        (45, 79, 140),
        (35, 117, 248),
        (121, 156, 184),
    ],
    [
        (168, 92, 163),
        (28, 91, 143),
        (86, 41, 173),
        (111, 230, 29),
        (174, 189, 7),
        (18, 139, 88),
        (93, 168, 128),
        (35, 2, 14),
        (204, 105, 137),
        (18, 86, 128),
    ],
    [
        (107, 55, 178),
        (251, 40, 184),
        (47, 36, 139),
        (2, 127, 170),
        (224, 12, 114),
        (133, 67, 108),
        (239, 174, 209),
        (85, 29, 156),
        (8, 55, 188),
        (240, 125, 7),
    ],
    [
        (112, 167, 30),
        (166, 63, 161),
        (232, 227, 23),
        (74, 80, 135),
        (79, 97, 47),
        (145, 160, 80),
        (45, 160, 79),
        (12, 54, 215),
        (203, 83, 70),
        (78, 28, 46),
    ],
    [
        (102, 193, 63),
        (225, 55, 91),
        (107, 194, 147),
        (167, 24, 95),
        (249, 214, 96),
        (167, 34, 136),
        (53, 254, 209),
        (172, 222, 21),
        (153, 77, 51),
        (137, 39, 183),
    ],
    [
        (159, 182, 192),
        (128, 252, 173),
        (148, 162, 90),
        (192, 165, 115),
        (154, 102, 2),
        (107, 237, 62),
        (111, 236, 219),
        (129, 113, 172),
        (239, 204, 166),
        (60, 96, 37),
    ],
    [
        (72, 172, 227),
        (119, 51, 100),
        (209, 85, 165),
        (87, 172, 159),
        (188, 42, 162),
        (99, 3, 54),
        (7, 42, 37),
        (105, 155, 100),
        (38, 220, 240),
        (98, 46, 2),
    ],
    [
        (18, 223, 145),
        (189, 121, 17),
        (88, 3, 210),
        (181, 16, 43),
        (189, 39, 244),
        (123, 147, 116),
        (246, 148, 214),
        (223, 177, 199),
        (77, 18, 136),
        (235, 36, 21),
    ],
    [
        (146, 137, 176),
        (84, 248, 55),
        (61, 144, 79),
        (110, 251, 49),
        (43, 105, 132),
        (165, 131, 55),
        (60, 23, 225),
        (147, 197, 226),
        (80, 67, 104),
        (161, 119, 182),
    ],
]


def validator_grid(path: Path) -> Path:
    """The validator's test image as a PNG."""
    image = Image.new("RGB", (1000, 1000))
    draw = ImageDraw.Draw(image)
    for x in range(10):
        for y in range(10):
            draw.rectangle((x * 100, y * 100, x * 100 + 99, y * 100 + 99), fill=COLOURS[x][y])
    image.save(path, "PNG")
    return path


def picture(path: Path, size: tuple[int, int] = (1200, 800), colour: str = "#b03030") -> Path:
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.ellipse((size[0] // 4, size[1] // 4, 3 * size[0] // 4, 3 * size[1] // 4), fill="#f0d060")
    image.save(path, "JPEG" if path.suffix.lower() in (".jpg", ".jpeg") else "PNG")
    return path


def png_bomb(path: Path, side: int = 20000) -> Path:
    """A real PNG bomb: ``side`` x ``side`` one-bit black pixels (200 million for 14,142),
    400 million of them in a few hundred KiB; written row by row, never whole in memory."""
    row = b"\x00" + b"\x00" * ((side + 7) // 8)
    packer = zlib.compressobj(9)
    chunks = [packer.compress(row) for _ in range(side)]
    data = b"".join(chunks) + packer.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", header)
        + _chunk(b"IDAT", data)
        + _chunk(b"IEND", b"")
    )
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)


def pdf(pages: int = 1, javascript: bool = False) -> bytes:
    """A small real PDF (pypdf), optionally with an OpenAction that runs JavaScript."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=300, height=400)
    if javascript:
        from pypdf.generic import DictionaryObject, NameObject, TextStringObject

        action = DictionaryObject(
            {
                NameObject("/S"): NameObject("/JavaScript"),
                NameObject("/JS"): TextStringObject("app.alert('hello');"),
            }
        )
        writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _box(kind: bytes, payload: bytes) -> bytes:
    return struct.pack(">I", 8 + len(payload)) + kind + payload


def mp4(codec: bytes = b"avc1", handler: bytes = b"vide") -> bytes:
    """The boxes an MP4 names its codec in (ftyp, moov/trak/mdia/hdlr and stbl/stsd), with
    one sample entry of ``codec``; enough for the sniffing, not a playable film."""
    ftyp = _box(b"ftyp", b"isom\x00\x00\x02\x00isomiso2mp41")
    hdlr = _box(b"hdlr", b"\x00" * 8 + handler + b"\x00" * 12 + b"Video\x00")
    entry = _box(codec, b"\x00" * 6 + b"\x00\x01" + b"\x00" * 70)
    stsd = _box(b"stsd", b"\x00\x00\x00\x00" + struct.pack(">I", 1) + entry)
    stbl = _box(b"stbl", stsd)
    minf = _box(b"minf", stbl)
    mdia = _box(b"mdia", hdlr + minf)
    moov = _box(b"moov", _box(b"trak", mdia))
    return ftyp + moov + _box(b"mdat", b"\x00" * 1024)


def wav(path: Path, seconds: float = 1.0, rate: int = 8000) -> Path:
    """A quiet WAV tone (audio for the Range tests)."""
    frames = int(seconds * rate)
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(1)
        out.setframerate(rate)
        out.writeframes(bytes(128 + (n % 16) for n in range(frames)))
    return path
