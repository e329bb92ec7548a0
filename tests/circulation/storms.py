"""The concurrency storms D1–D3 of docs/requirements.md, used by the tests and by bench/.

Each storm releases its workers through a barrier, then checks the invariants in
the database itself. A worker is either a thread calling the service or a
thread sending HTTP requests to a live server (``http`` set).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
from circ_helpers import LendingLibrary
from sqlalchemy import text

from shelfwise.circulation.scope import SYSTEM
from shelfwise.core.errors import ShelfwiseError
from shelfwise.testing.access import staff_headers


@dataclass
class StormResult:
    successes: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    errors: list[str] = field(default_factory=list)
    violations: list[str] = field(default_factory=list)


def _run(workers: list[Callable[[], str]]) -> tuple[int, Counter[str], list[str]]:
    """Start every worker at once; each returns 'ok' or a refusal code."""
    barrier = threading.Barrier(len(workers))
    outcomes: list[str] = []
    lock = threading.Lock()

    def body(work: Callable[[], str]) -> None:
        barrier.wait()
        try:
            outcome = work()
        except ShelfwiseError as exc:
            outcome = exc.code
        except Exception as exc:
            outcome = f"error:{type(exc).__name__}:{exc}"
        with lock:
            outcomes.append(outcome)

    threads = [threading.Thread(target=body, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    counts = Counter(outcomes)
    errors = [o for o in outcomes if o.startswith("error:")]
    return counts.pop("ok", 0), counts, errors


def _http_checkout(base: str, card: str, barcode: str, auth: dict[str, str]) -> str:
    response = httpx.post(
        f"{base}/api/v1/checkout",
        json={"card_number": card, "barcode": barcode, "branch": "CEN"},
        headers=auth,
        timeout=60,
    )
    if response.status_code == 201:
        return "ok"
    if response.status_code >= 500:
        return f"error:http {response.status_code}"
    return str(response.json()["error"]["code"])


def _http_checkin(base: str, barcode: str, auth: dict[str, str]) -> str:
    response = httpx.post(
        f"{base}/api/v1/checkin",
        json={"barcode": barcode, "branch": "CEN"},
        headers=auth,
        timeout=60,
    )
    if response.status_code == 200:
        return "ok"
    return f"error:http {response.status_code}"


def _desk_headers(library: LendingLibrary) -> dict[str, str]:
    return staff_headers(library.services, "desk")


def open_loan_violations(library: LendingLibrary) -> list[str]:
    with library.services.db.read() as conn:
        rows = conn.execute(
            text(
                "SELECT item_id, count(*) FROM loans WHERE returned_at IS NULL "
                "GROUP BY item_id HAVING count(*) > 1"
            )
        ).all()
    return [f"item {r[0]} has {r[1]} open loans" for r in rows]


def storm_one_item(
    library: LendingLibrary, readers: list[str], http: str | None = None
) -> StormResult:
    """D1: every reader tries to borrow the same copy at once → exactly one loan."""
    _, (barcode,) = library.same_title("风暴", 1)
    circ = library.services.circulation
    auth = _desk_headers(library) if http is not None else {}

    def worker(card: str) -> Callable[[], str]:
        if http is not None:
            return lambda: _http_checkout(http, card, barcode, auth)
        return lambda: (circ.checkout(card, barcode, "CEN", actor=SYSTEM), "ok")[1]

    ok, refusals, errors = _run([worker(c) for c in readers])
    result = StormResult(ok, refusals, errors, open_loan_violations(library))
    if ok != 1:
        result.violations.append(f"{ok} checkouts succeeded, expected exactly 1")
    circ.checkin(barcode, "CEN", actor=SYSTEM)
    if set(refusals) - {"circ.item_on_loan"}:
        result.violations.append(f"unexpected refusals {dict(refusals)}")
    return result


def storm_limit(
    library: LendingLibrary, card: str, parallel: int, limit: int, http: str | None = None
) -> StormResult:
    """D2: one reader, ``parallel`` different copies at once, against a limit → ≤ limit loans."""
    _, barcodes = library.same_title("限额", parallel)
    circ = library.services.circulation
    auth = _desk_headers(library) if http is not None else {}

    def worker(barcode: str) -> Callable[[], str]:
        if http is not None:
            return lambda: _http_checkout(http, card, barcode, auth)
        return lambda: (circ.checkout(card, barcode, "CEN", actor=SYSTEM), "ok")[1]

    ok, refusals, errors = _run([worker(b) for b in barcodes])
    result = StormResult(ok, refusals, errors, open_loan_violations(library))
    open_now = len(circ.loans_of(card))
    if open_now > limit or ok > limit:
        result.violations.append(f"{open_now} open loans ({ok} granted) against a limit of {limit}")
    if ok != limit:
        result.violations.append(f"{ok} granted; with {parallel} tries exactly {limit} should be")
    # Return them, so the next trial starts from zero loans.
    for loan in circ.loans_of(card):
        circ.checkin(loan.barcode, "CEN", actor=SYSTEM)
    return result


def storm_holds(
    library: LendingLibrary, borrower: str, holders: list[str], copies: int, http: str | None = None
) -> StormResult:
    """D3: ``copies`` copies on loan come back at once while ``holders`` wait → no double traps."""
    record_id, barcodes = library.same_title("预约", copies)
    circ = library.services.circulation
    auth = _desk_headers(library) if http is not None else {}
    for barcode in barcodes:
        circ.checkout(borrower, barcode, "CEN", actor=SYSTEM)
    placed = [circ.place_hold(card, record_id, "CEN", actor=SYSTEM).id for card in holders]

    def worker(barcode: str) -> Callable[[], str]:
        if http is not None:
            return lambda: _http_checkin(http, barcode, auth)
        return lambda: (circ.checkin(barcode, "CEN", actor=SYSTEM), "ok")[1]

    ok, refusals, errors = _run([worker(b) for b in barcodes])
    result = StormResult(ok, refusals, errors, open_loan_violations(library))
    holds = [circ.get_hold(h, actor=SYSTEM) for h in placed]
    trapped = [h for h in holds if h.trapped_item_id is not None]
    items = Counter(h.trapped_item_id for h in trapped)
    if any(n > 1 for n in items.values()):
        result.violations.append(f"an item trapped for several holds: {items}")
    if len(trapped) != min(copies, len(holders)):
        result.violations.append(
            f"{len(trapped)} holds trapped, expected {min(copies, len(holders))}"
        )
    expected_ready = [h.id for h in holds][: min(copies, len(holders))]
    if sorted(h.id for h in trapped) != expected_ready:
        result.violations.append("holds were not trapped in queue order")
    positions = [h.queue_position for h in holds if h.queue_position is not None]
    if sorted(positions) != list(range(1, len(positions) + 1)):
        result.violations.append(f"queue positions not unique and dense: {positions}")
    # Clean up: the holders' holds are cancelled so the next trial starts afresh.
    for h in holds:
        if h.status.value in ("waiting", "in_transit", "ready"):
            circ.cancel_hold(h.id, actor=SYSTEM)
    return result
