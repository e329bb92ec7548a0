"""A reader's data export and erasure reach every domain that registered a hook, and only
through the hooks: a later domain (a wish list here) joins both without circulation or
readers knowing it; a hook that refuses undoes the whole erasure."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import pytest
from sqlalchemy import Connection

from shelfwise.core.errors import ShelfwiseError
from shelfwise.readers.models import Reader
from shelfwise.services import Services


class Wishes:
    """A stand-in for a later domain holding something of readers."""

    def __init__(self, *, refuse: bool = False) -> None:
        self.held: dict[int, list[str]] = {}
        self.refuse = refuse

    def export(self, conn: Connection, reader: Reader) -> dict[str, Any]:
        return {"wishes": list(self.held.get(reader.id, []))}

    def erase(self, conn: Connection, reader: Reader, at: datetime) -> Mapping[str, int]:
        if self.refuse:
            raise ShelfwiseError("request.conflict")
        self.held.pop(reader.id, None)
        return {}


def test_a_registered_domain_joins_the_export_and_the_erasure(services: Services) -> None:
    reader = services.readers.register(name="王芳", category="adult", pin="1357").reader
    token = services.access.login_reader(reader.card_number, "1357")
    wishes = Wishes()
    wishes.held[reader.id] = ["红楼梦"]
    services.reader_rights.register(wishes)

    exported = services.reader_rights.export(reader.card_number)
    assert exported["wishes"] == ["红楼梦"]
    # Readers' own part first, then circulation's, then the later domain's.
    assert list(exported)[:3] == ["profile", "consents", "loans"]
    assert list(exported)[-1] == "wishes"

    services.reader_rights.erase(reader.card_number)
    assert wishes.held == {}
    assert services.access.principal(token.token) is None
    with pytest.raises(ShelfwiseError) as gone:
        services.readers.get(reader.card_number)
    assert gone.value.code == "readers.not_found"


def test_a_hook_that_refuses_keeps_the_reader_and_everything_else(services: Services) -> None:
    reader = services.readers.register(name="李雷", category="adult", pin="2468").reader
    token = services.access.login_reader(reader.card_number, "2468")
    services.reader_rights.register(Wishes(refuse=True))

    with pytest.raises(ShelfwiseError) as refused:
        services.reader_rights.erase(reader.card_number)
    assert refused.value.code == "request.conflict"
    assert services.readers.get(reader.card_number).name == "李雷"
    # Access's hook ran before the refusal (later domains first) and was rolled back with it.
    still = services.access.principal(token.token)
    assert still is not None
    assert still.card_number == reader.card_number
