"""The loan-rules matrix as the staff edit it: list, set, delete, explain (rules.py resolves)."""

from __future__ import annotations

from shelfwise.circulation import repo, repo_rules
from shelfwise.circulation.deposits import DepositPolicy
from shelfwise.circulation.models import RuleView
from shelfwise.circulation.rules import RULE_FIELDS, LoanRule, resolve
from shelfwise.circulation.scope import Actor, authorise, codes_at
from shelfwise.core.clock import Clock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.storage.database import Database


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
            return repo_rules.upsert_rule(
                conn,
                reader_category=reader_category,
                item_type=item_type,
                branch_id=branch_id,
                at=now,
                values=full,
            )

    def delete_rule(self, rule_id: int, *, actor: Actor) -> None:
        with self._db.write() as conn:
            found = repo_rules.rule_branch(conn, rule_id)
            if found is None:
                raise ShelfwiseError("circ.rule_not_found", rule=rule_id)
            (branch_id,) = found
            at = [] if branch_id is None else codes_at(conn, actor, [branch_id])
            authorise(actor, at=at, everywhere=branch_id is None)
            if not repo_rules.delete_rule(conn, rule_id):
                raise ShelfwiseError("circ.rule_not_found", rule=rule_id)

    def explain(self, category: str, item_type: str, branch: str) -> RuleView:
        with self._db.read() as conn:
            branch_id = repo.branch_id(conn, branch)
            match = resolve(
                repo.rules_for(conn, category, item_type, branch_id), category, item_type, branch_id
            )
            deposit = self._deposits.describe(category)
            return RuleView(match.rule, f"{match.explanation}; {deposit}")
