"""The demo library: the branch network, built through the real catalogue service."""

from __future__ import annotations

from shelfwise.catalogue.models import BranchKind
from shelfwise.catalogue.service import CatalogueService
from shelfwise.testing.branches import DEMO_BRANCHES


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
