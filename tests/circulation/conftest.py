"""Fixtures of the circulation tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from circ_helpers import Library, make_library

from shelfwise.app import Shelfwise


@pytest.fixture
def library(shelf: Shelfwise, tmp_path: Path) -> Library:
    return make_library(shelf, tmp_path)
