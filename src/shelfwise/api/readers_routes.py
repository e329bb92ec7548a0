"""Reader endpoints: registration, profile, blocks, consents, export and deletion."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from shelfwise.access.models import Principal
from shelfwise.api.auth import self_or, staff
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES
from shelfwise.readers.cards import CardFormat, card_svg
from shelfwise.readers.models import Reader

router = APIRouter(tags=["readers"], responses=ERROR_RESPONSES)
WRITER = [Depends(staff("readers.write"))]


class RegisterIn(BaseModel):
    name: str = Field(min_length=1, max_length=200)
    category: str = Field(max_length=32)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=32)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    home_branch: str | None = Field(default=None, max_length=32)
    id_card: str | None = Field(default=None, max_length=32)
    pin: str | None = Field(default=None, max_length=8)
    password: str | None = Field(default=None, max_length=200)
    card_number: str | None = Field(default=None, min_length=1, max_length=32)


class DetailsIn(BaseModel):
    """A reader's details as a whole: an optional field left out is cleared."""

    name: str = Field(min_length=1, max_length=200)
    category: str = Field(max_length=32)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=32)
    birth_year: int | None = Field(default=None, ge=1900, le=2100)
    home_branch: str | None = Field(default=None, max_length=32)


class ReaderOut(BaseModel):
    card_number: str
    category: str
    status: str
    name: str
    email: str | None
    phone: str | None
    birth_year: int | None
    id_card_last4: str | None
    expires_on: date
    manual_block: str | None
    history_opt_in: bool
    notices_email: bool
    has_pin: bool
    has_password: bool
    created_at: datetime


class BlockIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500)


class ConsentIn(BaseModel):
    granted: bool


class ConsentOut(BaseModel):
    purpose: str
    granted: bool
    notice_version: str
    at: datetime


def reader_out(reader: Reader) -> ReaderOut:
    return ReaderOut(**{f: getattr(reader, f) for f in ReaderOut.model_fields})


PROFILE = tuple(ReaderOut.model_fields)  # the fields a staff read of the profile audits


@router.post("/readers", response_model=ReaderOut, status_code=201, dependencies=WRITER)
def register(body: RegisterIn, services: ServicesDep) -> ReaderOut:
    return reader_out(services.readers.register(**body.model_dump()).reader)


@router.get(
    "/readers/{card_number}",
    response_model=ReaderOut,
    dependencies=[Depends(self_or("readers.read", audit=PROFILE))],
)
def get_reader(card_number: str, services: ServicesDep) -> ReaderOut:
    return reader_out(services.readers.get(card_number))


@router.put("/readers/{card_number}", response_model=ReaderOut, dependencies=WRITER)
def update_details(card_number: str, body: DetailsIn, services: ServicesDep) -> ReaderOut:
    """Replace the reader's name, category and contact details."""
    return reader_out(services.readers.update_details(card_number, **body.model_dump()))


class HomeBranchIn(BaseModel):
    branch: str | None = Field(
        min_length=1, max_length=32, description="A branch code; null: no library of one's own."
    )


class HomeBranchOut(BaseModel):
    card_number: str
    branch: str | None = Field(
        description="The reader's own library: holds are picked up there unless they say "
        "otherwise, and search's available_at=mine means its shelves."
    )


@router.get(
    "/readers/{card_number}/home-branch",
    response_model=HomeBranchOut,
    dependencies=[Depends(self_or("readers.read", audit=("home_branch",)))],
)
def home_branch(card_number: str, services: ServicesDep) -> HomeBranchOut:
    """The reader's own library ("my library")."""
    return HomeBranchOut(card_number=card_number, branch=services.readers.home_branch(card_number))


@router.put(
    "/readers/{card_number}/home-branch",
    response_model=HomeBranchOut,
    dependencies=[Depends(self_or("readers.write", audit=("home_branch",), action="write"))],
)
def set_home_branch(card_number: str, body: HomeBranchIn, services: ServicesDep) -> HomeBranchOut:
    """Choose the reader's own library (a reader their own; staff with readers.write)."""
    services.readers.set_home_branch(card_number, body.branch)
    return HomeBranchOut(card_number=card_number, branch=services.readers.home_branch(card_number))


@router.post("/readers/{card_number}/block", response_model=ReaderOut, dependencies=WRITER)
def block(card_number: str, body: BlockIn, services: ServicesDep) -> ReaderOut:
    return reader_out(services.readers.block(card_number, body.reason))


