"""The digital card: the SVG images carry the card number, checked without trusting the encoders.

Code 128: the bars of the SVG are read back into symbols with this file's own table of
the 107 Code 128 patterns, and the start code, checksum, stop pattern and text are
checked. Both images are also rasterised here (SVG rects and segno's path, nothing
else) to PNG and decoded by zbarimg (apt: zbar-tools, installed by scripts/test).
"""

from __future__ import annotations

import re
import struct
import subprocess
import zlib
from collections.abc import Iterator
from pathlib import Path
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from shelfwise.app import asgi_app
from shelfwise.readers.cards import code128_svg, qr_svg
from shelfwise.services import Services
from shelfwise.testing import tools
from shelfwise.testing.access import staff_headers

SVG = "{http://www.w3.org/2000/svg}"

# Code 128 symbols 0-105 as bar/space widths (ISO/IEC 15417 table), then the stop pattern.
PATTERNS = [
    "212222",
    "222122",
    "222221",
    "121223",
    "121322",
    "131222",
    "122213",
    "122312",
    "132212",
    "221213",
    "221312",
    "231212",
    "112232",
    "122132",
    "122231",
    "113222",
    "123122",
    "123221",
    "223211",
    "221132",
    "221231",
    "213212",
    "223112",
    "312131",
    "311222",
    "321122",
    "321221",
    "312212",
    "322112",
    "322211",
    "212123",
    "212321",
    "232121",
    "111323",
    "131123",
    "131321",
    "112313",
    "132113",
    "132311",
    "211313",
    "231113",
    "231311",
    "112133",
    "112331",
    "132131",
    "113123",
    "113321",
    "133121",
    "313121",
    "211331",
    "231131",
    "213113",
    "213311",
    "213131",
    "311123",
    "311321",
    "331121",
    "312113",
    "312311",
    "332111",
    "314111",
    "221411",
    "431111",
    "111224",
    "111422",
    "121124",
    "121421",
    "141122",
    "141221",
    "112214",
    "112412",
    "122114",
    "122411",
    "142112",
    "142211",
    "241211",
    "221114",
    "413111",
    "241112",
    "134111",
    "111242",
    "121142",
    "121241",
    "114212",
    "124112",
    "124211",
    "411212",
    "421112",
    "421211",
    "212141",
    "214121",
    "412121",
    "111143",
    "111341",
    "131141",
    "114113",
    "114311",
    "411113",
    "411311",
    "113141",
    "114131",
    "311141",
    "411131",
    "211412",
    "211214",
    "211232",
]
STOP = "2331112"
START_A, START_B, START_C = 103, 104, 105
CODE_A, CODE_B, CODE_C = 101, 100, 99


def _bars(svg: str) -> list[tuple[float, float]]:
    """(x, width) of every black rect, in document order."""
    root = ElementTree.fromstring(svg)
    out = []
    for rect in root.iter(f"{SVG}rect"):
        if "fill:black" in rect.get("style", ""):
            out.append((float(rect.get("x", "0")[:-2]), float(rect.get("width", "0")[:-2])))
    return out


def _module_widths(bars: list[tuple[float, float]]) -> list[int]:
    """Alternating bar, space, bar … widths in modules."""
    module = min(w for _, w in bars)
    widths: list[int] = []
    for i, (x, w) in enumerate(bars):
        if i:
            prev_x, prev_w = bars[i - 1]
            widths.append(round((x - prev_x - prev_w) / module))
        widths.append(round(w / module))
    return widths


def decode_code128(svg: str) -> str:
    widths = _module_widths(_bars(svg))
    assert "".join(map(str, widths[-7:])) == STOP
    body = widths[:-7]
    assert len(body) % 6 == 0
    symbols = ["".join(map(str, body[i : i + 6])) for i in range(0, len(body), 6)]
    values = [PATTERNS.index(s) for s in symbols]  # ValueError: not a Code 128 symbol
    start, data, check = values[0], values[1:-1], values[-1]
    assert start in (START_A, START_B, START_C)
    assert (start + sum(i * v for i, v in enumerate(data, 1))) % 103 == check
    text, codeset = [], {START_A: "A", START_B: "B", START_C: "C"}[start]
    for v in data:
        if codeset == "C" and v < 100:
            text.append(f"{v:02d}")
        elif v == CODE_C:
            codeset = "C"
        elif v == CODE_B and codeset != "B":
            codeset = "B"
        elif v == CODE_A and codeset != "A":
            codeset = "A"
        elif codeset == "B":
            text.append(chr(v + 32))
        elif codeset == "A":
            text.append(chr(v + 32) if v < 64 else chr(v - 64))
        else:
            raise AssertionError(f"symbol {v} in code set {codeset}")
    return "".join(text)


