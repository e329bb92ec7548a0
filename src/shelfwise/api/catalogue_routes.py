"""Catalogue endpoints: records, their MARC, items and branches."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from pydantic import BaseModel

from shelfwise.api.deps import ServicesDep
from shelfwise.api.inputs import RecordIdPath
from shelfwise.marc.marcjson import record_to_json


class RecordOut(BaseModel):
    id: int
    state: str
    title: str
    main_author: str | None
    publisher: str | None
    year: int | None
    languages: list[str]
    isbns: list[str]
    dialect: str
    material_type: str
    merged_into_id: int | None
    updated_at: datetime
    item_count: int


class ItemOut(BaseModel):
    barcode: str
    record_id: int
    call_number: str
    home_branch_id: int
    lifecycle: str
    item_type: str
    price_cents: int | None
    currency: str | None
    acquired_on: date | None


class BranchOut(BaseModel):
    code: str
    kind: str
    name_zh: str
    name_ko: str
    name_en: str


router = APIRouter(tags=["catalogue"])


@router.get("/records/{record_id}", response_model=RecordOut)
def get_record(record_id: RecordIdPath, services: ServicesDep) -> RecordOut:
    s = services.catalogue.get_record(record_id)
    return RecordOut(**{f: getattr(s, f) for f in RecordOut.model_fields})


@router.get("/records/{record_id}/marc")
def get_marc(record_id: RecordIdPath, services: ServicesDep) -> dict[str, Any]:
    """The master MARC record as MARC-in-JSON."""
    return record_to_json(services.catalogue.get_marc(record_id))


@router.get("/records/{record_id}/items", response_model=list[ItemOut])
def record_items(record_id: RecordIdPath, services: ServicesDep) -> list[ItemOut]:
    services.catalogue.get_record(record_id)
    return [
        ItemOut(**{f: getattr(i, f) for f in ItemOut.model_fields})
        for i in services.catalogue.items_of(record_id)
    ]


@router.get("/items/{barcode}", response_model=ItemOut)
def get_item(barcode: str, services: ServicesDep) -> ItemOut:
    i = services.catalogue.get_item(barcode)
    return ItemOut(**{f: getattr(i, f) for f in ItemOut.model_fields})


@router.get("/branches", response_model=list[BranchOut])
def list_branches(services: ServicesDep) -> list[BranchOut]:
    return [
        BranchOut(**{f: getattr(b, f) for f in BranchOut.model_fields})
        for b in services.catalogue.list_branches()
    ]
