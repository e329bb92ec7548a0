"""The loan-rules matrix as the staff edit it: list, set, delete, explain (rules.py resolves)."""

from __future__ import annotations

from sqlalchemy import delete, insert, select, update

from shelfwise.circulation import repo
from shelfwise.circulation.deposits import DepositPolicy
from shelfwise.circulation.models import RuleView
from shelfwise.circulation.rules import RULE_FIELDS, LoanRule, resolve
from shelfwise.circulation.scope import Actor, authorise, codes_at
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database
from shelfwise.storage.tables import loan_rules


class LoanRuleService:
    def __init__(
        self, db: Database, clock: Clock, *, deposits: DepositPolicy | None = None
    ) -> None:
        self._db = db
        self._clock = clock
        self._deposits = deposits or DepositPolicy()

    def rules(self) -> list[LoanRule]:
        with self._db.read() as conn:
            return repo.all_rules(conn)

    def set_rule(
        self,
        *,
        reader_category: str | None,
        item_type: str | None,
        branch: str | None,
        values: dict[str, int],
        actor: Actor,
    ) -> LoanRule:
        """Create or replace the rule of (category, item type, branch); a rule without a
        branch holds at every branch, so only an account bound to none may set it."""
        authorise(actor, at=[branch] if branch else [], everywhere=branch is None)
        unknown = set(values) - set(RULE_FIELDS)
        if unknown or any(v < 0 for v in values.values()):
            raise ShelfwiseError("circ.rule_invalid", fields=",".join(sorted(unknown)) or "<0")
        full = {f: values.get(f, getattr(LoanRule(None, None, None, None), f)) for f in RULE_FIELDS}
        now = self._clock.now()
        with self._db.write() as conn:
            branch_id = repo.branch_id(conn, branch) if branch else None
            key = (
                (
                    loan_rules.c.reader_category.is_(None)
                    if reader_category is None
                    else loan_rules.c.reader_category == reader_category
                ),
                (
                    loan_rules.c.item_type.is_(None)
                    if item_type is None
                    else loan_rules.c.item_type == item_type
                ),
                (
                    loan_rules.c.branch_id.is_(None)
                    if branch_id is None
                    else loan_rules.c.branch_id == branch_id
                ),
            )
            existing = conn.execute(select(loan_rules.c.id).where(*key)).scalar()
            if existing is None:
                existing = conn.execute(
                    insert(loan_rules)
                    .values(
                        reader_category=reader_category,
                        item_type=item_type,
                        branch_id=branch_id,
                        updated_at=now,
                        **full,
                    )
                    .returning(loan_rules.c.id)
                ).scalar_one()
            else:
                conn.execute(
                    update(loan_rules)
                    .where(loan_rules.c.id == existing)
                    .values(updated_at=now, **full)
                )
            row = conn.execute(select(loan_rules).where(loan_rules.c.id == existing)).one()
            return repo.rule_from(row)

    def delete_rule(self, rule_id: int, *, actor: Actor) -> None:
        with self._db.write() as conn:
            branch_id = conn.execute(
                select(loan_rules.c.branch_id).where(loan_rules.c.id == rule_id)
            ).first()
            if branch_id is None:
                raise ShelfwiseError("circ.rule_not_found", rule=rule_id)
            everywhere = branch_id[0] is None
            at = [] if everywhere else codes_at(conn, actor, [int(branch_id[0])])
            authorise(actor, at=at, everywhere=everywhere)
            if conn.execute(delete(loan_rules).where(loan_rules.c.id == rule_id)).rowcount != 1:
                raise ShelfwiseError("circ.rule_not_found", rule=rule_id)

    def explain(self, category: str, item_type: str, branch: str) -> RuleView:
        with self._db.read() as conn:
            branch_id = repo.branch_id(conn, branch)
            match = resolve(
                repo.rules_for(conn, category, item_type, branch_id), category, item_type, branch_id
            )
            deposit = self._deposits.describe(category)
            return RuleView(match.rule, f"{match.explanation}; {deposit}")
