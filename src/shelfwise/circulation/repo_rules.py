"""SQL that edits the loan-rules matrix and branch calendars (private to circulation;
loan_rules.py and calendars.py hold the rules, repo.py reads them for checkout)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from shelfwise.circulation.repo import rule_from
from shelfwise.circulation.rules import LoanRule
from shelfwise.storage.settings_version import bump
from shelfwise.storage.tables import branch_closures, branch_hours, loan_rules


def upsert_rule(
    conn: Connection,
    *,
    reader_category: str | None,
    item_type: str | None,
    branch_id: int | None,
    at: datetime,
    values: dict[str, int],
) -> LoanRule:
    """Create or replace the rule of (category, item type, branch); NULL keys mean "any"."""
    key = (
        (
            loan_rules.c.reader_category.is_(None)
            if reader_category is None
            else loan_rules.c.reader_category == reader_category
        ),
        loan_rules.c.item_type.is_(None)
        if item_type is None
        else loan_rules.c.item_type == item_type,
        loan_rules.c.branch_id.is_(None)
        if branch_id is None
        else loan_rules.c.branch_id == branch_id,
    )
    bump(conn)  # processes' cached rules read them again (storage/settings_version.py)
    existing = conn.execute(select(loan_rules.c.id).where(*key)).scalar()
    if existing is None:
        existing = conn.execute(
            insert(loan_rules)
            .values(
                reader_category=reader_category,
                item_type=item_type,
                branch_id=branch_id,
                updated_at=at,
                **values,
            )
            .returning(loan_rules.c.id)
        ).scalar_one()
    else:
        conn.execute(
            update(loan_rules).where(loan_rules.c.id == existing).values(updated_at=at, **values)
        )
    return rule_from(conn.execute(select(loan_rules).where(loan_rules.c.id == existing)).one())


def rule_branch(conn: Connection, rule_id: int) -> tuple[int | None] | None:
    """The rule's branch id (None inside: every branch); None when there is no such rule."""
    row = conn.execute(select(loan_rules.c.branch_id).where(loan_rules.c.id == rule_id)).first()
    return None if row is None else (None if row[0] is None else int(row[0]),)


def delete_rule(conn: Connection, rule_id: int) -> bool:
    bump(conn)
    return conn.execute(delete(loan_rules).where(loan_rules.c.id == rule_id)).rowcount == 1


def replace_closures(conn: Connection, branch_id: int, rows: list[dict[str, Any]]) -> None:
    bump(conn)
    conn.execute(delete(branch_closures).where(branch_closures.c.branch_id == branch_id))
    if rows:
        conn.execute(insert(branch_closures), rows)


def replace_hours(conn: Connection, branch_id: int, rows: list[dict[str, Any]]) -> None:
    bump(conn)
    conn.execute(delete(branch_hours).where(branch_hours.c.branch_id == branch_id))
    if rows:
        conn.execute(insert(branch_hours), rows)
