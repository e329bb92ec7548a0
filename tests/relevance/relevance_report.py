"""docs/relevance.md holds one section per relevance set; each test rewrites only its own.

``SHELFWISE_RELEVANCE_REPORT=docs/relevance.md`` makes both relevance tests write
their report; they run in any order (or in parallel workers), so each replaces the
text between its own markers and leaves the other's alone.
"""

from __future__ import annotations

import os
from pathlib import Path

TITLE = "# Relevance\n"


def write_section(name: str, text: str) -> None:
    """Replace section ``name`` of the report file named by SHELFWISE_RELEVANCE_REPORT."""
    target = os.environ.get("SHELFWISE_RELEVANCE_REPORT")
    if not target:
        return
    path = Path(target)
    start, end = f"<!-- {name}: start -->\n", f"<!-- {name}: end -->\n"
    old = path.read_text(encoding="utf-8") if path.exists() else TITLE
    block = start + text.rstrip("\n") + "\n" + end
    if start in old and end in old:
        head, _, rest = old.partition(start)
        _, _, tail = rest.partition(end)
        new = head + block + tail
    else:
        new = old.rstrip("\n") + "\n\n" + block
    path.write_text(new, encoding="utf-8")
