"""Fixtures of the wish wall's tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.services import Services
from wishes.wish_helpers import WishLibrary, make_library


@pytest.fixture
def lib(services: Services, tmp_path: Path) -> WishLibrary:
    return make_library(services, tmp_path)
