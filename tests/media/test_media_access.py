"""Every door that serves a digital object's bytes applies the object's access rule: a test
per rule x route x viewer (issue 17 done-when 3), the routes discovered from the app so a
new byte-serving route without a row fails here. And what is served cannot run script on
our origin (content type, nosniff, CSP sandbox, disposition); audio answers Range with 206."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.media.models import Access, MediaText
from shelfwise.media.service import MediaService, parse_networks
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.testing import media_files as made
from shelfwise.testing.demo import seed_branches

RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
ON_SITE_ADDRESS = "10.1.2.3"

# Every byte-serving route, with how to ask it for object {id}.
ROUTES: dict[str, str] = {
    "/media/{object_id}/{role}": "/media/{id}/original",
    "/iiif/image/{object_id}/info.json": "/iiif/image/{id}/info.json",
    "/iiif/image/{object_id}/{region}/{size}/{rotation}/{quality}": (
        "/iiif/image/{id}/0,0,256,256/128,/0/default.jpg"
    ),
    "/iiif/manifest/object/{object_id}": "/iiif/manifest/object/{id}",
}
EXTRA = ["/media/{id}/thumb", "/media/{id}/web", "/iiif/image/{id}/full/max/0/default.jpg"]
VIEWERS = ("anonymous", "on_site", "reader", "staff")
ALLOWED: dict[Access, set[str]] = {
    Access.OPEN: set(VIEWERS),
    Access.SIGNED_IN: {"reader", "staff"},
    Access.ON_SITE: {"on_site", "staff"},
    Access.STAFF: {"staff"},
}
REFUSED = {Access.SIGNED_IN: 401, Access.ON_SITE: 403, Access.STAFF: 403}


@dataclass
class World:
    clients: dict[str, TestClient]
    objects: dict[Access, int]
    audio: int
    pdf: int


def _csrf(client: TestClient, path: str) -> str:
    found = CSRF.search(client.get(path).text)
    assert found
    return found.group(1)


@pytest.fixture
def world(services: Services, tmp_path: Path) -> Iterator[World]:
    seed_branches(services.catalogue)
    services.media = MediaService(
        services.db,
        services.clock,
        services.catalogue,
        services.settings.data_dir / "media",
        max_bytes=services.settings.media_max_bytes,
        max_pixels=services.settings.media_max_pixels,
        onsite=parse_networks("CEN=10.1.0.0/16;NGQ=10.2.0.0/16"),
    )
    objects = {}
    for n, access in enumerate(Access):
        path = made.picture(tmp_path / f"{access}.png", (600 + n, 400), colour=f"#{n * 40:02x}3060")
        done = services.media.ingest_file(
            path,
            rights=RIGHTS,
            actor="t",
            access=access,
            branch="CEN" if access == Access.ON_SITE else None,
            texts=[MediaText("en", alt=f"picture {access}")],
        )
        objects[access] = done.object.id
    audio = services.media.ingest_file(made.wav(tmp_path / "a.wav", 2.0), rights=RIGHTS, actor="t")
    (tmp_path / "d.pdf").write_bytes(made.pdf())
    pdf = services.media.ingest_file(tmp_path / "d.pdf", rights=RIGHTS, actor="t")
    card = services.readers.register(name="读者", category="adult", pin="1111").reader.card_number
    services.access.create_staff("media-staff", "Staff", "staff-password", "cataloguer")
    app = composition.asgi_app(services)
    clients = {
        "anonymous": TestClient(app, follow_redirects=False),
        "on_site": TestClient(app, follow_redirects=False, client=(ON_SITE_ADDRESS, 5000)),
        "reader": TestClient(app, follow_redirects=False),
        "staff": TestClient(app, follow_redirects=False),
    }
    for client in clients.values():
        client.__enter__()
    reader = clients["reader"]
    token = _csrf(reader, "/login")
    signed = reader.post("/login", data={"card": card, "secret": "1111", "csrf": token})
    assert signed.status_code == 303
    staff = clients["staff"]
    token = _csrf(staff, "/staff/login")
    form = {"username": "media-staff", "password": "staff-password", "csrf": token}
    assert staff.post("/staff/login", data=form).status_code == 303
    try:
        yield World(clients, objects, audio.object.id, pdf.object.id)
    finally:
        for client in clients.values():
            client.__exit__(None, None, None)


def test_every_byte_route_is_in_the_access_table(services: Services) -> None:
    app = composition.asgi_app(services)
    found = set()
    for route in app.routes:
        contexts = getattr(route, "effective_route_contexts", None)
        paths = [c.path for c in contexts()] if contexts else []
        if isinstance(route, APIRoute):
            paths.append(route.path)
        found |= {p for p in paths if p.startswith(("/media/", "/iiif/"))}
    found.discard("/iiif/image/{object_id}")  # a redirect to info.json, no bytes
    # a story's manifest leaves out what the viewer may not see: tested on its own below
    found.discard("/iiif/manifest/story/{slug}")
    assert found == set(ROUTES), "a route that serves bytes without an access test"


def test_a_story_manifest_describes_only_what_the_viewer_may_see(
    world: World, services: Services
) -> None:
    """A published story showing one object of each rule: each viewer's manifest holds a
    canvas for exactly the objects that viewer may see."""
    data = {
        "title": {"en": "Four pictures"},
        "sections": [{"kind": "media", "media": list(world.objects.values())}],
    }
    story = services.stories.create("four", documents.from_data(data), "t")
    services.stories.act(story.id, "publish", "t")
    wrong = []
    for viewer in VIEWERS:
        manifest = world.clients[viewer].get("/iiif/manifest/story/four").json()
        shown = {
            int(canvas["items"][0]["items"][0]["body"]["service"][0]["id"].rsplit("/", 1)[1])
            for canvas in manifest["items"]
        }
        want = {i for access, i in world.objects.items() if viewer in ALLOWED[access]}
        if shown != want:
            wrong.append(f"{viewer}: {sorted(shown)}, expected {sorted(want)}")
    assert wrong == []


def test_each_rule_on_each_route_for_each_viewer(world: World) -> None:
    wrong = []
    for access, object_id in world.objects.items():
        for url in [*ROUTES.values(), *EXTRA]:
            for viewer in VIEWERS:
                got = world.clients[viewer].get(url.format(id=object_id)).status_code
                want = 200 if viewer in ALLOWED[access] else REFUSED[access]
                if got != want:
                    wrong.append(f"{access} {url} as {viewer}: {got}, expected {want}")
    assert wrong == []


def test_a_refusal_says_why_in_the_askers_language(world: World) -> None:
    client = world.clients["anonymous"]
    url = f"/media/{world.objects[Access.ON_SITE]}/thumb"
    answer = client.get(url, headers={"Accept-Language": "ko"})
    assert answer.status_code == 403
    assert "CEN" in answer.text
    assert "네트워크" in answer.text
    assert answer.headers["content-type"].startswith("text/plain")
    assert answer.headers["cache-control"] == "no-store"


def test_nothing_served_can_run_script_on_our_origin(world: World) -> None:
    client = world.clients["anonymous"]
    image = client.get(f"/media/{world.objects[Access.OPEN]}/original")
    assert image.headers["content-type"] == "image/png"
    assert image.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in image.headers["content-security-policy"]
    assert "default-src 'none'" in image.headers["content-security-policy"]
    assert image.headers["content-disposition"].startswith("inline; filename*=UTF-8''")
    document = client.get(f"/media/{world.pdf}/original")
    assert document.headers["content-type"] == "application/pdf"
    assert document.headers["content-disposition"].startswith("attachment;")
    assert document.content.startswith(b"%PDF-")
    page = client.get(f"/media/{world.pdf}/page")
    assert page.status_code == 200
    assert page.headers["content-type"] == "image/jpeg"
    assert "content-encoding" not in image.headers  # bytes are not gzipped by the pages


def test_audio_answers_range_requests_with_206(world: World) -> None:
    client = world.clients["anonymous"]
    whole = client.get(f"/media/{world.audio}/original")
    assert whole.status_code == 200
    assert whole.headers["accept-ranges"] == "bytes"
    part = client.get(f"/media/{world.audio}/original", headers={"Range": "bytes=100-199"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 100-199/{len(whole.content)}"
    assert part.content == whole.content[100:200]
    beyond = client.get(
        f"/media/{world.audio}/original", headers={"Range": f"bytes={len(whole.content) + 10}-"}
    )
    assert beyond.status_code == 416


def test_unknown_objects_and_files_are_404(world: World) -> None:
    client = world.clients["staff"]
    for url in ("/media/999999/original", "/media/abc/original", "/iiif/image/999999/info.json"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/media/{world.audio}/pyramid").status_code == 404
    assert client.get(f"/media/{world.audio}/thumb").status_code == 404
