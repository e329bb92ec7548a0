"""IIIF: the IIIF community's Image API validator (``iiif-validator`` from PyPI, not ours)
run at level 1, version 3.0, against our /iiif/image serving its own test image (drawn from
its description by shelfwise.testing.media_files); manifests parsed back by ``iiif-prezi3``'s
Presentation 3 model; tiles of a larger image served from the pyramid and its cache."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from iiif_prezi3 import Manifest
from iiif_validator import validator as iiif
from PIL import Image

from shelfwise.media.models import MediaText
from shelfwise.services import Services
from shelfwise.testing import media_files as made
from shelfwise.testing.servers import SLOW_MACHINE, live_server

RIGHTS = "https://creativecommons.org/publicdomain/zero/1.0/"


def test_the_iiif_validator_passes_at_level_1(services: Services, tmp_path: Path) -> None:
    grid = services.media.ingest_file(
        made.validator_grid(tmp_path / "grid.png"), rights=RIGHTS, actor="t"
    ).object
    tests = iiif.TestSuite(iiif.ValidationInfo()).list_tests("3.0")
    chosen = sorted(name for name, test in tests.items() if test["level"] <= 1)
    assert len(chosen) >= 20  # the level-0 and level-1 tests of the 3.0 suite
    failed = []
    with live_server(services) as base:
        server = base.removeprefix("http://")
        for name in chosen:
            result = iiif.ImageAPI(
                str(grid.id), server, "iiif/image", "http", "", "3.0", debug=False
            )
            iiif.TestSuite(iiif.ValidationInfo()).run_test(name, result)
            if result.exception is not None:
                error = result.exception
                failed.append(f"{name}: got {error.got}, expected {error.expected} {result.urls}")
    assert failed == []


def test_a_manifest_parses_as_presentation_3(services: Services, tmp_path: Path) -> None:
    image = services.media.ingest_file(
        made.picture(tmp_path / "p.png", (900, 600)),
        rights=RIGHTS,
        actor="t",
        texts=[MediaText("zh", caption="井架", alt="井架"), MediaText("en", caption="Pithead")],
    ).object
    with live_server(services) as base:
        answer = httpx.get(f"{base}/iiif/manifest/object/{image.id}", timeout=SLOW_MACHINE)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("application/ld+json")
    data = json.loads(answer.text)
    parsed = Manifest(**data)  # the library's Presentation 3 model validates every field
    assert parsed.id == f"{base}/iiif/manifest/object/{image.id}"
    assert data["label"] == {"zh": ["井架"], "en": ["Pithead"]}
    canvas = data["items"][0]
    assert (canvas["width"], canvas["height"]) == (900, 600)
    body = canvas["items"][0]["items"][0]["body"]
    assert body["service"][0]["id"] == f"{base}/iiif/image/{image.id}"
    assert body["service"][0]["type"] == "ImageService3"


def test_deep_zoom_tiles_come_from_the_pyramid_and_the_cache(
    services: Services, tmp_path: Path
) -> None:
    big = services.media.ingest_file(
        made.picture(tmp_path / "big.png", (5000, 3000)), rights=RIGHTS, actor="t"
    ).object
    with live_server(services) as base:
        info = httpx.get(f"{base}/iiif/image/{big.id}/info.json", timeout=SLOW_MACHINE).json()
        assert info["tiles"][0]["scaleFactors"][:5] == [1, 2, 4, 8, 16]
        assert {"width": 625, "height": 375} in info["sizes"]
        url = f"{base}/iiif/image/{big.id}/2048,1024,1024,1024/256,/0/default.jpg"
        first = httpx.get(url, timeout=SLOW_MACHINE)
        again = httpx.get(url, timeout=SLOW_MACHINE)
    assert first.status_code == again.status_code == 200
    assert first.content == again.content
    tile = Image.open(__import__("io").BytesIO(first.content))
    assert tile.size == (256, 256)
    cached = list((services.media.store.root / "cache").rglob("*.jpg"))
    assert len(cached) == 1


@pytest.mark.parametrize(
    ("region", "size", "rotation", "quality"),
    [
        ("0,0,10,10", "20,", "0", "default.jpg"),  # upscaling without ^
        ("full", "max", "45", "default.jpg"),  # arbitrary rotation is not offered
        ("full", "max", "0", "sepia.jpg"),
        ("full", "max", "0", "default.gif"),
        ("5000,5000,10,10", "max", "0", "default.jpg"),  # outside the image
        ("full", "0,", "0", "default.jpg"),
    ],
)
def test_bad_iiif_requests_are_400(
    services: Services, tmp_path: Path, region: str, size: str, rotation: str, quality: str
) -> None:
    from fastapi.testclient import TestClient

    from shelfwise import app as composition

    item = services.media.ingest_file(
        made.picture(tmp_path / "x.png", (300, 200)), rights=RIGHTS, actor="t"
    ).object
    with TestClient(composition.asgi_app(services)) as client:
        answer = client.get(f"/iiif/image/{item.id}/{region}/{size}/{rotation}/{quality}")
    assert answer.status_code == 400, answer.text
    assert answer.headers["access-control-allow-origin"] == "*"
