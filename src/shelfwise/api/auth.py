"""Who is calling: bearer tokens (a login session or an API token) resolved by the access service.

Each route declares what it needs with one of the dependencies built here:
``public`` routes need nothing; ``staff(permission)`` needs a staff member whose role
holds the permission; ``self_or(permission)`` lets a reader act on their own card (the
``card_number`` path parameter) and staff with the permission act on anyone's. Staff
reads of a reader's data are written to the audit trail (P7) with the names of the
fields the route returns. Cookies are not accepted here: the web pages carry their own
CSRF-protected session, and an API that honoured cookies would be open to CSRF.
"""

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from shelfwise.access.models import Principal
from shelfwise.core.errors import ShelfwiseError

if TYPE_CHECKING:
    from shelfwise.access.service import AccessService

_bearer = HTTPBearer(
    auto_error=False,
    description="A session token from POST /api/v1/sessions, or an API token (swt_...).",
)
Credentials = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]


class Guards:
    """The authorization dependencies of one application instance."""

    def __init__(self, access: "AccessService") -> None:
        self._access = access

    def signed_in(self) -> Callable[..., Principal]:
        def dependency(credentials: Credentials) -> Principal:
            principal = (
                None if credentials is None else self._access.principal(credentials.credentials)
            )
            if principal is None:
                raise ShelfwiseError("access.unauthenticated")
            return principal

        return dependency

    def staff(self, permission: str) -> Callable[..., Principal]:
        signed_in = self.signed_in()

        def dependency(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
            require(principal, permission)
            return principal

        return dependency

    def reader_or_staff(self, permission: str) -> Callable[..., Principal]:
        """A signed-in reader (the service checks it is their own card or hold), or staff
        holding ``permission`` (the service checks the branch)."""
        signed_in = self.signed_in()

        def dependency(principal: Annotated[Principal, Depends(signed_in)]) -> Principal:
            if principal.kind != "reader":
                require(principal, permission)
            return principal

        return dependency

    def self_or(
        self, permission: str, *, audit: Iterable[str] = (), action: str = "read"
    ) -> Callable[..., Principal]:
        """The reader holding ``card_number`` (path parameter), or staff with ``permission``."""
        signed_in = self.signed_in()
        fields = tuple(audit)

        def dependency(
            card_number: str, principal: Annotated[Principal, Depends(signed_in)]
        ) -> Principal:
            if principal.acts_for(card_number):
                return principal
            require(principal, permission)
            if fields:
                self._access.audit(
                    principal, door="api", action=action, card_number=card_number, fields=fields
                )
            return principal

        return dependency

    def audit(
        self, principal: Principal, card_number: str, fields: Iterable[str], action: str = "read"
    ) -> None:
        self._access.audit(
            principal, door="api", action=action, card_number=card_number, fields=fields
        )


def require(principal: Principal, permission: str) -> None:
    """The role's permission. Where a staff member may use it is the service's decision
    (circulation's branch scope), made with the principal the route passes on."""
    if not principal.can(permission):
        raise ShelfwiseError("access.forbidden", permission=permission)
