"""Recommendations with consent (issue 21, P11): what is kept, what is trained, what is
answered — and a reader who has not consented in none of it."""

from __future__ import annotations

import json
import random
from collections import Counter
from itertools import combinations

from sqlalchemy import inspect, select, text

from recommend.helpers import Library
from shelfwise.circulation.activity import BORROWED
from shelfwise.readers.models import Reader
from shelfwise.recommend.models import (
    ALSO_BORROWED,
    BECAUSE_YOU_BORROWED,
    NEW_IN_CLASS,
    POPULAR_AT_BRANCH,
)
from shelfwise.recommend.service import RecommendService
from shelfwise.runtime import Runtime
from shelfwise.storage.outbox import Event
from shelfwise.storage.scheduler import Scheduler
from shelfwise.storage.tables import job_runs, metadata, outbox


def _borrowed_events(library: Library) -> list[dict[str, int]]:
    with library.services.db.read() as conn:
        rows = conn.execute(select(outbox.c.payload).where(outbox.c.topic == BORROWED)).all()
    return [json.loads(p) for (p,) in rows]


def _borrowings(library: Library) -> set[tuple[int, int]]:
    with library.services.db.read() as conn:
        rows = conn.execute(text("SELECT reader_id, record_id FROM recommend_borrowings"))
        return {(int(a), int(b)) for a, b in rows}


def _recount(borrowings: set[tuple[int, int]], k: int) -> dict[tuple[int, int], int]:
    """Co-borrowing pairs recounted from the borrowings: readers per pair, k or more."""
    per_reader: dict[int, set[int]] = {}
    for reader, record in borrowings:
        per_reader.setdefault(reader, set()).add(record)
    counts: Counter[tuple[int, int]] = Counter()
    for records in per_reader.values():
        for a, b in combinations(sorted(records), 2):
            counts[(a, b)] += 1
            counts[(b, a)] += 1
    return {pair: n for pair, n in counts.items() if n >= k}


def _pairs(library: Library) -> dict[tuple[int, int], int]:
    with library.services.db.read() as conn:
        rows = conn.execute(text("SELECT record_id, other_id, readers FROM recommend_pairs"))
        return {(int(a), int(b)): int(n) for a, b, n in rows}


def test_consent_is_off_by_default_logged_with_its_version_and_feeds_only_while_it_holds(
    library: Library,
) -> None:
    services = library.services
    t1, t2 = library.titles(2, copies=3)
    yes = library.reader("甲", consents=True)
    canary = library.reader("金丝雀", consents=False)
    late = library.reader("乙", consents=True)
    assert not canary.recommend_opt_in
    assert yes.recommend_opt_in
    logged = [
        c for c in services.readers.consents(yes.card_number) if c.purpose != "reading_history"
    ]
    assert [(c.purpose, c.granted) for c in logged] == [("recommendations", True)]
    assert logged[0].notice_version == services.settings.privacy_notice_version
    library.borrow(yes, t1)
    library.borrow(canary, t1)
    library.borrow(canary, t2)
    library.borrow(late, t2)
    # withdrawn between the checkout and the delivery: nothing is kept of it
    services.readers.set_consent(late.card_number, "recommendations", False)
    assert {e["reader_id"] for e in _borrowed_events(library)} == {yes.id, late.id}
    library.deliver()
    assert _borrowings(library) == {(yes.id, t1)}
    assert services.reader_rights.export(yes.card_number)["profile"]["recommendations"] is True


def _canary_library(library: Library) -> tuple[list[Reader], Reader, list[int]]:
    """Six consenting readers and a canary who borrows what would make a pair of k."""
    titles = library.titles(5, copies=2)
    t0, t1, t2, t3, _ = titles
    readers = [library.reader(f"读者{i}", consents=True) for i in range(6)]
    canary = library.reader("金丝雀", consents=False)
    for i, reader in enumerate(readers):
        library.borrow(reader, t0)
        library.borrow(reader, t1)
        if i < 3:
            library.borrow(reader, t2)
    library.borrow(readers[5], t3)  # (t0, t3) has one reader: the canary would make two
    for record in (t0, t1, t3, titles[4]):
        library.borrow(canary, record)
    library.deliver()
    return readers, canary, titles


