"""Stories over the REST API on both engines (issue 17 item 3): readers list and read
published stories (drafts stay hidden), cataloguers create, save, publish and read the
revisions with a staff token; refusals in the one error shape (a bad address name, an
unknown section kind, publishing an image without alt text, a reader's token); a digital
object's description under its access rule; the story's IIIF manifest parses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from iiif_prezi3 import Manifest
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from shelfwise import app as composition
from shelfwise.media.models import Access, MediaText
from shelfwise.services import Services
from shelfwise.stories import documents
from shelfwise.testing import media_files as made
from shelfwise.testing.access import staff_token

RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"
DOCUMENT = {
    "title": {"zh": "煤城往事", "ko": "탄광 도시 이야기", "en": "The coal city"},
    "summary": {"en": "A hundred years of Hegang"},
    "sections": [{"kind": "text", "text": {"zh": "井架**高耸**。"}}],
}


def _error(answer: Any, status: int, code: str) -> dict[str, Any]:
    """The one error shape: {"error": {"code", "message", "params"}} and nothing else."""
    assert answer.status_code == status, answer.text
    body = answer.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "params"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return dict(body["error"])


def _client(services: Services) -> TestClient:
    return TestClient(composition.asgi_app(services))


def test_cataloguers_write_and_publish_and_readers_read(services: Services, tmp_path: Path) -> None:
    client = _client(services)
    editor = {"Authorization": f"Bearer {staff_token(services, 'cataloguer')}"}
    made_story = client.post(
        "/api/v1/stories",
        json={"slug": "coal-city", "document": DOCUMENT, "tags": ["龙江故事"]},
        headers=editor,
    )
    assert made_story.status_code == 201, made_story.text
    story = made_story.json()
    assert (story["status"], story["revision"], story["tags"]) == ("draft", 1, ["龙江故事"])
    # a draft: hidden from anyone without the permission, shown to the editor
    _error(client.get("/api/v1/stories/coal-city"), 404, "stories.not_found")
    assert client.get("/api/v1/stories/coal-city", headers=editor).json()["status"] == "draft"
    assert client.get("/api/v1/stories").json() == []

    picture = made.picture(tmp_path / "p.png", (600, 400), colour="#804040")
    silent = services.media.ingest_file(picture, rights=RIGHTS, actor="t").object
    save = {
        "document": DOCUMENT
        | {"sections": [*DOCUMENT["sections"], {"kind": "media", "media": [silent.id]}]},
        "tags": ["龙江故事", "红色故事"],
        "cover_id": silent.id,
        "publish_at": "2020-01-01T08:00:00",  # no offset: the library's local time
    }
    saved = client.put(f"/api/v1/stories/{story['id']}", json=save, headers=editor)
    assert saved.status_code == 200, saved.text
    assert saved.json()["revision"] == 2
    assert saved.json()["publish_at"].startswith("2020-01-01T00:00:00")  # 08:00 in Harbin
    refused = client.post(
        f"/api/v1/stories/{story['id']}/workflow", json={"action": "publish"}, headers=editor
    )
    assert f"#{silent.id}" in _error(refused, 422, "stories.inaccessible")["message"]
    services.media.set_texts(silent.id, [MediaText("zh", alt="井架")])
    published = client.post(
        f"/api/v1/stories/{story['id']}/workflow", json={"action": "publish"}, headers=editor
    )
    assert published.json()["status"] == "published", published.text

    listed = client.get("/api/v1/stories", params={"tag": "红色故事"}).json()
    assert [s["slug"] for s in listed] == ["coal-city"]
    assert [s["slug"] for s in client.get("/api/v1/stories", params={"q": "meicheng"}).json()] == [
        "coal-city"
    ]
    assert client.get("/api/v1/stories", params={"tag": "英雄人物"}).json() == []
    read = client.get("/api/v1/stories/coal-city").json()
    assert read["title"]["ko"] == "탄광 도시 이야기"
    assert [s["kind"] for s in read["sections"]] == ["text", "media"]
    assert read["manifest"] == "/iiif/manifest/story/coal-city"
    revisions = client.get(f"/api/v1/stories/{story['id']}/revisions", headers=editor).json()
    assert [(r["revision"], r["note"]) for r in revisions] == [
        (3, "publish"),
        (2, "saved"),
        (1, "created"),
    ]
    assert {r["actor"] for r in revisions} == {"Test cataloguer"}  # who, from the token

    manifest = client.get(read["manifest"])
    parsed = Manifest(**json.loads(manifest.text))
    assert parsed.label == {"zh": ["煤城往事"], "ko": ["탄광 도시 이야기"], "en": ["The coal city"]}
    assert len(parsed.items) == 1  # the cover and the section's picture are one object


def test_refusals_have_the_one_error_shape(services: Services, tmp_path: Path) -> None:
    client = _client(services)
    editor = {"Authorization": f"Bearer {staff_token(services, 'cataloguer')}"}
    _error(
        client.post(
            "/api/v1/stories", json={"slug": "Not A Slug", "document": DOCUMENT}, headers=editor
        ),
        422,
        "stories.bad_slug",
    )
    bad_kind = DOCUMENT | {"sections": [{"kind": "poem"}]}
    _error(
        client.post("/api/v1/stories", json={"slug": "x", "document": bad_kind}, headers=editor),
        422,
        "request.invalid",
    )
    empty = DOCUMENT | {"sections": [{"kind": "records"}]}
    detail = _error(
        client.post("/api/v1/stories", json={"slug": "x", "document": empty}, headers=editor),
        422,
        "stories.invalid",
    )
    assert "section 1" in detail["message"]
    assert (
        client.post(
            "/api/v1/stories", json={"slug": "x", "document": DOCUMENT}, headers=editor
        ).status_code
        == 201
    )
    _error(
        client.post("/api/v1/stories", json={"slug": "x", "document": DOCUMENT}, headers=editor),
        409,
        "stories.slug_taken",
    )
    _error(
        client.put("/api/v1/stories/999999", json={"document": DOCUMENT}, headers=editor),
        404,
        "stories.not_found",
    )
    _error(
        client.post("/api/v1/stories/1/workflow", json={"action": "return"}, headers=editor),
        409,
        "stories.transition",
    )
    _error(
        client.post("/api/v1/stories", json={"slug": "y", "document": DOCUMENT}),
        401,
        "access.unauthenticated",
    )
    desk = {"Authorization": f"Bearer {staff_token(services, 'desk')}"}
    _error(
        client.post("/api/v1/stories", json={"slug": "y", "document": DOCUMENT}, headers=desk),
        403,
        "access.forbidden",
    )


def test_a_digital_objects_description_keeps_its_access_rule(
    services: Services, tmp_path: Path
) -> None:
    client = _client(services)
    hidden = services.media.ingest_file(
        made.picture(tmp_path / "h.png", (300, 200), colour="#102030"),
        rights=RIGHTS,
        actor="t",
        access=Access.STAFF,
        texts=[MediaText("zh", alt="内部", caption="内部照片")],
    ).object
    member = services.media.ingest_file(
        made.picture(tmp_path / "m.png", (300, 200), colour="#203040"),
        rights=RIGHTS,
        actor="t",
        access=Access.SIGNED_IN,
    ).object
    _error(client.get(f"/api/v1/media/{hidden.id}"), 403, "media.staff_only")
    _error(client.get(f"/api/v1/media/{member.id}"), 401, "media.sign_in")
    _error(client.get("/api/v1/media/999999"), 404, "media.not_found")
    staff = {"Authorization": f"Bearer {staff_token(services, 'desk')}"}
    shown = client.get(f"/api/v1/media/{hidden.id}", headers=staff).json()
    assert shown["texts"]["zh"]["caption"] == "内部照片"
    assert shown["access"] == "staff"
    assert shown["manifest"] == f"/iiif/manifest/object/{hidden.id}"
    assert "pyramid" not in shown["files"]
    assert "thumb" in shown["files"]


@pytest.mark.parametrize("signed_in", [True, False], ids=["cataloguer", "anonymous"])
def test_schemathesis_no_server_errors_in_stories(services: Services, signed_in: bool) -> None:
    """Requests generated from the OpenAPI document for every operation of the tag: no 5xx,
    answers as documented (the error shape included)."""
    services.stories.create("seeded", documents.from_data(DOCUMENT), "t")
    headers = (
        {"Authorization": f"Bearer {staff_token(services, 'cataloguer')}"} if signed_in else {}
    )
    schema = schemathesis.openapi.from_asgi(
        "/openapi.json", composition.asgi_app(services)
    ).include(tag_regex="^stories and digital objects$")
    checks = [not_a_server_error, response_schema_conformance, status_code_conformance]
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        if not isinstance(result, Ok):
            failures.append(f"invalid operation in the OpenAPI document: {result}")
            continue
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @settings(
            max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True
        )
        def run(case: Any) -> None:
            case.call_and_validate(checks=checks, headers=headers)

        try:
            run()
        except Exception as exc:
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:400]}")
    assert operations == 7
    assert failures == []
