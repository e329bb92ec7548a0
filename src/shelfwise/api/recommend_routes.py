"""Recommendations over the API (issue 21, P11).

``GET /api/v1/records/{record_id}/also-borrowed`` is public: co-borrowing pairs of k or more
consenting readers name no one; with a reader's token the titles that reader has on loan
or has borrowed are left out. ``GET /api/v1/recommendations`` is the signed-in reader's
own: "for you" (null unless they consent) and the suggestions for everyone, each with its
reason. No staff token reads it: "because you borrowed" would show a reader's loans (P8).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel, Field

from shelfwise.access.models import Principal
from shelfwise.api.auth import MaybeSignedIn, signed_in
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.core.errors import ShelfwiseError
from shelfwise.recommend.models import Suggestion

router = APIRouter(tags=["recommendations"], responses=ERROR_RESPONSES)
RecordId = Annotated[int, Path(ge=1, le=2**62)]


def _reader(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
    if principal.kind != "reader" or principal.card_number is None:
        raise ShelfwiseError("access.not_yours")
    return principal


class SuggestionOut(BaseModel):
    record_id: int
    reason: str = Field(
        description="because_you_borrowed, also_borrowed, popular_at_branch or new_in_class"
    )
    because: int | None = Field(description="the record behind it (the reader's own borrowing)")
    detail: str | None = Field(description="the branch code or the main class, for the reason")


class ForReaderOut(BaseModel):
    consents: bool
    for_you: list[SuggestionOut] | None = Field(description="null unless the reader consents")
    popular_at_branch: list[SuggestionOut]
    new_in_class: list[SuggestionOut]
    branch: str | None
    category: str


def _out(found: list[Suggestion]) -> list[SuggestionOut]:
    return [
        SuggestionOut(record_id=s.record_id, reason=s.reason, because=s.because, detail=s.detail)
        for s in found
    ]


@router.get("/records/{record_id}/also-borrowed", response_model=list[SuggestionOut])
def also_borrowed(
    record_id: RecordId, who: MaybeSignedIn, services: ServicesDep
) -> list[SuggestionOut]:
    card = who.card_number if who is not None and who.kind == "reader" else None
    return _out(services.recommend.also_borrowed_for(record_id, card))


@router.get("/recommendations", response_model=ForReaderOut)
def recommendations(
    who: Annotated[Principal, Depends(_reader)], services: ServicesDep
) -> ForReaderOut:
    assert who.card_number is not None
    offered = services.recommend.for_reader(who.card_number)
    return ForReaderOut(
        consents=offered.consents,
        for_you=None if offered.for_you is None else _out(offered.for_you),
        popular_at_branch=_out(offered.popular),
        new_in_class=_out(offered.new_in_class),
        branch=offered.branch,
        category=offered.category,
    )
