"""SIP2 terminal accounts (S-2) for an administrator: list them, disable or enable one."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Annotated

from fastapi import APIRouter, Depends, Path
from pydantic import BaseModel

from shelfwise.access.models import Principal
from shelfwise.api.auth import staff
from shelfwise.api.deps import ServicesDep
from shelfwise.api.errors import ERROR_RESPONSES

if TYPE_CHECKING:
    from shelfwise.kiosks.terminals import Terminal

router = APIRouter(tags=["access"], responses=ERROR_RESPONSES)
Admin = Annotated[Principal, Depends(staff("access.admin"))]
Name = Annotated[str, Path(min_length=1, max_length=64)]


class TerminalOut(BaseModel):
    name: str
    branch: str
    institution: str
    enabled: bool
    transactions: int
    failures: int
    last_seen_at: datetime | None


class TerminalPatch(BaseModel):
    enabled: bool


def terminal_out(terminal: Terminal) -> TerminalOut:
    return TerminalOut(
        name=terminal.name,
        branch=terminal.branch_code,
        institution=terminal.institution,
        enabled=terminal.enabled,
        transactions=terminal.transactions,
        failures=terminal.failures,
        last_seen_at=terminal.last_seen_at,
    )


@router.get("/sip2-terminals", response_model=list[TerminalOut])
def list_terminals(_admin: Admin, services: ServicesDep) -> list[TerminalOut]:
    """Every kiosk account with its counters (no password, no reader data)."""
    return [terminal_out(t) for t in services.terminals.all()]


@router.patch("/sip2-terminals/{name}", response_model=TerminalOut)
def update_terminal(
    name: Name, body: TerminalPatch, _admin: Admin, services: ServicesDep
) -> TerminalOut:
    """Disable (or enable) a kiosk account: a disabled one cannot log in, and a kiosk
    connected with it is refused at its next message and disconnected."""
    return terminal_out(services.terminals.set_enabled(name, body.enabled))
