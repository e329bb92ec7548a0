"""Discovery search: a Tantivy index derived from the catalogue (see ``docs/search.md``)."""

from shelfwise.search.models import (
    Availability,
    AvailabilityProvider,
    EveryCopyAvailable,
    Filters,
    NoPopularity,
    PopularityProvider,
    SearchRequest,
    SearchResult,
    Sort,
    Suggestion,
)
from shelfwise.search.service import RebuildReport, SearchService

__all__ = [
    "Availability",
    "AvailabilityProvider",
    "EveryCopyAvailable",
    "Filters",
    "NoPopularity",
    "PopularityProvider",
    "RebuildReport",
    "SearchRequest",
    "SearchResult",
    "SearchService",
    "Sort",
    "Suggestion",
]
