"""A record added or edited through the service is findable within 2 seconds (issue 3).

The follower thread (``SearchService.start``, as ``serve`` runs it) is the only
thing that updates the index here: no explicit ``sync`` and no outbox relay.
Each check polls with a bounded wait and reports the observed latency; the
bound is the requirement itself (2 s) plus nothing else, so a slow shared
machine can fail it only by genuinely missing the requirement.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from pathlib import Path

from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.search import SearchRequest
from shelfwise.services import Services

log = logging.getLogger(__name__)

REQUIREMENT_SECONDS = 2.0
POLL_SECONDS = 0.05


def _book(control: str, title: str) -> Record:
    return Record(
        "00000nam a2200000 a 4500",
        [
            Field("001", data=control),
            Field("003", data="FOLLOW"),
            Field("100", "1 ", [("a", "Follower, Fay")]),
            Field("245", "10", [("a", title)]),
            Field("264", " 1", [("a", "Harbin :"), ("b", "Test Press,"), ("c", "2024")]),
            Field("852", "  ", [("b", "CEN"), ("h", "I247.5/12"), ("p", f"FOL{control}")]),
        ],
    )


def _import(services: Services, path: Path, record: Record) -> float:
    """Import one record through the service; returns the moment its transaction committed."""
    path.write_bytes(encode(record))
    summary = services.importer().import_file(path)
    assert summary.rejected == 0
    return time.monotonic()


def _wait_for(services: Services, q: str, *, present: bool, since: float) -> float:
    """Seconds from ``since`` until ``q`` finds something (or nothing); fails after 2 s."""
    while True:
        found = services.search.search(SearchRequest(q=q, facets=False)).total_records > 0
        waited = time.monotonic() - since
        if found == present:
            return waited
        assert waited <= REQUIREMENT_SECONDS, f"{q!r} not {'found' if present else 'gone'}"
        time.sleep(POLL_SECONDS)


def test_added_and_edited_records_are_findable_within_two_seconds(
    services: Services, tmp_path: Path, record_property: Callable[[str, object], None]
) -> None:
    services.search.start(interval=0.5)
    deadline = time.monotonic() + 30  # the first check builds the (empty) index
    while not services.search.ready():
        assert time.monotonic() < deadline, "the follower never built the index"
        time.sleep(POLL_SECONDS)
    path = tmp_path / "one.mrc"

    committed = _import(services, path, _book("f1", "Quixotic zebras of Harbin"))
    added = _wait_for(services, "quixotic zebras", present=True, since=committed)

    committed = _import(services, path, _book("f1", "Luminous herons of Harbin"))
    edited = _wait_for(services, "luminous herons", present=True, since=committed)
    old_gone = _wait_for(services, "quixotic", present=False, since=committed)

    observed = f"add {added:.3f} s, edit {edited:.3f} s, old title gone {old_gone:.3f} s"
    record_property("findable_after", observed)  # in the JUnit XML (--junitxml)
    log.info("findable after %s", observed)  # pytest -o log_cli=true --log-cli-level=INFO
    assert max(added, edited, old_gone) <= REQUIREMENT_SECONDS
