"""The demo library's stories (issue 17): four stories in Chinese, Korean and English, with
pictures drawn here with Pillow (nothing is downloaded), one spoken story (espeak-ng, when
installed), one local document as a PDF, each linked to demo records."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw
from sqlalchemy import text

from shelfwise.core.errors import ShelfwiseError
from shelfwise.media.models import MediaText
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.stories.models import Placement
from shelfwise.testing.stories_demo_texts import DEMO_STORIES

RIGHTS = "http://rightsstatements.org/vocab/InC-EDU/1.0/"
OPEN = "https://creativecommons.org/licenses/by/4.0/"


def _poster(
    path: Path, sky: str, ground: str, kind: str, size: tuple[int, int] = (2400, 1600)
) -> Path:
    """A drawn picture: sky, ground, and a subject (pithead, village, hero's monument, library)."""
    w, h = size
    image = Image.new("RGB", size, sky)
    draw = ImageDraw.Draw(image)
    for n in range(12):  # evening light
        draw.rectangle((0, n * h // 24, w, (n + 1) * h // 24), fill=_mix(sky, "#f6d7a7", n / 14))
    draw.rectangle((0, int(h * 0.68), w, h), fill=ground)
    cx = w // 2
    if kind == "pithead":
        draw.polygon(
            [(cx - 260, int(h * 0.68)), (cx, int(h * 0.18)), (cx + 260, int(h * 0.68))],
            outline="#2b2b2b",
            width=28,
        )
        draw.ellipse(
            (cx - 90, int(h * 0.16), cx + 90, int(h * 0.16) + 180), outline="#2b2b2b", width=24
        )
        draw.rectangle((cx + 380, int(h * 0.4), cx + 520, int(h * 0.68)), fill="#3a3a3a")
    elif kind == "village":
        for n, x in enumerate(range(200, w - 200, 520)):
            base = int(h * 0.68)
            draw.rectangle((x, base - 260, x + 380, base), fill="#f2efe6")
            draw.polygon(
                [(x - 40, base - 260), (x + 190, base - 420 - n * 10), (x + 420, base - 260)],
                fill="#5a6b7d",
            )
    elif kind == "monument":
        draw.rectangle((cx - 70, int(h * 0.2), cx + 70, int(h * 0.68)), fill="#d9d4ca")
        draw.polygon(
            [(cx - 70, int(h * 0.2)), (cx, int(h * 0.12)), (cx + 70, int(h * 0.2))], fill="#c23b22"
        )
        draw.rectangle((cx - 260, int(h * 0.62), cx + 260, int(h * 0.68)), fill="#bfb8aa")
    else:  # library
        draw.rectangle((cx - 600, int(h * 0.36), cx + 600, int(h * 0.68)), fill="#e8e2d4")
        for x in range(cx - 520, cx + 521, 160):
            draw.rectangle((x, int(h * 0.4), x + 60, int(h * 0.66)), fill="#0d5c63")
        draw.polygon(
            [(cx - 680, int(h * 0.36)), (cx, int(h * 0.2)), (cx + 680, int(h * 0.36))],
            fill="#08434a",
        )
    image.save(path, "JPEG", quality=90)
    return path


def _mix(a: str, b: str, t: float) -> tuple[int, int, int]:
    ca = [int(a[i : i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i : i + 2], 16) for i in (1, 3, 5)]
    r, g, bl = (round(x + (y - x) * min(t, 1.0)) for x, y in zip(ca, cb, strict=True))
    return r, g, bl


def _document_pdf(path: Path) -> Path:
    """A local document (地方文献): a drawn page of a gazetteer, saved as a PDF."""
    page = Image.new("RGB", (1240, 1754), "#f4ecd8")
    draw = ImageDraw.Draw(page)
    draw.rectangle((80, 80, 1160, 1674), outline="#8b5a2b", width=6)
    for col in range(12):
        x = 1060 - col * 82
        for row in range(18):
            draw.rectangle((x, 160 + row * 80, x + 46, 160 + row * 80 + 54), fill="#3b2f2f")
    page.save(path, "PDF", resolution=150)
    return path


def _spoken(path: Path, words: str) -> Path | None:
    tool = shutil.which("espeak-ng")
    if tool is None:
        return None
    subprocess.run(
        [tool, "-v", "cmn", "-s", "150", "-w", str(path), words], check=True, capture_output=True
    )
    return path


def _texts(zh: str, ko: str, en: str, *, alt: bool = True, transcript: str = "") -> list[MediaText]:
    return [
        MediaText("zh", caption=zh, alt=zh if alt else "", transcript=transcript),
        MediaText("ko", caption=ko, alt=ko if alt else ""),
        MediaText("en", caption=en, alt=en if alt else ""),
    ]


def _records(services: Services, n: int) -> list[int]:
    with services.db.read() as conn:
        return [
            int(i)
            for i in conn.execute(
                text("SELECT id FROM records ORDER BY id LIMIT :n"), {"n": n}
            ).scalars()
        ]


PICTURES = (
    (
        "pithead",
        "#7a8aa0",
        "#3b3430",
        (
            "鹤岗煤矿的井架，傍晚",
            "저녁 무렵 허강 탄광의 권양탑",
            "The pithead of a Hegang coal mine at dusk",
        ),
    ),
    (
        "village",
        "#9db7cf",
        "#6b8f4e",
        (
            "延寿县的朝鲜族村落",
            "옌서우현의 조선족 마을",
            "A Korean village in Yanshou County",
        ),
    ),
    (
        "monument",
        "#a9b6c9",
        "#7f7a6c",
        ("烈士纪念碑", "열사 기념비", "The martyrs' monument"),
    ),
    (
        "library",
        "#b8c9d6",
        "#9a9183",
        ("图书馆旧馆", "도서관 옛 건물", "The library's first building"),
    ),
)


def seed_stories(services: Services) -> list[str]:
    """The demo stories (idempotent: a story whose address exists is left as it is)."""
    if services.stories.all():
        return [s.slug for s in services.stories.all()]
    records = _records(services, 12)
    with tempfile.TemporaryDirectory() as folder:
        pictures, document, audio = _objects(services, Path(folder))
    made = []
    for slug, spec in _specs(pictures, document, audio, records).items():
        made.append(_story(services, slug, spec))
    return made


def _objects(services: Services, work: Path) -> tuple[dict[str, int], int, int | None]:
    """The drawn pictures, the PDF and the spoken story, ingested as digital objects."""
    ingest = services.media.ingest_file
    pictures = {
        kind: ingest(
            _poster(work / f"{kind}.jpg", sky, ground, kind),
            rights=OPEN,
            actor="demo",
            texts=_texts(*words),
        ).object.id
        for kind, sky, ground, words in PICTURES
    }
    document = ingest(
        _document_pdf(work / "gazetteer.pdf"),
        rights=RIGHTS,
        actor="demo",
        texts=_texts(
            "《鹤岗县志》书影", "《허강현지》 책 모습", "A page of the Hegang county gazetteer"
        ),
    ).object.id
    words = "一九一七年，鹤岗开采第一座煤矿。矿工们在井下劳动，城市从此兴起。"
    audio_path = _spoken(work / "story.wav", words)
    if audio_path is None:
        return pictures, document, None
    captions = ("矿工的回忆（朗读）", "광부의 기억(낭독)", "A miner remembers (read aloud)")
    audio = ingest(
        audio_path, rights=OPEN, actor="demo", texts=_texts(*captions, alt=False, transcript=words)
    ).object.id
    return pictures, document, audio


def _story(services: Services, slug: str, spec: dict[str, Any]) -> str:
    story = services.stories.create(
        slug, documents.from_data(spec["doc"]), "demo", tags=spec["tags"]
    )
    services.stories.save(
        story.id,
        documents.from_data(spec["doc"]),
        "demo",
        tags=spec["tags"],
        cover_id=spec["cover"],
        placement=Placement(
            featured_home=spec.get("home", False), featured_branch=spec.get("branch")
        ),
    )
    with suppress(ShelfwiseError):  # else left as a draft: the editor shows why
        services.stories.act(story.id, "publish", "demo")
    return slug


def _specs(
    pictures: dict[str, int], document: int, audio: int | None, records: list[int]
) -> dict[str, dict[str, Any]]:
    """DEMO_STORIES with its names resolved: a picture's, the PDF's, the audio's object
    ids, and record slices ``[start, end]`` into the demo's first records."""
    named = dict(pictures) | {"document": document}
    if audio is not None:
        named["audio"] = audio
    out = {}
    for slug, spec in DEMO_STORIES.items():
        sections = []
        for section in spec["doc"]["sections"]:
            found = dict(section)
            if "media" in section:
                found["media"] = [named[m] for m in section["media"] if m in named]
                if not found["media"]:
                    continue  # the spoken story without espeak-ng
            if "records" in section:
                start, end = section["records"]
                found["records"] = records[start:end]
                if not found["records"]:
                    continue
            sections.append(found)
        out[slug] = spec | {
            "cover": named[spec["cover"]],
            "doc": spec["doc"] | {"sections": sections},
        }
    return out
