"""Fixtures of the recommendation tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from recommend.helpers import Library, make_library
from shelfwise.services import Services


@pytest.fixture
def library(services: Services, tmp_path: Path) -> Library:
    return make_library(services, tmp_path)
