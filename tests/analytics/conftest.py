"""Fixtures of the analytics tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from analytics.helpers import StatsLibrary, make_library
from shelfwise.services import Services


@pytest.fixture
def stats(services: Services, tmp_path: Path) -> StatsLibrary:
    return make_library(services, tmp_path)
