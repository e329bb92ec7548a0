"""The demo library: the branch network, readers, loans, holds and fees, built through the real services."""

from __future__ import annotations

import contextlib
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from shelfwise.catalogue.models import BranchKind
from shelfwise.catalogue.service import CatalogueService
from shelfwise.circulation.scope import SYSTEM
from shelfwise.circulation.service import CirculationService
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.tables import branches, items, readers
from shelfwise.testing.branches import DEMO_BRANCHES

if TYPE_CHECKING:
    from shelfwise.services import Services


def seed_branches(catalogue: CatalogueService) -> int:
    """Create (or refresh) the demo branches and their locations; returns how many branches."""
    for branch in DEMO_BRANCHES:
        catalogue.add_branch(
            code=branch.code,
            kind=BranchKind(branch.kind),
            name_zh=branch.name_zh,
            name_ko=branch.name_ko,
            name_en=branch.name_en,
        )
        for code, name, kind in branch.locations:
            catalogue.add_location(branch_code=branch.code, code=code, name=name, kind=kind)
    return len(DEMO_BRANCHES)


DEMO_READERS = (
    ("child", "小明"),
    ("child", "Ji-woo"),
    ("adult", "王芳"),
    ("adult", "김민준"),
    ("senior", "李秀英"),
    ("senior", "Margaret Chen"),
    ("student", "陈晓"),
    ("student", "박서연"),
)


def seed_circulation(services: Services) -> list[str]:
    """Demo readers of every category, loans (some overdue), holds and a fee.

    Returns the readers' card numbers (all with PIN 1234). Runs once: a library
    that already has readers is left alone.
    """
    with services.db.read() as conn:
        if conn.execute(select(func.count()).select_from(readers)).scalar_one():
            return []
        rows = conn.execute(
            select(items.c.barcode, items.c.record_id, branches.c.code)
            .join(branches, branches.c.id == items.c.home_branch_id)
            .where(items.c.lifecycle == "in_service")
            .order_by(items.c.id)
            .limit(40)
        ).all()
    cards = [
        services.readers.register(name=name, category=category, pin="1234").reader.card_number
        for category, name in DEMO_READERS
    ]
    past = FrozenClock(services.clock.now() - timedelta(days=45))
    overdue = CirculationService(
        services.db, past, services.circulation.policy, idempotency=services.circulation.idempotency
    )
    for k, row in enumerate(rows[:16]):
        desk = overdue if k % 4 == 0 else services.circulation
        desk.checkout(cards[k % len(cards)], row.barcode, row.code, actor=SYSTEM)
    for k, row in enumerate(rows[:6]):
        with contextlib.suppress(ShelfwiseError):
            card = cards[(k + 3) % len(cards)]
            services.circulation.place_hold(card, row.record_id, row.code, actor=SYSTEM)
    services.fees.charge(cards[2], "damaged", 800, "demo: coffee stain")
    return cards


DEMO_STAFF = (
    ("admin", "shelfwise-admin", "admin", ()),
    ("desk", "shelfwise-desk", "desk", ()),
    ("cataloguer", "shelfwise-cataloguer", "cataloguer", ()),
)


def seed_staff(services: Services) -> list[tuple[str, str, str]]:
    """Demo staff accounts, one per role: (username, password, role). Local demos only."""
    made = []
    for username, password, role, branch_codes in DEMO_STAFF:
        try:
            services.access.staff_account(username)
        except ShelfwiseError:
            services.access.create_staff(username, f"Demo {role}", password, role, branch_codes)
        made.append((username, password, role))
    return made


DEMO_TERMINAL = ("kiosk-demo", "demo-kiosk-1234", "SHELFWISE")


def seed_sip2_terminal(services: Services) -> tuple[str, str, str]:
    """A lenient UTF-8 SIP2 terminal account at the central library: (name, password, AO).

    Local demos only: the plain listener stays on loopback unless configured otherwise.
    """
    name, password, institution = DEMO_TERMINAL
    if services.terminals.get(name) is None:
        services.terminals.create(
            name=name,
            password=password,
            branch=DEMO_BRANCHES[0].code,
            institution=institution,
            lenient=True,
        )
    return DEMO_TERMINAL
