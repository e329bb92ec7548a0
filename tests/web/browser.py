"""The browser-test harness shared by the reader and staff end-to-end tests.

Debian's Chromium (``/usr/bin/chromium``, or ``SHELFWISE_CHROMIUM``) driven by
Playwright — its own browser download does not work here — and axe-core from
``node_modules/`` (``npm ci``, run by ``scripts/test``). Without them the tests skip
locally and fail under CI (``shelfwise.testing.tools``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from shelfwise.testing import tools

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("SHELFWISE_CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"

_SERIOUS = """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
    .filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ': ' + v.help + ' @ ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(' | '))"""


def first_in_default_tier(*cases: Any) -> list[Any]:
    """A browser test's languages (or other cases) as parameters: the first runs in every
    default run, the others in the slow tier (``--runslow``). A browser walk costs tens of
    seconds of both cores; one language proves the flow on each commit, and the slow tier
    walks it in every language before a release (docs/testing.md, "Tiers")."""
    return [
        case if i == 0 else pytest.param(*_tuple(case), marks=pytest.mark.slow)
        for i, case in enumerate(cases)
    ]


def _tuple(case: Any) -> tuple[Any, ...]:
    return case if isinstance(case, tuple) else (case,)


def require(ok: bool, what: str, install: str) -> None:
    if not ok:
        tools.missing(what, install)


@contextmanager
def launch_chromium() -> Iterator[Any]:
    playwright_api = tools.require_module("playwright.sync_api", "the test extras (playwright)")
    require(
        Path(CHROMIUM).exists() or bool(shutil.which("chromium")),
        "Chromium",
        "the Debian package chromium",
    )
    require(AXE.exists(), "axe-core", "it with `npm ci`")
    with playwright_api.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"]
        )
        yield instance
        instance.close()


class Visit:
    """A browser tab that checks each page with axe-core and collects console errors."""

    def __init__(self, page: Any, base: str, shots: Path) -> None:
        self.page = page
        self.base = base
        self.shots = shots
        self.errors: list[str] = []
        self.checked: list[str] = []
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def go(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.axe()

    def submit(self, selector: str, value: str) -> None:
        """Type into a field and press Enter, as a barcode scanner does."""
        self.page.fill(selector, value)
        self.page.press(selector, "Enter")
        self.page.wait_for_load_state()
        self.axe()

    def axe(self) -> None:
        """No serious or critical violation on the page as it is now."""
        # evaluate() runs through the DevTools protocol, so the page's CSP (no inline
        # script) stays in force for the page itself.
        self.page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
        found = self.page.evaluate(_SERIOUS)
        assert not found, f"axe on {self.page.url}: {found}"
        self.checked.append(self.page.url)

    def focused(self) -> str:
        return str(self.page.evaluate("document.activeElement.id"))

    def shot(self, name: str) -> None:
        """Save a screenshot into the run's folder (``docs/`` only via ./scripts/screenshots)."""
        self.shots.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(self.shots / f"{name}.png"))