def test_only_the_borrowings_name_a_reader(library: Library) -> None:
    """The schema as migrated: pairs and models hold no reader; the borrowings do, of
    consenting readers only (the canary test below), and go with the reader (cascade)."""
    schema = inspect(library.services.db.engine)
    personal = ("reader", "card", "patron", "name", "borrower", "user", "email", "phone")
    for table in (t for t in schema.get_table_names() if t.startswith("recommend")):
        columns = [c["name"] for c in schema.get_columns(table)]
        # "readers" is a count (of a pair, of a training), never a reader
        named = [c for c in columns if c != "readers" and any(p in c for p in personal)]
        targets = {fk["referred_table"] for fk in schema.get_foreign_keys(table)}
        if table == "recommend_borrowings":
            assert named == ["reader_id"]
            assert targets == {"readers", "records"}
        else:
            assert not named, (table, columns)
            assert not targets & {"readers", "loans", "holds", "staff"}, (table, targets)


def test_a_reader_who_has_not_consented_is_in_no_input_pair_export_or_recommendation(
    library: Library,
) -> None:
    services = library.services
    readers, canary, titles = _canary_library(library)
    service = library.recommender(k=2)
    done = service.train()
    ids = {r.id for r in readers}
    # model input: the training's matrix and every recommend table with a reader column
    assert set(service.training_input().readers.tolist()) == ids
    for table in metadata.sorted_tables:
        if table.name.startswith("recommend_") and "reader_id" in table.c:
            with services.db.read() as conn:
                found = set(conn.execute(select(table.c.reader_id).distinct()).scalars())
            assert canary.id not in found, table.name
            assert found <= ids, table.name
    assert [e for e in _borrowed_events(library) if e["reader_id"] == canary.id] == []
    # pair counts: exactly the consenting readers' recount (the canary's (t0, t3) absent)
    assert _pairs(library) == _recount(_borrowings(library), 2)
    assert (titles[0], titles[3]) not in _pairs(library)
    assert done.readers == 6
    assert done.pairs == len(_pairs(library))
    # exports: the canary's holds nothing of this domain, the others' only their own
    assert services.reader_rights.export(canary.card_number)["recommendation_borrowings"] == []
    for reader in readers:
        data = services.reader_rights.export(reader.card_number)
        assert canary.card_number not in json.dumps(data, ensure_ascii=False, default=str)
    # recommendations: none for the canary, nothing of the canary's in anyone's
    assert service.for_you(canary.card_number) is None
    for reader in readers:
        for s in service.for_you(reader.card_number) or []:
            assert s.reason == BECAUSE_YOU_BORROWED
            assert (reader.id, s.because) in _borrowings(library)
    also = service.also_borrowed(titles[0])
    assert [(s.record_id, s.reason) for s in also][:1] == [(titles[1], ALSO_BORROWED)]
    assert titles[3] not in {s.record_id for s in also}


def test_withdrawing_hides_for_you_at_once_and_leaves_the_data_at_the_next_training(
    library: Library,
) -> None:
    services = library.services
    readers, _, titles = _canary_library(library)
    service = library.recommender(k=2)
    service.train()
    leaving = readers[0]
    assert service.for_you(leaving.card_number) is not None
    assert _pairs(library)[(titles[0], titles[1])] == 6
    services.readers.set_consent(leaving.card_number, "recommendations", False)
    assert service.for_you(leaving.card_number) is None  # at once, before any training
    done = service.train()
    assert done.forgotten == 3  # t0, t1, t2
    assert leaving.id not in {r for r, _ in _borrowings(library)}
    assert leaving.id not in set(service.training_input().readers.tolist())
    assert _pairs(library)[(titles[0], titles[1])] == 5
    assert _pairs(library) == _recount(_borrowings(library), 2)
    # consenting again starts afresh: nothing of before comes back
    services.readers.set_consent(leaving.card_number, "recommendations", True)
    assert service.for_you(leaving.card_number) == []


