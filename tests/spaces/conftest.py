"""Fixtures of the spaces and events tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from shelfwise.core.clock import FrozenClock
from shelfwise.services import Services
from spaces.spaces_helpers import SpacesLibrary, make_spaces_library


@pytest.fixture
def spaces_library(services: Services, clock: FrozenClock) -> Iterator[SpacesLibrary]:
    library = make_spaces_library(services, clock)
    with library.opened:
        yield library
