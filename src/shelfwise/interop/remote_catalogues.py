"""The remote catalogues of this library: the configured targets, each searched with its
protocol's client (SRU over HTTP, Z39.50 through yaz-client). ``app.build`` puts one on
``Services.remote``; domain services see it as a
:class:`~shelfwise.catalogue.remote.RemoteCatalogue`."""

from __future__ import annotations

from collections.abc import Sequence

from shelfwise.catalogue.remote import (
    RemoteResult,
    RemoteSearchError,
    Target,
    TargetKind,
    Words,
)
from shelfwise.interop.sru_client import SruClient
from shelfwise.interop.z3950_client import YazClient


class RemoteCatalogues:
    def __init__(
        self,
        targets: Sequence[Target],
        *,
        sru: SruClient | None = None,
        z3950: YazClient | None = None,
    ) -> None:
        self._targets = tuple(targets)
        self._sru = sru or SruClient()
        self._z3950 = z3950 or YazClient()

    def targets(self) -> list[Target]:
        return list(self._targets)

    def target(self, key: str) -> Target | None:
        return next((t for t in self._targets if t.key == key), None)

    def search(self, target: Target, query: str | Words, *, maximum: int = 10) -> RemoteResult:
        if target.kind is TargetKind.SRU:
            return self._sru.search(target, query, maximum=maximum)
        if target.kind is TargetKind.Z3950:
            return self._z3950.search(target, query, maximum=maximum)
        raise RemoteSearchError(target, f"no client for {target.kind}")