def _feed(service: RecommendService, reader: Reader, records: list[int]) -> None:
    for record in records:
        payload = {"reader_id": reader.id, "record_id": record, "day": "2026-11-20"}
        service.handle(Event(0, BORROWED, payload, 0))


def test_planted_co_borrowing_comes_first_and_no_title_on_loan_or_borrowed_is_suggested(
    library: Library,
) -> None:
    rng = random.Random(21)
    titles = library.titles(30)
    a, b, c, d, *rest = titles
    service = library.recommender(k=5)
    readers = [library.reader(f"r{i}", consents=True) for i in range(40)]
    for i, reader in enumerate(readers):
        planted = [a, b] if i < 10 else [c, d] if i < 18 else []
        _feed(service, reader, planted + rng.sample(rest, 3))
    service.train()
    assert [s.record_id for s in service.also_borrowed(a)][:1] == [b]
    assert [s.record_id for s in service.also_borrowed(d)][:1] == [c]
    assert all(n >= 5 for n in _pairs(library).values())
    # "for you": a newcomer who borrowed a gets b, because of a
    newcomer = library.reader("新读者", consents=True)
    _feed(service, newcomer, [a])
    found = service.for_you(newcomer.card_number) or []
    assert b in [s.record_id for s in found][:3]
    assert next(s.because for s in found if s.record_id == b) == a
    assert a not in {s.record_id for s in found}
    # b on loan now (and a borrowed): neither is suggested, the next best are
    library.borrow(newcomer, b, keep=True)
    again = service.for_you(newcomer.card_number) or []
    assert again
    assert not {a, b} & {s.record_id for s in again}


def test_the_scheduler_retrains_and_a_withdrawal_leaves_at_that_training(
    library: Library,
) -> None:
    """The composition root's job ``recommend.train`` (runtime.py) is what retrains: run it
    through the scheduler, as a process would, after a reader withdrew."""
    services = library.services
    readers, _, titles = _canary_library(library)
    services.readers.set_consent(readers[0].card_number, "recommendations", False)
    runtime = Runtime(services)
    job = next(j for j in runtime.jobs() if j.name == "recommend.train")
    assert job.interval_seconds == services.settings.recommend_train_hours * 3600
    assert Scheduler(services.db, services.clock, [job]).run_due() == ["recommend.train"]
    assert readers[0].id not in {r for r, _ in _borrowings(library)}
    with services.db.read() as conn:
        detail = conn.execute(select(job_runs.c.detail)).scalar_one()
    assert "5 readers" in str(detail)
    # k is the analytics setting (5): the pair of t0 and t1 has 5 readers left
    assert _pairs(library) == {(titles[0], titles[1]): 5, (titles[1], titles[0]): 5}


def test_for_everyone_popular_at_my_branch_and_new_in_my_categorys_class_leave_out_mine(
    library: Library,
) -> None:
    """Without consent (k = 5 loans, the setting's default): popular at my home branch this
    month and new arrivals in the class my category borrows most, each with its reason, and
    never a title I have on loan."""
    services = library.services
    popular, other = library.titles(2, copies=2)
    for i in range(5):
        library.borrow(library.reader(f"借{i}", consents=False), popular)
    me = library.reader("我", consents=False)
    services.readers.set_home_branch(me.card_number, "CEN")
    offered = services.recommend.for_reader(me.card_number)
    assert offered.for_you is None
    assert [(s.record_id, s.reason, s.detail) for s in offered.popular] == [
        (popular, POPULAR_AT_BRANCH, "CEN")
    ]
    assert {(s.record_id, s.reason, s.detail) for s in offered.new_in_class} == {
        (popular, NEW_IN_CLASS, "clc:I"),
        (other, NEW_IN_CLASS, "clc:I"),
    }
    library.borrow(me, popular, keep=True)
    again = services.recommend.for_reader(me.card_number)
    assert again.popular == []
    assert [s.record_id for s in again.new_in_class] == [other]
