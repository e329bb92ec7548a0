"""Staff credentials for tests, benchmarks and the demo: an account per role and an API token."""

from __future__ import annotations

from typing import TYPE_CHECKING

from shelfwise.core.errors import ShelfwiseError

if TYPE_CHECKING:
    from shelfwise.services import Services

TEST_PASSWORD = "shelfwise-test-password"


def staff_token(services: Services, role: str = "admin", *, branches: tuple[str, ...] = ()) -> str:
    """An API token of a staff account with ``role`` (the account is made on first use)."""
    username = f"test-{role}" + ("-" + "-".join(b.lower() for b in branches) if branches else "")
    try:
        services.access.create_staff(username, f"Test {role}", TEST_PASSWORD, role, branches)
    except ShelfwiseError as exc:
        if exc.code != "access.username_taken":
            raise
    return services.access.issue_api_token(username, f"tests ({role})", days=1)


def staff_headers(services: Services, role: str = "admin") -> dict[str, str]:
    return {"Authorization": f"Bearer {staff_token(services, role)}"}
