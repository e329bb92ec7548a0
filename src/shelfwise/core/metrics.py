"""What ``/metrics`` reports, in the Prometheus text format (``prometheus_client``).

Counters and histograms of this process live in :data:`REGISTRY`: HTTP requests by
route template and status, SIP2 messages by command and result, circulation operations
by kind and result, scheduler job runs by job and outcome. The state of the library
(outbox backlog, the search index) is read when scraped, by a :class:`LibraryState`
collector the composition root builds over its own services.

No label ever holds reader data: routes are templates (``/api/v1/readers/{card_number}``),
results are outcome names or error codes, never a card, a barcode or a name.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily, InfoMetricFamily
from prometheus_client.registry import Collector

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
REGISTRY = CollectorRegistry(auto_describe=True)

HTTP_REQUESTS = Counter(
    "shelfwise_http_requests",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_SECONDS = Histogram(
    "shelfwise_http_request_duration_seconds",
    "Time to answer an HTTP request, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
    registry=REGISTRY,
)
SIP2_MESSAGES = Counter(
    "shelfwise_sip2_messages",
    "SIP2 messages answered, by command and result (ok, a refusal's code, login_failed…).",
    ["command", "result"],
    registry=REGISTRY,
)
CIRCULATION = Counter(
    "shelfwise_circulation_operations",
    "Circulation operations by every door, by kind and result (ok or the error code).",
    ["kind", "result"],
    registry=REGISTRY,
)
JOB_RUNS = Counter(
    "shelfwise_scheduler_job_runs",
    "Scheduled job runs in this process, by job and outcome (ok, failed).",
    ["job", "outcome"],
    registry=REGISTRY,
)

T = TypeVar("T")


def sip2_result(outcome: str) -> str:
    """A SIP2 session's outcome as a label: its first words (``login failed: wrong
    password; closing`` → ``login_failed``), never anything the kiosk sent."""
    head = outcome.split(":", 1)[0].split(";", 1)[0].strip()
    return head.replace(" ", "_")[:40] or "unknown"


def count_calls(
    service: object, kinds: dict[str, str], code_of: Callable[[BaseException], str]
) -> None:
    """Count each call of ``service``'s methods named in ``kinds`` (method -> kind), by
    result: ``ok``, or ``code_of`` the exception it raised. Every door calls the same
    service instance, so the counts are the library's, whichever door asked."""
    for method, kind in kinds.items():
        setattr(service, method, _counted(getattr(service, method), kind, code_of))


def _counted(
    call: Callable[..., T], kind: str, code_of: Callable[[BaseException], str]
) -> Callable[..., T]:
    @functools.wraps(call)
    def counted(*args: Any, **kwargs: Any) -> T:
        try:
            result = call(*args, **kwargs)
        except BaseException as exc:
            CIRCULATION.labels(kind, code_of(exc)).inc()
            raise
        CIRCULATION.labels(kind, "ok").inc()
        return result

    return counted


@dataclass(frozen=True, slots=True)
class IndexState:
    generation: str
    documents: int
    size_bytes: int


class LibraryState(Collector):
    """Read when scraped: the outbox backlog and its oldest pending event, the search index."""

    def __init__(
        self,
        now: Callable[[], datetime],
        backlog: Callable[[], tuple[int, datetime | None]],
        index: Callable[[], IndexState | None],
    ) -> None:
        self._now = now
        self._backlog = backlog
        self._index = index

    def collect(self) -> Iterator[Any]:
        pending, oldest = self._backlog()
        yield GaugeMetricFamily(
            "shelfwise_outbox_pending", "Outbox events not yet delivered.", value=pending
        )
        age = 0.0 if oldest is None else max((self._now() - oldest).total_seconds(), 0.0)
        yield GaugeMetricFamily(
            "shelfwise_outbox_oldest_pending_seconds",
            "Age of the oldest undelivered outbox event (0: none pending).",
            value=age,
        )
        index = self._index()
        info = InfoMetricFamily("shelfwise_search_index", "The live search index generation.")
        documents = GaugeMetricFamily(
            "shelfwise_search_index_documents", "Records in the live search index."
        )
        size = GaugeMetricFamily(
            "shelfwise_search_index_size_bytes", "Size on disk of the live search index."
        )
        if index is not None:
            info.add_metric([], {"generation": index.generation})
            documents.add_metric([], index.documents)
            size.add_metric([], index.size_bytes)
        yield from (info, documents, size)

    def describe(self) -> Iterable[Any]:
        return []


def exposition(*registries: CollectorRegistry) -> bytes:
    """The text exposition of the process's metrics and of the given registries."""
    return b"".join(generate_latest(r) for r in (REGISTRY, *registries))
