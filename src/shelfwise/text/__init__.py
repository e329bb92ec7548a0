"""Language analysis for search: pure functions from text to search keys.

See ``docs/search-analysis.md`` for the chain, the keys and their costs.  The
index builder needs only :func:`analyze_field` and :func:`analyze_query`.
"""

from shelfwise.text.analysis import analyze_field
from shelfwise.text.folding import fold_base
from shelfwise.text.query import analyze_query, first_match
from shelfwise.text.scripts import Run, Script, script_runs
from shelfwise.text.streams import (
    CASCADE,
    DEFAULT_OPTIONS,
    STREAM_SPECS,
    AnalysisOptions,
    AnalyzedField,
    AnalyzedQuery,
    FieldKind,
    MatchMode,
    QueryTerms,
    Stream,
    StreamSpec,
)

__all__ = [
    "CASCADE",
    "DEFAULT_OPTIONS",
    "STREAM_SPECS",
    "AnalysisOptions",
    "AnalyzedField",
    "AnalyzedQuery",
    "FieldKind",
    "MatchMode",
    "QueryTerms",
    "Run",
    "Script",
    "Stream",
    "StreamSpec",
    "analyze_field",
    "analyze_query",
    "first_match",
    "fold_base",
    "script_runs",
]
