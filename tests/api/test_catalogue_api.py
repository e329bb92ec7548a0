"""The REST door: catalogue reads, and one error shape with messages in the reader's language."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shelfwise.app import asgi_app
from shelfwise.catalogue.models import BranchKind
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services


@pytest.fixture
def client(services: Services) -> Iterator[TestClient]:
    with TestClient(asgi_app(services)) as c:
        yield c


def _import_one(services: Services, tmp_path: Path) -> int:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    record = Record(
        "00000nam a2200000 a 4500",
        [
            Field("001", data="api-1"),
            Field("020", "  ", [("a", "9787020002207")]),
            Field("100", "1 ", [("a", "曹雪芹")]),
            Field("245", "10", [("a", "红楼梦 /"), ("c", "曹雪芹著")]),
            Field("264", " 1", [("a", "北京 :"), ("b", "人民文学出版社,"), ("c", "1982")]),
            Field("852", "  ", [("b", "CEN"), ("h", "I242.47/1"), ("p", "SW0001")]),
        ],
    )
    path = tmp_path / "one.mrc"
    path.write_bytes(encode(record))
    services.importer().import_file(path)
    return services.catalogue.get_item("SW0001").record_id


def test_health(client: TestClient, services: Services) -> None:
    body = client.get("/api/v1/health").json()
    assert body["status"] == "ok"
    assert body["database"] == services.db.dialect


def test_record_marc_and_items(client: TestClient, services: Services, tmp_path: Path) -> None:
    record_id = _import_one(services, tmp_path)
    record = client.get(f"/api/v1/records/{record_id}").json()
    assert record["title"] == "红楼梦"
    assert record["isbns"] == ["9787020002207"]
    assert record["item_count"] == 1
    marc = client.get(f"/api/v1/records/{record_id}/marc").json()
    assert marc["fields"][0] == {"001": "api-1"}
    items = client.get(f"/api/v1/records/{record_id}/items").json()
    assert [i["barcode"] for i in items] == ["SW0001"]
    assert items[0]["lifecycle"] == "in_service"
    assert client.get("/api/v1/items/SW0001").json()["call_number"] == "I242.47/1"


def test_branches(client: TestClient, services: Services) -> None:
    services.catalogue.add_branch(
        code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆", name_ko="본관", name_en="Central"
    )
    assert client.get("/api/v1/branches").json() == [
        {
            "code": "CEN",
            "kind": "central",
            "name_zh": "总馆",
            "name_ko": "본관",
            "name_en": "Central",
        }
    ]


@pytest.mark.parametrize(
    ("language", "fragment"),
    [
        ("en", "There is no item with barcode NOPE"),
        ("ko-KR", "등록번호 NOPE"),
        ("zh-CN", "条码为 NOPE"),
    ],
)
def test_errors_have_one_shape_in_the_asked_language(
    client: TestClient, language: str, fragment: str
) -> None:
    response = client.get("/api/v1/items/NOPE", headers={"Accept-Language": language})
    assert response.status_code == 404
    body = response.json()
    assert set(body) == {"error"}
    assert body["error"]["code"] == "catalogue.item_not_found"
    assert fragment in body["error"]["message"]
    assert body["error"]["params"] == {"barcode": "NOPE"}


def test_validation_and_unknown_routes_use_the_same_shape(client: TestClient) -> None:
    bad = client.get("/api/v1/records/not-a-number", headers={"Accept-Language": "en"})
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "request.invalid"
    assert "record_id" in bad.json()["error"]["message"]
    missing = client.get("/api/v1/no/such/thing")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "request.not_found"


def test_openapi_document_lists_the_catalogue(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/api/v1/records/{record_id}", "/api/v1/items/{barcode}", "/api/v1/branches"} <= set(
        paths
    )
