"""Catalogue rows built from a normalised description: pure, so import workers can build them.

The importing process then only places records and writes what was built here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from shelfwise.core.callnumber import sort_key as call_number_sort_key
from shelfwise.marc.description import Description, HoldingCopy


@dataclass(frozen=True, slots=True)
class ClassRow:
    scheme: str
    number: str
    sort_key: str


@dataclass(frozen=True, slots=True)
class CopyRow:
    """An item described by embedded holdings, before its branch and record are known by id."""

    barcode: str
    rfid: str | None
    call_number: str
    call_number_sort: str
    branch_code: str
    location_code: str
    price_cents: int | None
    currency: str | None


def description_json(description: Description) -> str:
    # Built by hand: dataclasses.asdict deep-copies and was a fifth of import time.
    d = description
    payload = {
        "title": d.title,
        "title_source": d.title_source,
        "title_romanised": d.title_romanised,
        "other_titles": d.other_titles,
        "parallel_titles": d.parallel_titles,
        "responsibility": d.responsibility,
        "agents": [
            {
                "name": a.name,
                "role": a.role,
                "kind": a.kind,
                "romanised": a.romanised,
                "primary": a.primary,
            }
            for a in d.agents
        ],
        "publisher": d.publisher,
        "place": d.place,
        "year": d.year,
        "edition": d.edition,
        "languages": d.languages,
        "isbns": d.isbns,
        "classifications": [
            {"scheme": str(c.scheme), "number": c.number, "edition": c.edition}
            for c in d.classifications
        ],
        "subjects": d.subjects,
        "series": d.series,
        "notes": d.notes,
        "material_type": d.material_type,
        "control_number": d.control_number,
        "control_agency": d.control_agency,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def record_columns(
    description: Description, master: bytes, dialect: str, match_key: str | None
) -> dict[str, Any]:
    """The records row; ``master`` is the record in its compact stored form
    (:func:`shelfwise.marc.compact.dumps`)."""
    main_author = description.agents[0].name if description.agents else None
    return {
        "dialect": dialect,
        "master": master,
        "title": description.title or "",
        "title_romanised": description.title_romanised,
        "main_author": main_author,
        "responsibility": description.responsibility,
        "publisher": description.publisher,
        "place": description.place,
        "year": description.year,
        "edition": description.edition,
        "languages": " ".join(description.languages),
        "material_type": description.material_type,
        "description": description_json(description),
        "match_key": match_key,
    }


_PRICE = re.compile(r"([A-Z]{3})?\s*[¥￥$]?\s*([0-9]+(?:\.[0-9]{1,2})?)")


def parse_price(text: str | None) -> tuple[int | None, str | None]:
    """``CNY48.00`` → (4800, "CNY"); unparseable → (None, None)."""
    if not text:
        return None, None
    match = _PRICE.search(text.replace(",", ""))
    if match is None:
        return None, None
    amount = round(float(match.group(2)) * 100)
    return amount, match.group(1)


def class_rows(description: Description) -> list[ClassRow]:
    seen: set[tuple[str, str]] = set()
    out: list[ClassRow] = []
    for c in description.classifications:
        key = (str(c.scheme), c.number[:64])
        if key in seen or not c.number:
            continue
        seen.add(key)
        out.append(ClassRow(key[0], key[1], call_number_sort_key(c.number, c.scheme)[:160]))
    return out


def copy_rows(holdings: list[HoldingCopy]) -> list[CopyRow]:
    out: list[CopyRow] = []
    for h in holdings:
        cents, currency = parse_price(h.price)
        call_number = (h.call_number or "").strip()
        out.append(
            CopyRow(
                barcode=(h.barcode or "").strip()[:64],
                rfid=h.rfid.strip()[:64] if h.rfid and h.rfid.strip() else None,
                call_number=call_number,
                call_number_sort=call_number_sort_key(call_number)[:200],
                branch_code=(h.branch or "").strip()[:32],
                location_code=(h.location or "").strip()[:32],
                price_cents=cents,
                currency=currency,
            )
        )
    return out
