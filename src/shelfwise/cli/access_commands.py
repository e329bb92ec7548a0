"""Staff accounts and API tokens from the command line: how the first administrator is made."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from shelfwise.cli.common import DataDir, DbUrl, console, err, open_app
from shelfwise.core.errors import ShelfwiseError


def staff_add(
    username: Annotated[str, typer.Argument(help="Login name: lower-case letters, digits, . _ -")],
    role: Annotated[str, typer.Option(help="admin, cataloguer or desk.")],
    password: Annotated[
        str,
        typer.Option(
            prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters."
        ),
    ],
    name: Annotated[str, typer.Option(help="Name shown on pages and in the audit log.")] = "",
    branches: Annotated[
        str, typer.Option(help="Branch codes the account works at, comma-separated (empty: all).")
    ] = "",
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Create a staff account (the first administrator is made this way)."""
    services = open_app(data_dir, database_url)
    try:
        account = services.access.create_staff(
            username, name or username, password, role, branches.split(",")
        )
    except ShelfwiseError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message('en')}")
        raise typer.Exit(1) from exc
    finally:
        services.close()
    scope = ", ".join(account.branches) or "all branches"
    console.print(f"staff account {account.username} ({account.role}, {scope}) created")


def staff_list(data_dir: DataDir = None, database_url: DbUrl = None) -> None:
    """List staff accounts and API tokens."""
    services = open_app(data_dir, database_url)
    try:
        table = Table("username", "name", "role", "branches", "enabled")
        for a in services.access.staff_accounts():
            table.add_row(a.username, a.name, a.role, ",".join(a.branches) or "all", str(a.enabled))
        console.print(table)
        tokens = Table("token id", "label", "staff", "expires", "last used", "revoked")
        for t in services.access.api_tokens():
            tokens.add_row(
                str(t.id),
                t.label,
                t.staff_username,
                str(t.expires_at or "never"),
                str(t.last_used_at or "-"),
                str(t.revoked),
            )
        console.print(tokens)
    finally:
        services.close()


def api_token(
    username: Annotated[str, typer.Argument(help="Staff account the token acts as.")],
    label: Annotated[str, typer.Option(help="What the token is for (shown in lists).")],
    days: Annotated[int, typer.Option(help="Days until it expires (0: never).")] = 365,
    data_dir: DataDir = None,
    database_url: DbUrl = None,
) -> None:
    """Issue an API token for another system; it is printed once and only its hash is kept."""
    services = open_app(data_dir, database_url)
    try:
        token = services.access.issue_api_token(username, label, days=days or None)
    except ShelfwiseError as exc:
        err.print(f"[red]{exc.code}[/red]: {exc.message('en')}")
        raise typer.Exit(1) from exc
    finally:
        services.close()
    console.print(token, markup=False, highlight=False)
