"""SRU and OAI-PMH are handed their narrow bundle, never the whole services (issue 14)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from shelfwise.app import asgi_app
from shelfwise.interop.bundle import InteropServices
from shelfwise.services import Services

PACKAGES = Path(__file__).resolve().parents[2] / "src" / "shelfwise"
WHOLE = ("shelfwise.services", "shelfwise.app")


@pytest.mark.parametrize("door", ["interop", "sip2"])
def test_the_door_imports_neither_the_whole_bundle_nor_the_composition_root(door: str) -> None:
    """Not even for the type checker: what a narrow door may use is its bundle's fields."""
    found = []
    for path in sorted((PACKAGES / door).rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            found += [f"{path.name}: {n}" for n in names if n.startswith(WHOLE)]
    assert found == []


def test_sru_and_oai_hold_the_interop_bundle_filled_from_the_settings(
    services: Services,
) -> None:
    app = asgi_app(services)
    for door in (app.state.sru, app.state.oai):
        bundle = door.services
        assert isinstance(bundle, InteropServices)
        assert (bundle.catalogue, bundle.search, bundle.clock) == (
            services.catalogue,
            services.search,
            services.clock,
        )
        assert bundle.library_name == services.settings.library_name
        assert bundle.admin_email == services.settings.smtp_sender
        assert bundle.repository_identifier == services.settings.oai_repository_identifier
        assert bundle.page_size == services.settings.oai_page_size
