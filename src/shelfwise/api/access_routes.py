"""Logins (sessions), staff accounts, API tokens and the audit trail."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Query, Request, Response
from pydantic import BaseModel, Field, model_validator

from shelfwise.access.lockout import login_sources
from shelfwise.access.models import Principal, StaffAccount
from shelfwise.api.auth import Credentials, SignedIn, staff
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES

router = APIRouter(tags=["access"], responses=ERROR_RESPONSES)
Admin = Annotated[Principal, Depends(staff("access.admin"))]


class SessionIn(BaseModel):
    """Staff log in with username and password; readers with card number and PIN or password."""

    username: str | None = Field(default=None, min_length=1, max_length=64)
    card_number: str | None = Field(default=None, min_length=1, max_length=32)
    secret: str = Field(min_length=1, max_length=200, description="Password or PIN")

    @model_validator(mode="after")
    def _one_login(self) -> SessionIn:
        if (self.username is None) == (self.card_number is None):
            raise ValueError("give either username (staff) or card_number (reader)")
        return self


class PrincipalOut(BaseModel):
    kind: Literal["staff", "reader"]
    name: str
    role: str | None
    branches: list[str]
    card_number: str | None


class SessionOut(BaseModel):
    token: str
    expires_at: datetime | None
    principal: PrincipalOut


class StaffIn(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    name: str = Field(min_length=1, max_length=200)
    password: str = Field(min_length=1, max_length=200)
    role: str = Field(min_length=1, max_length=16)
    branches: list[str] = Field(default_factory=list, max_length=100)


class StaffPatch(BaseModel):
    role: str | None = Field(default=None, min_length=1, max_length=16)
    branches: list[str] | None = Field(default=None, max_length=100)
    enabled: bool | None = None
    password: str | None = Field(default=None, min_length=1, max_length=200)


class StaffOut(BaseModel):
    username: str
    name: str
    role: str
    branches: list[str]
    enabled: bool
    created_at: datetime


class TokenIn(BaseModel):
    username: str = Field(min_length=2, max_length=64)
    label: str = Field(min_length=1, max_length=200)
    days: int | None = Field(default=365, ge=1, le=3650)


class TokenOut(BaseModel):
    id: int
    label: str
    staff_username: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


class NewTokenOut(BaseModel):
    token: str = Field(description="Shown once; only its SHA-256 is kept.")


class AuditOut(BaseModel):
    at: datetime
    actor_kind: str
    actor_id: int | None
    door: str
    action: str
    reader_id: int | None
    fields: list[str]


def principal_out(principal: Principal) -> PrincipalOut:
    return PrincipalOut(
        kind=principal.kind,
        name=principal.name,
        role=principal.role,
        branches=list(principal.branches),
        card_number=principal.card_number,
    )


def staff_out(account: StaffAccount) -> StaffOut:
    return StaffOut(
        username=account.username,
        name=account.name,
        role=account.role,
        branches=list(account.branches),
        enabled=account.enabled,
        created_at=account.created_at,
    )


@router.post("/sessions", response_model=SessionOut, status_code=201)
def log_in(
    body: SessionIn, request: Request, credentials: Credentials, services: ServicesDep
) -> SessionOut:
    """Log in; the token goes in ``Authorization: Bearer``. Repeated failures lock the
    login, and repeated failures from one address or API token lock that source."""
    access = services.access
    token = credentials.credentials if credentials is not None else None
    sources = login_sources(
        address=request.client.host if request.client else None,
        token=token if token and access.principal(token) is not None else None,
    )
    if body.username is not None:
        session = access.login_staff(body.username, body.secret, sources=sources)
    else:
        session = access.login_reader(body.card_number or "", body.secret, sources=sources)
    return SessionOut(
        token=session.token,
        expires_at=session.expires_at,
        principal=principal_out(session.principal),
    )


@router.get("/sessions/current", response_model=PrincipalOut)
def whoami(principal: SignedIn) -> PrincipalOut:
    return principal_out(principal)


@router.delete("/sessions/current", status_code=204)
def log_out(_principal: SignedIn, credentials: Credentials, services: ServicesDep) -> Response:
    if credentials is not None:
        services.access.logout(credentials.credentials)
    return Response(status_code=204)


@router.get("/staff", response_model=list[StaffOut])
def list_staff(_admin: Admin, services: ServicesDep) -> list[StaffOut]:
    return [staff_out(a) for a in services.access.staff_accounts()]


@router.post("/staff", response_model=StaffOut, status_code=201)
def create_staff(body: StaffIn, _admin: Admin, services: ServicesDep) -> StaffOut:
    return staff_out(
        services.access.create_staff(
            body.username, body.name, body.password, body.role, body.branches
        )
    )


@router.patch("/staff/{username}", response_model=StaffOut)
def update_staff(username: str, body: StaffPatch, _admin: Admin, services: ServicesDep) -> StaffOut:
    return staff_out(
        services.access.update_staff(
            username,
            role=body.role,
            branches=body.branches,
            enabled=body.enabled,
            password=body.password,
        )
    )


@router.get("/api-tokens", response_model=list[TokenOut])
def list_tokens(_admin: Admin, services: ServicesDep) -> list[TokenOut]:
    return [TokenOut(**asdict(t)) for t in services.access.api_tokens()]


@router.post("/api-tokens", response_model=NewTokenOut, status_code=201)
def issue_token(body: TokenIn, _admin: Admin, services: ServicesDep) -> NewTokenOut:
    return NewTokenOut(
        token=services.access.issue_api_token(body.username, body.label, days=body.days)
    )


@router.delete("/api-tokens/{token_id}", status_code=204)
def revoke_token(
    token_id: Annotated[int, Path(ge=1, le=2**62)], _admin: Admin, services: ServicesDep
) -> Response:
    services.access.revoke_api_token(token_id)
    return Response(status_code=204)


@router.get("/audit", response_model=list[AuditOut])
def audit_trail(
    _admin: Admin,
    services: ServicesDep,
    card_number: Annotated[str | None, Query(min_length=1, max_length=32)] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AuditOut]:
    """Staff reads of reader data (P7): who, when, which reader, which fields; no values."""
    entries = services.access.audit_trail(card_number=card_number, limit=limit)
    return [
        AuditOut(
            at=e.at,
            actor_kind=e.actor_kind,
            actor_id=e.actor_id,
            door=e.door,
            action=e.action,
            reader_id=e.reader_id,
            fields=list(e.fields),
        )
        for e in entries
    ]
