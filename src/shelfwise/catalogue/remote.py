"""Other libraries' catalogues, as copy cataloguing (and the wish wall's lookups) see them.

The types live here, below the doors, so that a domain service can ask a remote
catalogue without importing a door: :class:`RemoteCatalogue` is the port, and the
interop door's clients are its adapters (``interop/sru_client.py`` over SRU,
``interop/z3950_client.py`` over Z39.50 through yaz-client), wired in by the
composition root (``app.build`` puts one on ``Services.remote``).

Targets are a setting (``copy_cataloguing_targets``), one per ``;``::

    loc|Library of Congress|z3950|lx2.loc.gov:210/LCDB; nlc|国家图书馆|sru|http://.../sru
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Protocol

from shelfwise.marc.description import Description, Dialect
from shelfwise.marc.dialects import describe
from shelfwise.marc.record import Record

MAX_RECORDS = 50  # the most records one search asks a target for


class TargetKind(StrEnum):
    SRU = "sru"
    Z3950 = "z3950"


@dataclass(frozen=True, slots=True)
class Target:
    """A remote catalogue. ``address``: the SRU base URL, or ``host:port/database``."""

    key: str
    label: str
    kind: TargetKind
    address: str
    sru_version: str = "1.2"
    record_schema: str = "marcxml"  # SRU recordSchema asked for
    timeout_seconds: float = 20.0


@dataclass(frozen=True, slots=True)
class Words:
    """Words a librarian typed (title, author, ISBN), not CQL: each client turns them into
    its protocol's query (a quoted CQL term, a PQF term of the any-index)."""

    text: str


@dataclass(frozen=True, slots=True)
class RemoteRecord:
    """One record a target answered, decoded: the MARC, its dialect and what it says."""

    position: int  # 1-based, in the target's result set
    marc: Record
    dialect: Dialect
    repairs: tuple[str, ...] = ()

    @property
    def description(self) -> Description:
        return describe(self.marc, self.dialect)


@dataclass(frozen=True, slots=True)
class RemoteResult:
    target: Target
    query: str  # the query as sent (CQL or PQF)
    total: int  # hits the target reports (may exceed len(records))
    records: list[RemoteRecord] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)  # why a returned record was skipped


class RemoteSearchError(Exception):
    """The target could not be asked, or refused: ``reason`` says which, for the page."""

    def __init__(self, target: Target, reason: str) -> None:
        super().__init__(f"{target.label}: {reason}")
        self.target = target
        self.reason = reason


class RemoteCatalogue(Protocol):
    """The configured targets and a search of one (``interop/remote_catalogues.py``)."""

    def targets(self) -> list[Target]: ...

    def target(self, key: str) -> Target | None: ...

    def search(self, target: Target, query: str | Words, *, maximum: int = 10) -> RemoteResult: ...


class TargetError(ValueError):
    pass


_KEY = re.compile(r"[a-z0-9_-]{1,32}")


def parse_targets(text: str) -> list[Target]:
    """The targets of the ``copy_cataloguing_targets`` setting; a bad entry is a
    :class:`TargetError` that names it (the settings check turns it into a start error)."""
    targets: list[Target] = []
    for entry in (e.strip() for e in text.split(";")):
        if not entry:
            continue
        parts = [p.strip() for p in entry.split("|")]
        if len(parts) not in (4, 5):
            raise TargetError(
                f"copy_cataloguing_targets: {entry!r} is not key|label|sru or z3950|address"
                "[|record schema]"
            )
        key, label, kind, address = parts[:4]
        if not _KEY.fullmatch(key) or any(t.key == key for t in targets):
            raise TargetError(f"copy_cataloguing_targets: key {key!r} is not a unique short code")
        if kind not in {k.value for k in TargetKind}:
            raise TargetError(f"copy_cataloguing_targets: {kind!r} is neither sru nor z3950")
        if kind == TargetKind.SRU and not address.startswith(("http://", "https://")):
            raise TargetError(f"copy_cataloguing_targets: {address!r} is not an http(s) URL")
        if kind == TargetKind.Z3950 and not re.fullmatch(r"[\w.-]+:\d{1,5}/\S+", address):
            raise TargetError(f"copy_cataloguing_targets: {address!r} is not host:port/database")
        schema = parts[4] if len(parts) == 5 else "marcxml"
        targets.append(Target(key, label or key, TargetKind(kind), address, record_schema=schema))
    return targets
