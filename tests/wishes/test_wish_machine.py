"""The wish's state machine, driven by hypothesis on both engines: every move the table
allows happens and is told once; every other move is refused and changes nothing."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import text

from shelfwise.core.errors import ShelfwiseError
from shelfwise.wishes.models import STAFF_TARGETS, TRANSITIONS, WishKind, WishStatus
from wishes.wish_helpers import STAFF, WishLibrary


def _outbox_history_ids(lib: WishLibrary) -> list[int]:
    with lib.services.db.read() as conn:
        payloads = conn.execute(
            text("SELECT payload FROM outbox WHERE topic = 'wishes.notice'")
        ).scalars()
        import json

        return [int(json.loads(p)["history_id"]) for p in payloads]


def test_the_wish_state_machine(lib: WishLibrary) -> None:
    wisher = lib.reader()
    posted = Counter[str]()

    class WishMachine(RuleBasedStateMachine):
        @initialize(kind=st.sampled_from(list(WishKind)))
        def post(self, kind: WishKind) -> None:
            posted[kind] += 1
            # Each example posts one wish; the month's limit is lifted for the machine.
            lib.services.wishes.policy = type(lib.services.wishes.policy)(per_month=10_000)
            self.kind = kind
            self.wish = lib.post(wisher, f"愿望 {sum(posted.values())}", kind=kind)
            self.status = WishStatus.SUBMITTED
            self.moves = 0

        @rule(to=st.sampled_from(list(WishStatus)), note=st.sampled_from(["", "好"]))
        def staff_move(self, to: WishStatus, note: str) -> None:
            allowed = to in STAFF_TARGETS and to in TRANSITIONS[self.kind][self.status]
            needs_note = to is WishStatus.DECLINED and not note
            before = lib.services.wishes.history(self.wish, public_only=False)
            refused = None
            try:
                lib.services.wishes.move(self.wish, to, actor=STAFF, note=note)
            except ShelfwiseError as exc:
                refused = exc.code
            if refused is not None:
                assert not allowed or needs_note, refused
                assert lib.services.wishes.history(self.wish, public_only=False) == before
                return
            assert allowed
            assert not needs_note
            self.status = to
            self.moves += 1

        @invariant()
        def agrees_with_the_database(self) -> None:
            if not hasattr(self, "wish"):
                return
            wish = lib.services.wishes.get(self.wish)
            assert wish.status is self.status
            history = lib.services.wishes.history(self.wish, public_only=False)
            moves = [h for h in history if h.kind == "status"]
            assert len(moves) == self.moves
            assert [h.to_status for h in moves][-1:] == ([str(self.status)] if self.moves else [])

        @invariant()
        def each_change_is_told_once(self) -> None:
            ids = _outbox_history_ids(lib)
            assert len(ids) == len(set(ids))
            with lib.services.db.read() as conn:
                told = conn.execute(
                    text(
                        "SELECT count(*) FROM wish_history WHERE kind IN "
                        "('status', 'answer', 'hidden', 'merged', 'joined', "
                        "'hold_placed', 'hold_refused')"
                    )
                ).scalar_one()
            assert told == len(ids)

    run_state_machine_as_test(
        WishMachine,
        settings=settings(
            max_examples=25,
            stateful_step_count=8,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
    # Delivered, each change reaches the wisher exactly once.
    lib.deliver()
    with lib.services.db.read() as conn:
        per_entry = conn.execute(
            text("SELECT history_id, count(*) FROM wish_notices GROUP BY history_id")
        ).all()
    assert per_entry
    assert all(n == 1 for _, n in per_entry)
    assert len(per_entry) == len(_outbox_history_ids(lib))