@pytest.mark.parametrize("card", ["SW0000000014", "SW1234567897", "LIB-7", "X1", "0123456789"])
def test_code128_bars_read_back_as_the_card_number(card: str) -> None:
    svg = code128_svg(card)
    assert svg.startswith("<svg")
    assert decode_code128(svg) == card
    if card.startswith("SW"):
        assert PATTERNS.index(_first_symbol(svg)) == START_B  # letters first: start code B


def _first_symbol(svg: str) -> str:
    return "".join(map(str, _module_widths(_bars(svg))[:6]))


def _qr_matrix(svg: str) -> list[list[int]]:
    """segno's path: M x y absolute, h n a dark run of n modules, m dx dy a relative move."""
    root = ElementTree.fromstring(svg)
    size = int(root.get("width", "0")) // 8  # drawn at scale 8
    grid = [[0] * size for _ in range(size)]
    path = next(root.iter(f"{SVG}path")).get("d", "")
    x = y = 0.0
    for op, a, b in re.findall(r"([Mmh])(-?[\d.]+)(?:[ ,](-?[\d.]+))?", path):
        if op == "M":
            x, y = float(a), float(b)
        elif op == "m":
            x, y = x + float(a), y + float(b)
        else:
            for k in range(int(float(a))):
                grid[int(y)][int(x) + k] = 1
            x += float(a)
    return grid


def _png(rows: list[list[int]], path: Path, scale: int) -> None:
    """A black-on-white 8-bit greyscale PNG, written with zlib only."""
    lines = []
    for row in rows:
        line = bytes(0 if dark else 255 for dark in row for _ in range(scale))
        lines += [b"\x00" + line] * scale
    height, width = len(rows) * scale, len(rows[0]) * scale

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(b"".join(lines)))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def zbarimg() -> str:
    return tools.require_tool("zbarimg", "the Debian package zbar-tools")


def test_zbar_decodes_both_images(zbarimg: str, tmp_path: Path) -> None:
    card = "SW0000000014"
    widths = _module_widths(_bars(code128_svg(card)))
    row = [0] * 12 + [1 - i % 2 for i, w in enumerate(widths) for _ in range(w)] + [0] * 12
    _png([row] * 40, tmp_path / "code128.png", 3)
    grid = _qr_matrix(qr_svg(card))
    _png(grid, tmp_path / "qr.png", 6)
    for name, symbology in (("code128.png", "CODE-128"), ("qr.png", "QR-Code")):
        out = subprocess.run(
            [zbarimg, "--quiet", str(tmp_path / name)], capture_output=True, text=True, check=True
        ).stdout
        assert out.strip() == f"{symbology}:{card}"


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(asgi_app(services)) as c:
        yield c


def test_card_image_endpoint(services: Services, client: TestClient) -> None:
    card = services.readers.register(name="持证人", category="adult", pin="2580").reader.card_number
    other = services.readers.register(name="别人", category="adult", pin="1357").reader.card_number
    url = f"/api/v1/readers/{card}/card.svg"
    anonymous = client.get(url)
    assert (anonymous.status_code, anonymous.json()["error"]["code"]) == (
        401,
        "access.unauthenticated",
    )
    login = client.post("/api/v1/sessions", json={"card_number": card, "secret": "2580"})
    own = {"Authorization": f"Bearer {login.json()['token']}"}
    for fmt in ("qr", "code128"):
        got = client.get(url, params={"format": fmt}, headers=own)
        assert got.status_code == 200, got.text
        assert got.headers["content-type"].startswith("image/svg+xml")
        assert got.text.startswith("<svg")
        assert "持证人" not in got.text  # the number only, no name
    assert decode_code128(client.get(f"{url}?format=code128", headers=own).text) == card
    assert client.get(url, headers=own).text.startswith("<svg")  # QR by default
    bad = client.get(f"{url}?format=ean13", headers=own)
    assert (bad.status_code, bad.json()["error"]["code"]) == (422, "request.invalid")
    theirs = client.get(f"/api/v1/readers/{other}/card.svg", headers=own)
    assert (theirs.status_code, theirs.json()["error"]["code"]) == (403, "access.forbidden")
    desk = staff_headers(services, "desk")
    assert client.get(f"/api/v1/readers/{other}/card.svg", headers=desk).status_code == 200
    missing = client.get("/api/v1/readers/NOPE/card.svg", headers=desk)
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "readers.not_found")