@router.delete("/readers/{card_number}/block", response_model=ReaderOut, dependencies=WRITER)
def unblock(card_number: str, services: ServicesDep) -> ReaderOut:
    return reader_out(services.readers.unblock(card_number))


@router.put(
    "/readers/{card_number}/consents/{purpose}",
    response_model=ReaderOut,
    dependencies=[Depends(self_or("readers.write", audit=("consents",), action="write"))],
)
def set_consent(
    card_number: str, purpose: str, body: ConsentIn, services: ServicesDep
) -> ReaderOut:
    return reader_out(services.readers.set_consent(card_number, purpose, body.granted))


@router.get(
    "/readers/{card_number}/consents",
    response_model=list[ConsentOut],
    dependencies=[Depends(self_or("readers.read", audit=("consents",)))],
)
def consents(card_number: str, services: ServicesDep) -> list[ConsentOut]:
    return [
        ConsentOut(purpose=c.purpose, granted=c.granted, notice_version=c.notice_version, at=c.at)
        for c in services.readers.consents(card_number)
    ]


@router.get(
    "/readers/{card_number}/export",
    dependencies=[Depends(self_or("readers.read", audit=("export",), action="export"))],
)
def export(card_number: str, services: ServicesDep) -> dict[str, Any]:
    """Everything held about the reader, as JSON (P5)."""
    return services.reader_rights.export(card_number)


@router.delete("/readers/{card_number}", status_code=204)
def delete_reader(
    card_number: str,
    _who: Annotated[Principal, Depends(self_or("readers.write", audit=("*",), action="delete"))],
    services: ServicesDep,
) -> Response:
    """Delete the reader, leaving only counts (refused while loans or fees are open).

    A reader may delete their own account (P9); staff need readers.write."""
    services.reader_rights.erase(card_number)
    return Response(status_code=204)


# Registering online (public) and the digital card (the reader, or staff who read readers).


class RegistrationIn(BaseModel):
    """Registering online: a self-service category, an e-mail address, a PIN and/or password."""

    name: str = Field(min_length=1, max_length=200)
    email: str = Field(min_length=3, max_length=320)
    category: str | None = Field(
        default=None,
        min_length=1,
        max_length=32,
        description="One of reader_self_registration_categories (default: the first).",
    )
    phone: str | None = Field(default=None, max_length=32)
    pin: str | None = Field(default=None, max_length=8)
    password: str | None = Field(default=None, max_length=200)
    home_branch: str | None = Field(default=None, min_length=1, max_length=32)


class RegistrationOut(BaseModel):
    card_number: str
    status: str  # pending until the e-mail is confirmed, when the library asks for it
    confirmation_sent_to: str


class ConfirmIn(BaseModel):
    card_number: str = Field(min_length=1, max_length=32)
    token: str = Field(min_length=1, max_length=200)


class ConfirmOut(BaseModel):
    card_number: str
    status: str


@router.post("/registrations", response_model=RegistrationOut, status_code=201)
def self_register(body: RegistrationIn, request: Request, services: ServicesDep) -> RegistrationOut:
    """Register online; a confirmation code is e-mailed (never returned here).

    At most ``access_registrations_per_hour`` from one address (429 beyond)."""
    source = request.client.host if request.client else "-"
    reader = services.readers.self_register(source=source, **body.model_dump()).reader
    return RegistrationOut(
        card_number=reader.card_number,
        status=str(reader.status),
        confirmation_sent_to=body.email,
    )


@router.post("/registrations/confirm", response_model=ConfirmOut)
def confirm(body: ConfirmIn, services: ServicesDep) -> ConfirmOut:
    """Confirm the e-mail address with the code it received; the reader may then borrow.

    At most ``access_confirmations_per_hour`` tries per card (429 beyond); an unknown
    card is refused like a wrong code."""
    reader = services.readers.confirm_email(body.card_number, body.token)
    return ConfirmOut(card_number=reader.card_number, status=str(reader.status))


@router.get(
    "/readers/{card_number}/card.svg",
    response_class=Response,
    responses={200: {"content": {"image/svg+xml": {}}, "description": "The card image"}},
    dependencies=[Depends(self_or("readers.read", audit=("card_number",)))],
)
def card_image(
    card_number: str,
    services: ServicesDep,
    format: Annotated[CardFormat, Query()] = CardFormat.QR,
) -> Response:
    """The digital card: the card number as a QR code or a Code 128 barcode (SVG)."""
    reader = services.readers.get(card_number)
    return Response(card_svg(reader.card_number, format), media_type="image/svg+xml")
