"""Principals, roles and the permissions each role holds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

PrincipalKind = Literal["staff", "reader"]
Role = Literal["admin", "cataloguer", "desk"]
ROLES: tuple[Role, ...] = ("admin", "cataloguer", "desk")

# Permissions, by what they let a person touch. A reader holds none of them: a reader
# acts only on their own account, which routes check by card number (``acts_for``).
PERMISSIONS: dict[str, str] = {
    "readers.read": "see readers' details, loans, holds and fees (audited)",
    "readers.write": "register, edit, block and delete readers",
    "circulation.desk": "check out, check in, renew, place and cancel holds for readers",
    "circulation.fees": "charge, take payments, waive fees; take and refund deposits",
    "circulation.rules": "edit loan rules and branch calendars",
    "catalogue.write": "import and edit records and items",
    "access.admin": "manage staff accounts, API tokens and SIP2 terminals; read the audit log",
    # An administrator bound to branches (a branch's manager) sees those branches' figures.
    "analytics.read": "see the library's statistics and dashboards (counts, no reader)",
}

# Permissions over what every branch shares (staff accounts, API tokens, the audit log): an
# account bound to branches never holds them, or an administrator of one branch could make an
# account for every branch.
NETWORK_ONLY = frozenset({"access.admin"})

ROLE_PERMISSIONS: dict[Role, frozenset[str]] = {
    "admin": frozenset(PERMISSIONS),
    "desk": frozenset({"readers.read", "readers.write", "circulation.desk", "circulation.fees"}),
    "cataloguer": frozenset({"catalogue.write"}),
}


@dataclass(frozen=True, slots=True)
class Principal:
    """The person behind a request: a staff member or a reader."""

    kind: PrincipalKind
    id: int
    name: str
    role: Role | None = None
    # Branch codes a staff member works at; empty means every branch.
    branches: tuple[str, ...] = ()
    card_number: str | None = None

    def can(self, permission: str, branch: str | None = None) -> bool:
        if self.kind != "staff" or self.role is None:
            return False
        if permission not in ROLE_PERMISSIONS[self.role]:
            return False
        if permission in NETWORK_ONLY and self.branches:
            return False
        return branch is None or not self.branches or branch in self.branches

    def acts_for(self, card_number: str) -> bool:
        """True when this principal is the reader holding ``card_number``."""
        return self.kind == "reader" and self.card_number == card_number


@dataclass(frozen=True, slots=True)
class LoginSession:
    """A signed-in reader or staff member (web cookie or API token); not a SIP2 connection,
    which is `sip2.session.Session`."""

    token: str
    principal: Principal
    expires_at: datetime | None


@dataclass(frozen=True, slots=True)
class StaffAccount:
    id: int
    username: str
    name: str
    role: Role
    branches: tuple[str, ...]
    enabled: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class ApiToken:
    id: int
    label: str
    staff_username: str
    created_at: datetime
    expires_at: datetime | None
    last_used_at: datetime | None
    revoked: bool


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: datetime
    actor_kind: str
    actor_id: int | None
    door: str
    action: str
    reader_id: int | None
    fields: tuple[str, ...]
