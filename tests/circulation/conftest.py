"""Fixtures of the circulation tests."""

from __future__ import annotations

from pathlib import Path

import pytest
from circ_helpers import LendingLibrary, make_library

from shelfwise.services import Services


@pytest.fixture
def library(services: Services, tmp_path: Path) -> LendingLibrary:
    return make_library(services, tmp_path)
