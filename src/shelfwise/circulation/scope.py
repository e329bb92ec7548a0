"""Who may act where: the one check every circulation operation makes before it acts.

Doors pass the principal behind a request (an access ``Principal``, a SIP2
terminal, the system itself) as an :class:`Actor`; the operation names the
branches it acts at and, when it acts for one reader, that reader's card; and
:func:`authorise` decides. Nothing else in the code decides branch scope, so a
door cannot forget it: an operation cannot be called without an actor.

- **system** (scheduled jobs, the CLI, migrations, the demo): anything.
- **staff** and **terminal** accounts are bound to branches (empty: every branch).
  Every branch the operation acts at must be one of theirs; an operation that
  changes what holds at every branch (a network-wide loan rule) needs an account
  bound to none. Whom they serve is not scoped: any desk serves any reader of the
  network.
- **reader**: only for their own card, and never a desk-only operation (a checkout,
  a check-in, a branch's hold shelf). A reader chooses any pickup branch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Connection

from shelfwise.circulation import repo
from shelfwise.core.errors import ShelfwiseError

BRANCH_BOUND = ("staff", "terminal")


class Actor(Protocol):
    """What circulation needs to know of whoever asks it to act."""

    @property
    def kind(self) -> str: ...  # staff, terminal, reader, system

    @property
    def branches(self) -> tuple[str, ...]: ...  # branch codes; empty: every branch

    @property
    def card_number(self) -> str | None: ...  # the reader's own card (readers)


@dataclass(frozen=True, slots=True)
class Acting:
    """An actor for doors without an access principal: SIP2 terminals, jobs, the CLI."""

    kind: str
    branches: tuple[str, ...] = ()
    card_number: str | None = None


SYSTEM = Acting("system")


def terminal_at(branch_code: str) -> Acting:
    """A self-service terminal (SIP2 kiosk), which acts only at its own branch."""
    return Acting("terminal", (branch_code,))


def reader_self(card_number: str) -> Acting:
    """A reader acting for themselves (at a kiosk after their PIN, or signed in)."""
    return Acting("reader", card_number=card_number)


def limited(actor: Actor) -> bool:
    """True when the actor's branches must be checked (a branch-bound account with a scope)."""
    return actor.kind in BRANCH_BOUND and bool(actor.branches)


def codes_at(conn: Connection, actor: Actor, branch_ids: Iterable[int]) -> list[str]:
    """The codes of the branches an operation acts at, looked up only when they matter."""
    return repo.branch_codes(conn, set(branch_ids)) if limited(actor) else []


def authorise(
    actor: Actor,
    *,
    at: Iterable[str] = (),
    everywhere: bool = False,
    reader_card: str | None = None,
    desk_only: bool = False,
) -> None:
    """Refuse unless ``actor`` may act at the branches ``at`` (codes) for ``reader_card``.

    ``everywhere``: the operation changes what holds at every branch.
    ``desk_only``: staff work no reader does for themselves.
    """
    if actor.kind == "system":
        return
    if actor.kind == "reader":
        if desk_only or actor.card_number is None or reader_card != actor.card_number:
            raise ShelfwiseError("access.not_yours")
        return
    if actor.kind not in BRANCH_BOUND:
        raise ShelfwiseError("access.not_yours")
    if not actor.branches:
        return
    scope = ", ".join(actor.branches)
    if everywhere:
        raise ShelfwiseError("access.network_forbidden", scope=scope)
    for code in at:
        if code not in actor.branches:
            raise ShelfwiseError("access.branch_forbidden", branch=code, scope=scope)
