"""Fixtures of the acquisitions tests: the wish wall's small library, with a vendor and
a fund of 1,000 yuan at the central branch for this year."""

from __future__ import annotations

from pathlib import Path

import pytest

from shelfwise.services import Services
from wishes.wish_helpers import NETWORK_STAFF, STAFF, WishLibrary, make_library

BUDGET = 100_000  # fen: 1,000 yuan


@pytest.fixture
def lib(services: Services, tmp_path: Path) -> WishLibrary:
    library = make_library(services, tmp_path)
    acq = services.acquisitions
    acq.save_vendor("XH", "新华书店", "orders@xinhua.example", actor=NETWORK_STAFF)
    year = services.clock.today().year
    acq.save_fund("BOOKS", year, "CEN", "中文图书", BUDGET, actor=STAFF)
    return library
