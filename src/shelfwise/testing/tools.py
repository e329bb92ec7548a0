"""Outside tools a test needs, and the one rule for when one is missing.

``./scripts/test`` installs every tool its tests use (``scripts/lib.sh``). A test
asks for one with :func:`require_tool` or :func:`require_module`; when it is
missing the test is skipped with a reason that names the package to install,
and under ``CI=true`` it fails instead: a skip for a missing tool is a test that
did not run, and CI must not pass without it. ``docs/testing.md`` lists them.
"""

from __future__ import annotations

import importlib
import os
import shutil
from types import ModuleType
from typing import NoReturn

import pytest

MISSING = "missing tool: "


def missing(what: str, install: str, *, module_level: bool = False) -> NoReturn:
    """Skip, or fail under CI=true, because ``what`` is not installed."""
    reason = f"{MISSING}{what} (install {install}; ./scripts/test does)"
    if os.environ.get("CI") == "true":
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason, allow_module_level=module_level)


def require_tool(command: str, install: str) -> str:
    """The path of ``command`` on PATH; see :func:`missing` when it is not there."""
    found = shutil.which(command)
    if found is None:
        missing(command, install)
    return found


def require_module(name: str, install: str) -> ModuleType:
    """Import ``name`` (usable at module level, like ``pytest.importorskip``)."""
    try:
        return importlib.import_module(name)
    except ImportError:
        missing(f"Python module {name}", install, module_level=True)
