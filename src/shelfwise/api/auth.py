"""Who is calling: bearer tokens (a login session or an API token) resolved by the access service.

Each route declares what it needs with one of the dependencies built here:
``public`` routes need nothing; ``staff(permission)`` needs a staff member whose role
holds the permission; ``self_or(permission)`` lets a reader act on their own card (the
``card_number`` path parameter) and staff with the permission act on anyone's. Staff
reads of a reader's data are written to the audit trail (P7) with the names of the
fields the route returns. Cookies are not accepted here: the web pages carry their own
CSRF-protected session, and an API that honoured cookies would be open to CSRF.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shelfwise.access.models import Principal
from shelfwise.api.deps import ServicesDep
from shelfwise.core.errors import ShelfwiseError

if TYPE_CHECKING:
    from shelfwise.access.service import AccessService

_bearer = HTTPBearer(
    auto_error=False,
    description="A session token from POST /api/v1/sessions, or an API token (swt_...).",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


def signed_in(credentials: Credentials, services: ServicesDep) -> Principal:
    """The holder of the bearer token; 401 without one, or with one that is unknown,
    expired or revoked."""
    principal = None if credentials is None else services.access.principal(credentials.credentials)
    if principal is None:
        raise ShelfwiseError("access.unauthenticated")
    return principal


SignedIn = Annotated[Principal, Depends(signed_in)]


def maybe_signed_in(credentials: Credentials, services: ServicesDep) -> Principal | None:
    """Who is calling on a public route, or None (no credentials, or credentials that name
    nobody): the route answers anyone, and the service refuses what needs a principal
    (``available_at=mine`` without one is a 401)."""
    return None if credentials is None else services.access.principal(credentials.credentials)


MaybeSignedIn = Annotated[Principal | None, Depends(maybe_signed_in)]


def staff(permission: str) -> Callable[..., Principal]:
    """Staff whose role holds ``permission``."""

    def dependency(principal: SignedIn) -> Principal:
        require(principal, permission)
        return principal

    return dependency


def reader_or_staff(permission: str) -> Callable[..., Principal]:
    """A signed-in reader (the service checks it is their own card or hold), or staff
    holding ``permission`` (the service checks the branch)."""

    def dependency(principal: SignedIn) -> Principal:
        if principal.kind != "reader":
            require(principal, permission)
        return principal

    return dependency


def self_or(
    permission: str, *, audit: Iterable[str] = (), action: str = "read"
) -> Callable[..., Principal]:
    """The reader holding ``card_number`` (path parameter), or staff with ``permission``."""
    fields = tuple(audit)

    def dependency(card_number: str, principal: SignedIn, services: ServicesDep) -> Principal:
        if principal.acts_for(card_number):
            return principal
        require(principal, permission)
        if fields:
            audit_staff_read(services.access, principal, card_number, fields, action)
        return principal

    return dependency


def audit_staff_read(
    access: AccessService,
    principal: Principal,
    card_number: str,
    fields: Iterable[str],
    action: str = "read",
) -> None:
    """A staff member's use of a reader's data, on the audit trail (P7) as the API's."""
    access.audit(principal, door="api", action=action, card_number=card_number, fields=fields)


def require(principal: Principal, permission: str) -> None:
    """The role's permission. Where a staff member may use it is the service's decision
    (circulation's branch scope), made with the principal the route passes on."""
    if not principal.can(permission):
        raise ShelfwiseError("access.forbidden", permission=permission)
