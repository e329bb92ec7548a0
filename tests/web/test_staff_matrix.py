"""D11 (docs/requirements.md) for the staff client: every ``/staff`` route × {anonymous, a
reader, desk at CEN, desk at NGQ, cataloguer, admin, admin at NGQ}, each with its own browser
(cookies, CSRF token) and a valid request on fresh objects at CEN.

- Allowed: the page (200) or its redirect (303), never an error page or a login.
- Not allowed: anonymous visitors and readers are sent to the staff login; staff without the
  permission, or outside the route's branch scope, get the 403 page.
- Branch scope, stated per route: ``WORKING`` pages act at the browser's working branch; an
  account bound to NGQ whose browser asks for CEN still works at NGQ (the loan, the check-in,
  the hold shelf are NGQ's). ``BRANCH`` routes name the branch and refuse CEN to it.
  ``NETWORK`` says why any branch's staff may; ``UNSCOPED`` needs an account bound to none.
- The routes come from the application: a new ``/staff`` route without a decision fails.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select, text

from shelfwise import app as composition
from shelfwise.access.models import ROLE_PERMISSIONS, Role
from shelfwise.catalogue.models import Lifecycle
from shelfwise.catalogue.remote import RemoteRecord, RemoteResult, Target, TargetKind, Words
from shelfwise.circulation.rules import Hours
from shelfwise.circulation.scope import SYSTEM
from shelfwise.events.models import NewEvent
from shelfwise.marc.description import Dialect
from shelfwise.marc.mnemonic import write_lines
from shelfwise.marc.record import Field, Record
from shelfwise.runtime import Runtime
from shelfwise.services import Services
from shelfwise.storage.tables import branches, holds, loans
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

HOME, OTHER = "CEN", "NGQ"
PASSWORD = "matrix-password"
STAFF: dict[str, tuple[Role, tuple[str, ...]]] = {
    "desk_cen": ("desk", (HOME,)),
    "desk_ngq": ("desk", (OTHER,)),
    "cataloguer": ("cataloguer", ()),
    "admin": ("admin", ()),
    "admin_ngq": ("admin", (OTHER,)),
}
ROLES = ("anonymous", "reader", *STAFF)
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
_n = itertools.count(1)


@dataclass(frozen=True)
class Ask:
    """One request: path parameters, query, form fields, an uploaded file."""

    params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    form: dict[str, Any] | None = None
    file: tuple[str, bytes] | None = None
    fresh_client: bool = False  # a login or logout: in a browser of its own


@dataclass
class World:
    app: FastAPI
    services: Services
    clients: dict[str, TestClient]
    tokens: dict[str, str]
    card: str
    record_id: int
    pool: list[int]
    job: str  # an import job that has finished with a rejects file
    opened: list[TestClient] = field(default_factory=list)

    def copy(self, branch: str) -> str:
        barcode = f"W{next(_n):07d}"
        self.services.catalogue.add_item(
            record_id=self.record_id,
            barcode=barcode,
            branch_code=branch,
            lifecycle=Lifecycle.IN_SERVICE,
        )
        return barcode

    def reader(self) -> str:
        return self.services.readers.register(
            name=f"读者{next(_n)}", category="adult"
        ).reader.card_number

    def loan(self, branch: str, card: str | None = None) -> str:
        barcode = self.copy(branch)
        self.services.circulation.checkout(card or self.reader(), barcode, branch, actor=SYSTEM)
        return barcode

    def branch_id(self, code: str) -> int:
        return next(b.id for b in self.services.catalogue.list_branches() if b.code == code)

    def browser(self) -> TestClient:
        client = TestClient(self.app, follow_redirects=False)
        client.__enter__()
        self.opened.append(client)
        return client


Maker = Callable[[World, str], Ask]  # (world, branch acted at) -> the request
Verify = Callable[[World, str, Any], str | None]  # a complaint, or None


@dataclass(frozen=True)
class Page:
    who: str  # public, staff (any staff member), or a permission
    scope: str | None = None  # WORKING, BRANCH, NETWORK, UNSCOPED for every staff route
    make: Maker = lambda w, at: Ask()
    why: str = ""
    acted_at: Verify | None = None  # WORKING: where the page really acted


WORKING, BRANCH, NETWORK, UNSCOPED = "working", "branch", "network", "unscoped"
ANY_READER = "a reader of the network is served at any desk"
CATALOGUE = "one catalogue for the network: copies are catalogued centrally for every branch"
STORIES = "stories and digital objects are the network's collection, curated for every branch"
READ_RULES = "the rules of every branch are public (GET /api/v1/rules); changing one is scoped"


def _selected(w: World, at: str, response: Any) -> str | None:
    """The page works at branch ``at``."""
    found = re.search(r'<option value="(\w+)" selected>', response.text)
    here = found.group(1) if found else None
    return None if here == at else f"the page works at {here}"


def _loan_branch(w: World, at: str, response: Any) -> str | None:
    with w.services.db.read() as conn:
        branch = conn.execute(
            select(branches.c.code)
            .join(loans, loans.c.branch_id == branches.c.id)
            .order_by(loans.c.id.desc())
            .limit(1)
        ).scalar_one()
    return None if branch == at else f"the checkout was recorded at {branch}"


def _returned_at(w: World, at: str, response: Any) -> str | None:
    with w.services.db.read() as conn:
        branch = conn.execute(
            select(branches.c.code)
            .join(loans, loans.c.returned_branch_id == branches.c.id)
            .order_by(loans.c.returned_at.desc(), loans.c.id.desc())
            .limit(1)
        ).scalar_one()
    return None if branch == at else f"the check-in was recorded at {branch}"


def _hold_pickup(w: World, at: str, response: Any) -> str | None:
    with w.services.db.read() as conn:
        branch = conn.execute(
            select(branches.c.code)
            .join(holds, holds.c.pickup_branch_id == branches.c.id)
            .order_by(holds.c.id.desc())
            .limit(1)
        ).scalar_one()
    return None if branch == at else f"the hold is picked up at {branch}"


def _receipt_branch(w: World, at: str, response: Any) -> str | None:
    found = re.search(r'class="receipt"[^>]* data-branch="(\w+)"', response.text)
    here = found.group(1) if found else None
    return None if here == at else f"the receipt is from {here}"


def _deposit(w: World, at: str) -> Ask:
    card = w.reader()
    held = w.services.deposits.take(card, 5000, "cash")
    return Ask({"deposit_id": str(held.id)}, form={"card": card})


def _fee(w: World, at: str) -> Ask:
    fee = w.services.fees.charge(w.card, "manual", 100, "matrix")
    return Ask({"fee_id": str(fee.id), "action": "pay"}, form={"card": w.card, "amount": "1.00"})


def _rule(w: World, at: str) -> Ask:
    rule = w.services.loan_rules.set_rule(
        reader_category=None, item_type=f"t{next(_n)}", branch=at, values={}, actor=SYSTEM
    )
    return Ask({"rule_id": str(rule.id)}, form={})


def _token(w: World, at: str) -> Ask:
    w.services.access.issue_api_token("matrix-target", "to revoke", days=1)
    return Ask({"token_id": str(w.services.access.api_tokens()[-1].id)}, form={})


def _kiosk(w: World, at: str) -> str:
    name = f"kiosk-{next(_n)}"
    w.services.terminals.create(name=name, password="kiosk-password", branch=at, institution="SW")
    return name


def _alert(w: World, at: str) -> Ask:
    w.services.terminals.alert(
        {"kind": "login_backoff", "subject": f"sip2-ip:10.0.0.{next(_n) % 250}"}
    )
    Runtime(w.services).outbox_relay().drain(max_rounds=5)
    return Ask({"alert_id": str(w.services.kiosk_alerts.recent(1)[0].id)}, form={})


def _login(w: World, at: str) -> Ask:
    return Ask(
        form={"username": "matrix-target", "password": PASSWORD, "next": "/staff"},
        fresh_client=True,
    )


def _merge(w: World, at: str) -> Ask:
    survivor, duplicate = w.pool.pop(), w.pool.pop()
    return Ask({"record_id": str(survivor)}, form={"duplicate": str(duplicate)})


def _story(w: World, at: str) -> str:
    from shelfwise.stories import documents

    document = documents.from_data({"title": {"zh": f"故事{next(_n)}"}})
    return str(w.services.stories.create(f"matrix-{next(_n)}", document, "matrix").id)


def _picture(w: World, at: str) -> Ask:
    from io import BytesIO

    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (40, 30), (next(_n) % 256, 90, 30)).save(out, "PNG")
    rights = "http://rightsstatements.org/vocab/InC/1.0/"
    return Ask(form={"rights": rights, "alt_zh": "图"}, file=("matrix.png", out.getvalue()))


def _marc(w: World, at: str) -> Ask:
    return Ask(form={}, file=("one.mrc", _one_record()))


def _saved_version(w: World) -> int:
    """A version of the matrix record saved through the editor's service (as is)."""
    from shelfwise.catalogue.models import Cataloguer

    catalogue = w.services.catalogue
    return catalogue.save_marc(
        w.record_id,
        catalogue.get_marc(w.record_id),
        expected_version=catalogue.record_version(w.record_id),
        by=Cataloguer(0, "matrix"),
    ).version


def _item_form(w: World, at: str) -> Ask:
    barcode = w.copy(at)
    item = w.services.catalogue.get_item(barcode)
    return Ask(
        {"barcode": barcode},
        form={"version": str(item.version), "call_number": "I247/9", "where": f"{at}/"},
    )


def _restore(w: World, at: str) -> Ask:
    version = _saved_version(w)
    current = w.services.catalogue.record_version(w.record_id)
    return Ask(
        {"record_id": str(w.record_id), "version": str(version)}, form={"version": str(current)}
    )


# --- copy cataloguing (issue 20) ----------------------------------------------------------------


class _Remote:
    """A remote catalogue that answers at once (the matrix is about who may, not protocols;
    tests/web/test_staff_copying.py asks a real Zebra server)."""

    target_ = Target("fake", "Fake", TargetKind.SRU, "http://fake.example/sru")

    def targets(self) -> list[Target]:
        return [self.target_]

    def target(self, key: str) -> Target | None:
        return self.target_ if key == "fake" else None

    def search(self, target: Target, query: str | Words, *, maximum: int = 10) -> RemoteResult:
        record = RemoteRecord(1, _copied_record(), Dialect.MARC21)
        return RemoteResult(target, str(query), 1, [record])


def _copied_record() -> Record:
    n = next(_n)
    return Record(
        "00000nam a2200000 a 4500",
        [Field("001", data=f"copy-matrix-{n}"), Field("245", "10", [("a", f"复制 {n}")])],
    )


def _copy_save(w: World, at: str) -> Ask:
    form = {"target": "fake", "q": "x", "dialect": "marc21"}
    return Ask(form=form | {"marc": write_lines(_copied_record())})


def _staging(w: World, *, applied: bool = False) -> str:
    """A fresh staged import of one record (applied if asked), for the review routes."""
    path = w.services.settings.data_dir / f"staged-{next(_n)}.mrc"
    path.write_bytes(_one_record())
    staging = w.services.staging()
    staging_id = staging.stage(path, path.name)
    if applied:
        staging.apply(staging_id)
    return str(staging_id)


STAGED_PAGES = {
    ("GET", "/staff/catalogue/staged"): Page("catalogue.write", NETWORK, why=CATALOGUE),
    ("GET", "/staff/catalogue/staged/{staging_id}"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"staging_id": _staging(w)}),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/staged/{staging_id}/apply"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"staging_id": _staging(w)}, form={"part": "kinds"}),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/staged/{staging_id}/undo"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"staging_id": _staging(w, applied=True)}, form={}),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/staged/{staging_id}/discard"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"staging_id": _staging(w)}, form={}),
        why=CATALOGUE,
    ),
}

_COPY_QUERY = {"target": "fake", "q": "x"}
COPY_PAGES = {
    ("GET", "/staff/catalogue/copy"): Page(
        "catalogue.write", NETWORK, lambda w, at: Ask(query=_COPY_QUERY), why=CATALOGUE
    ),
    ("GET", "/staff/catalogue/copy/review"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(query=_COPY_QUERY | {"n": "1"}),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/copy/save"): Page(
        "catalogue.write", NETWORK, _copy_save, why=CATALOGUE
    ),
    ("GET", "/staff/catalogue/copy/saved/{record_id}"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"record_id": str(w.record_id)}),
        why=CATALOGUE,
    ),
}


# --- seats, rooms and events (issue 19) ------------------------------------------------------


def _room(w: World, at: str) -> str:
    return str(next(r.id for r in w.services.rooms.rooms(at) if r.code == "MX"))


def _event(w: World, at: str) -> str:
    now = w.services.clock.now()
    new = NewEvent(
        branch=at,
        kind="lecture",
        title=f"矩阵 {next(_n)}",
        starts_at=now + timedelta(days=2),
        ends_at=now + timedelta(days=2, hours=1),
        capacity=20,
        registration_opens_at=now - timedelta(hours=1),
        registration_closes_at=now + timedelta(days=2),
    )
    return str(w.services.events.create(new, actor=SYSTEM).id)


def _spaces(services: Services) -> None:
    """Hours at both branches of the matrix (not Mondays: a calendar route closes them) and a
    room at each."""
    for code in (HOME, OTHER):
        services.calendars.set_hours(
            code,
            weekly_hours={d: [Hours(8 * 60, 22 * 60)] for d in range(1, 7)},
            special_hours={},
            actor=SYSTEM,
        )
        services.rooms.create_room(
            code, code="MX", name="矩阵", kind="reading", grid="SSSS\nSSSS", actor=SYSTEM
        )


SPACE_PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/staff/spaces"): Page(
        "circulation.desk", BRANCH, lambda w, at: Ask(query={"branch": at})
    ),
    ("POST", "/staff/spaces/rooms"): Page(
        "circulation.rules",
        BRANCH,
        lambda w, at: Ask(
            form={"branch": at, "code": f"N{next(_n)}", "name": "新", "kind": "study", "grid": "R"}
        ),
    ),
    ("GET", "/staff/spaces/rooms/{room_id}"): Page(
        "circulation.rules", BRANCH, lambda w, at: Ask({"room_id": _room(w, at)})
    ),
    ("POST", "/staff/spaces/rooms/{room_id}"): Page(
        "circulation.rules",
        BRANCH,
        lambda w, at: Ask(
            {"room_id": _room(w, at)},
            form={"name": "矩阵", "kind": "reading", "enabled": "yes", "grid": "SSSS\nSSSS"},
        ),
    ),
    ("POST", "/staff/spaces/rules"): Page(
        "circulation.rules",
        UNSCOPED,
        lambda w, at: Ask(
            form={"category": "*", "minutes_per_day": "240", "days_ahead": "7", "at_once": "2"}
        ),
    ),
    ("POST", "/staff/events"): Page(
        "circulation.rules",
        BRANCH,
        lambda w, at: Ask(
            form={
                "branch": at,
                "title": "读书会",
                "kind": "club",
                "starts_at": "2026-09-05T14:00",
                "minutes": "90",
                "capacity": "20",
            }
        ),
    ),
    ("GET", "/staff/events/{event_id}"): Page(
        "circulation.desk", BRANCH, lambda w, at: Ask({"event_id": _event(w, at)})
    ),
    ("POST", "/staff/events/{event_id}/cancel"): Page(
        "circulation.rules", BRANCH, lambda w, at: Ask({"event_id": _event(w, at)}, form={})
    ),
}


def _wish(w: World, at: str) -> str:
    from shelfwise.circulation.scope import reader_self
    from shelfwise.wishes.models import WishDraft, WishKind

    draft = WishDraft(WishKind.EVENT, f"矩阵愿望 {next(_n)}", "匿名", branch=at)
    return str(w.services.wishes.post(draft, actor=reader_self(w.reader())).id)


WISH_PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/staff/wishes"): Page(
        "circulation.desk", BRANCH, lambda w, at: Ask(query={"branch": at})
    ),
    ("POST", "/staff/wishes/{wish_id}/{action}"): Page(
        "circulation.desk",
        BRANCH,
        lambda w, at: Ask({"wish_id": _wish(w, at), "action": "answer"}, form={"note": "好"}),
    ),
}


def _book_wish(w: World, at: str) -> str:
    from shelfwise.circulation.scope import reader_self
    from shelfwise.wishes.models import WishDraft, WishKind

    draft = WishDraft(WishKind.BOOK, f"矩阵之书 {next(_n)}", "匿名", branch=at)
    return str(w.services.wishes.post(draft, actor=reader_self(w.reader())).id)


def _buying(w: World, at: str) -> None:
    """A vendor, and a fund at ``at`` with money for every order of the matrix."""
    acq = w.services.acquisitions
    acq.save_vendor("MX", "矩阵书店", actor=SYSTEM)
    acq.save_fund(f"F{at}", w.services.clock.today().year, at, "矩阵", 10**9, actor=SYSTEM)


def _on_order(w: World, at: str) -> str:
    """A fresh copy on order for ``at``: its barcode."""
    from shelfwise.acquisitions.models import LineDraft

    _buying(w, at)
    draft = LineDraft(f"F{at}", at, 100, record_id=w.record_id)
    (line,) = w.services.acquisitions.order("MX", [draft], actor=SYSTEM, by="matrix").lines
    return line.barcodes[0]


def _received(w: World, at: str) -> str:
    barcode = _on_order(w, at)
    w.services.acquisitions.receive(barcode, at, actor=SYSTEM)
    return barcode


def _order(w: World, at: str) -> Ask:
    _buying(w, at)
    form = {"wish": _book_wish(w, at), "branch": at, "vendor": "MX", "fund": f"F{at}"}
    return Ask(form=form | {"price": "12.50", "quantity": "1"})


ACQUISITION_PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/staff/acquisitions"): Page(
        "catalogue.write", BRANCH, lambda w, at: Ask(query={"branch": at})
    ),
    ("GET", "/staff/acquisitions/order"): Page(
        "catalogue.write", BRANCH, lambda w, at: Ask(query={"wish": _book_wish(w, at)})
    ),
    ("POST", "/staff/acquisitions/order"): Page("catalogue.write", BRANCH, _order),
    ("GET", "/staff/acquisitions/receive"): Page(
        "catalogue.write", BRANCH, lambda w, at: Ask(query={"branch": at})
    ),
    ("POST", "/staff/acquisitions/receive"): Page(
        "catalogue.write",
        BRANCH,
        lambda w, at: Ask(form={"branch": at, "scanned": _on_order(w, at), "shelve": "1"}),
    ),
    ("POST", "/staff/acquisitions/shelve"): Page(
        "catalogue.write",
        BRANCH,
        lambda w, at: Ask(form={"branch": at, "barcode": _received(w, at)}),
    ),
}


# The dashboards (issue 21): an administrator bound to a branch sees that branch's figures.
DASHBOARD_PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/staff/dashboards"): Page(
        "analytics.read", BRANCH, lambda w, at: Ask(query={"branch": at, "view": "collection"})
    ),
    ("GET", "/staff/dashboards/big-screen"): Page(
        "analytics.read", BRANCH, lambda w, at: Ask(query={"branch": at})
    ),
    ("GET", "/staff/dashboards/{chart}.{kind}"): Page(
        "analytics.read",
        BRANCH,
        lambda w, at: Ask({"chart": "by_branch", "kind": "csv"}, query={"branch": at}),
    ),
}


PAGES: dict[tuple[str, str], Page] = {
    ("GET", "/staff/login"): Page("public"),
    ("POST", "/staff/login"): Page("public", make=_login),
    ("POST", "/staff/logout"): Page("public", make=lambda w, at: Ask(form={}, fresh_client=True)),
    ("GET", "/staff"): Page("staff", NETWORK, why="the staff home lists what the role may use"),
    ("GET", "/staff/"): Page("staff", NETWORK, why="the address the README prints: the home"),
    ("GET", "/staff/search"): Page(
        "staff",
        NETWORK,
        lambda w, at: Ask(query={"q": w.card}),
        why="one catalogue and readers of the network; readers only with readers.read",
    ),
    ("GET", "/staff/branch"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(query={"code": at, "next": "/staff/desk"}),
        acted_at=lambda w, at, r: (
            None
            if f"sw_branch={at}" in r.headers.get("set-cookie", "")
            else "the working branch cookie is not the account's"
        ),
    ),
    ("GET", "/staff/desk"): Page(
        "circulation.desk", WORKING, lambda w, at: Ask(query={"card": w.card}), acted_at=_selected
    ),
    ("POST", "/staff/desk/checkout"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(form={"card": w.reader(), "barcode": w.copy(HOME)}),
        acted_at=_loan_branch,
    ),
    ("POST", "/staff/desk/renew"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(form={"card": w.card, "barcode": w.loan(HOME, w.card)}),
        acted_at=_selected,
    ),
    ("POST", "/staff/desk/renew-all"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(form={"card": w.card}),
        acted_at=_selected,
    ),
    ("POST", "/staff/desk/deposit"): Page(
        "circulation.fees",
        NETWORK,
        lambda w, at: Ask(form={"card": w.reader(), "amount": "100", "method": "cash"}),
        why="a reader pays a deposit at any desk, as fees",
    ),
    ("POST", "/staff/desk/hold"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(form={"card": w.reader(), "title": w.copy(HOME)}),
        acted_at=_hold_pickup,
    ),
    ("GET", "/staff/checkin"): Page("circulation.desk", WORKING, acted_at=_selected),
    ("POST", "/staff/checkin"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(form={"barcode": w.loan(HOME)}),
        acted_at=_returned_at,
    ),
    ("GET", "/staff/desk/receipt"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(query={"card": w.card}),
        acted_at=_receipt_branch,
    ),
    ("POST", "/staff/checkin/receipt"): Page(
        "circulation.desk",
        WORKING,
        lambda w, at: Ask(form={"session": '[{"barcode":"X1","title":"T","kind":"shelf"}]'}),
        acted_at=_receipt_branch,
    ),
    ("GET", "/staff/holds"): Page("circulation.desk", WORKING, acted_at=_selected),
    ("GET", "/staff/readers/new"): Page("readers.write", NETWORK, why=ANY_READER),
    ("POST", "/staff/readers/new"): Page(
        "readers.write",
        NETWORK,
        lambda w, at: Ask(form={"name": "新读者", "category": "adult", "home_branch": at}),
        why=ANY_READER,
    ),
    ("GET", "/staff/readers/{card}"): Page(
        "readers.read", NETWORK, lambda w, at: Ask({"card": w.card}), why=ANY_READER
    ),
    ("POST", "/staff/readers/{card}/{action}"): Page(
        "readers.write",
        NETWORK,
        lambda w, at: Ask({"card": w.reader(), "action": "block"}, form={"reason": "矩阵"}),
        why=ANY_READER,
    ),
    ("POST", "/staff/desk/deposits/{deposit_id}/refund"): Page(
        "circulation.fees", NETWORK, _deposit, why="a reader settles deposits at any desk"
    ),
    ("POST", "/staff/fees/{fee_id}/{action}"): Page(
        "circulation.fees", NETWORK, _fee, why="a reader settles fees at any desk"
    ),
    ("GET", "/staff/admin"): Page("access.admin", UNSCOPED),
    ("GET", "/staff/admin/branches"): Page("access.admin", UNSCOPED),
    ("POST", "/staff/admin/branches/{branch}/locations"): Page(
        "access.admin",
        UNSCOPED,
        lambda w, at: Ask(
            {"branch": at}, form={"code": f"{at}-M{next(_n)}", "name": "矩阵区", "kind": "stacks"}
        ),
    ),
    ("POST", "/staff/admin/staff"): Page(
        "access.admin",
        UNSCOPED,
        lambda w, at: Ask(
            form={
                "username": f"made-{next(_n)}",
                "name": "新馆员",
                "password": PASSWORD,
                "role": "desk",
                "branches": [at],
            }
        ),
    ),
    ("POST", "/staff/admin/staff/{username}/{action}"): Page(
        "access.admin",
        UNSCOPED,
        lambda w, at: Ask({"username": "matrix-target", "action": "enable"}, form={}),
    ),
    ("POST", "/staff/admin/tokens"): Page(
        "access.admin",
        UNSCOPED,
        lambda w, at: Ask(form={"username": "matrix-target", "label": "matrix", "days": "1"}),
    ),
    ("POST", "/staff/admin/tokens/{token_id}/revoke"): Page("access.admin", UNSCOPED, _token),
    ("POST", "/staff/admin/terminals/{name}/{action}"): Page(
        "access.admin",
        UNSCOPED,
        lambda w, at: Ask({"name": _kiosk(w, at), "action": "disable"}, form={}),
    ),
    ("POST", "/staff/admin/alerts/{alert_id}/acknowledge"): Page("access.admin", UNSCOPED, _alert),
    # Notice templates hold for every branch: an administrator bound to none.
    ("GET", "/staff/admin/notices"): Page("access.admin", UNSCOPED),
    ("POST", "/staff/admin/notices/{kind}/{language}"): Page(
        "access.admin",
        UNSCOPED,
        lambda w, at: Ask(
            {"kind": "overdue", "language": "en"},
            form={"action": "save", "subject": "Overdue", "body": "'{title}' was due {due_on}"},
        ),
    ),
    ("POST", "/staff/admin/notices/{kind}/{language}/reset"): Page(
        "access.admin", UNSCOPED, lambda w, at: Ask({"kind": "overdue", "language": "en"}, form={})
    ),
    ("GET", "/staff/rules"): Page("circulation.rules", NETWORK, why=READ_RULES),
    ("POST", "/staff/rules"): Page(
        "circulation.rules",
        BRANCH,
        lambda w, at: Ask(form={"branch": at, "item_type": "dvd", "loan_days": "7"}),
    ),
    ("POST", "/staff/rules/{rule_id}/delete"): Page("circulation.rules", BRANCH, _rule),
    ("POST", "/staff/calendars/{branch}"): Page(
        "circulation.rules", BRANCH, lambda w, at: Ask({"branch": at}, form={"weekday": "0"})
    ),
    ("POST", "/staff/calendars/{branch}/hours"): Page(
        "circulation.rules",
        BRANCH,
        lambda w, at: Ask({"branch": at}, form={"hours": "2 09:00-12:00 13:30-21:00"}),
    ),
    ("GET", "/staff/catalogue"): Page("catalogue.write", NETWORK, why=CATALOGUE),
    ("POST", "/staff/catalogue/import"): Page("catalogue.write", NETWORK, _marc, why=CATALOGUE),
    ("GET", "/staff/catalogue/import/{job_id}.json"): Page(
        "catalogue.write", NETWORK, lambda w, at: Ask({"job_id": w.job}), why=CATALOGUE
    ),
    ("GET", "/staff/catalogue/import/{job_id}"): Page(
        "catalogue.write", NETWORK, lambda w, at: Ask({"job_id": w.job}), why=CATALOGUE
    ),
    ("GET", "/staff/catalogue/import/{job_id}/rejects"): Page(
        "catalogue.write", NETWORK, lambda w, at: Ask({"job_id": w.job}), why=CATALOGUE
    ),
    ("GET", "/staff/catalogue/records"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(query={"id": str(w.record_id)}),
        why=CATALOGUE,
    ),
    ("GET", "/staff/catalogue/records/{record_id}"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"record_id": str(w.record_id)}),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/records/{record_id}/items"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(
            {"record_id": str(w.record_id)},
            form={"barcode": f"N{next(_n):07d}", "branch": at, "call_number": "I247/1"},
        ),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/records/{record_id}/merge"): Page(
        "catalogue.write", NETWORK, _merge, why=CATALOGUE
    ),
    ("GET", "/staff/catalogue/items"): Page("catalogue.write", NETWORK, why=CATALOGUE),
    ("POST", "/staff/catalogue/items/bulk"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(form={"barcodes": w.copy(at), "item_type": "reference"}),
        why=CATALOGUE,
    ),
    ("GET", "/staff/catalogue/items/{barcode}"): Page(
        "catalogue.write", NETWORK, lambda w, at: Ask({"barcode": w.copy(at)}), why=CATALOGUE
    ),
    ("POST", "/staff/catalogue/items/{barcode}"): Page(
        "catalogue.write", NETWORK, _item_form, why=CATALOGUE
    ),
    ("GET", "/staff/catalogue/labels"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(query={"barcode": w.copy(at)}),
        why=CATALOGUE,
    ),
    ("GET", "/staff/catalogue/records/{record_id}/marc"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"record_id": str(w.record_id)}),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/records/{record_id}/marc"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(
            {"record_id": str(w.record_id)},
            form={"op": "check", "count": "0", "leader": "00000nam a2200000 a 4500"},
        ),
        why=CATALOGUE,
    ),
    ("GET", "/staff/catalogue/records/{record_id}/versions/{version}"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"record_id": str(w.record_id), "version": str(_saved_version(w))}),
        why=CATALOGUE,
    ),
    ("POST", "/staff/catalogue/records/{record_id}/versions/{version}/restore"): Page(
        "catalogue.write", NETWORK, _restore, why=CATALOGUE
    ),
    **COPY_PAGES,
    **STAGED_PAGES,
    ("GET", "/staff/stories"): Page("catalogue.write", NETWORK, why=STORIES),
    ("POST", "/staff/stories"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(form={"slug": f"made-{next(_n)}", "title_zh": "新故事"}),
        why=STORIES,
    ),
    ("GET", "/staff/stories/{story_id}"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"story_id": _story(w, at)}, query={"find": "the"}),
        why=STORIES,
    ),
    ("POST", "/staff/stories/{story_id}"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask(
            {"story_id": _story(w, at)},
            form={"title_en": "Edited", "count": "0", "s0_kind": "text", "s0_text_en": "Hi"},
        ),
        why=STORIES,
    ),
    ("POST", "/staff/stories/{story_id}/{action}"): Page(
        "catalogue.write",
        NETWORK,
        lambda w, at: Ask({"story_id": _story(w, at), "action": "submit"}, form={}),
        why=STORIES,
    ),
    ("POST", "/staff/media"): Page("catalogue.write", NETWORK, _picture, why=STORIES),
    **SPACE_PAGES,
    **WISH_PAGES,
    **DASHBOARD_PAGES,
    **ACQUISITION_PAGES,
}


def expected(page: Page, role: str, at: str) -> str:
    """``ok``, ``login`` (sent to the staff login) or ``403`` for ``role`` at branch ``at``."""
    if page.who == "public":
        return "ok"
    if role not in STAFF:
        return "login"
    kind, bound = STAFF[role]
    if page.who != "staff" and page.who not in ROLE_PERMISSIONS[kind]:
        return "403"
    if not bound or page.scope in (NETWORK, WORKING):
        return "ok"
    if page.scope == UNSCOPED:
        return "403"
    return "ok" if at in bound else "403"


def _one_record(bad: bool = False) -> bytes:
    from shelfwise.marc.iso2709 import encode

    n = next(_n)
    record = Record(
        "00000nam a2200000 a 4500",
        [Field("001", data=f"web-matrix-{n}"), Field("245", "10", [("a", f"上传 {n}")])],
    )
    return encode(record) + (b"99999this is not a MARC record\x1d" if bad else b"")


@pytest.fixture
def world(services: Services, tmp_path: Path) -> Iterator[World]:
    seed_branches(services.catalogue)
    services.remote = _Remote()
    path = tmp_path / "pool.mrc"
    write_records(path, 24)
    services.importer().import_file(path)
    with services.db.read() as conn:
        ids = [int(i) for i in conn.execute(text("SELECT id FROM records ORDER BY id")).scalars()]
    card = services.readers.register(name="甲", category="adult", pin="1111").reader.card_number
    services.loan_rules.set_rule(
        reader_category=None, item_type=None, branch=None, values={"loan_limit": 1000}, actor=SYSTEM
    )
    for role, (kind, bound) in STAFF.items():
        services.access.create_staff(f"m-{role.replace('_', '-')}", role, PASSWORD, kind, bound)
    services.access.create_staff("matrix-target", "Target", PASSWORD, "desk")
    _spaces(services)
    app = composition.asgi_app(services)
    w = World(app, services, {}, {}, card, ids[0], ids[1:], "")
    for role in ROLES:
        client = w.browser()
        w.tokens[role] = _csrf(client)
        if role == "reader":
            _post(client, "/login", {"card": card, "secret": "1111", "csrf": w.tokens[role]})
        elif role in STAFF:
            login = {"username": f"m-{role.replace('_', '-')}", "password": PASSWORD}
            _post(client, "/staff/login", login | {"csrf": w.tokens[role]})
        w.clients[role] = client
    w.job = _finished_job(w)
    try:
        yield w
    finally:
        for client in w.opened:
            client.__exit__(None, None, None)


def _csrf(client: TestClient) -> str:
    found = CSRF.search(client.get("/staff/login").text)
    assert found
    return found.group(1)


def _post(client: TestClient, path: str, form: dict[str, str]) -> None:
    done = client.post(path, data=form)
    assert done.status_code == 303, done.text[-300:]


def _finished_job(w: World) -> str:
    admin = w.clients["admin"]
    files = {"file": ("bad.mrc", _one_record(bad=True), "application/marc")}
    started = admin.post("/staff/catalogue/import", data={"csrf": w.tokens["admin"]}, files=files)
    job = started.headers["location"].rsplit("/", 1)[-1]
    deadline = time.monotonic() + 60
    while not admin.get(f"/staff/catalogue/import/{job}.json").json()["done"]:
        assert time.monotonic() < deadline, "the import did not finish"
        time.sleep(0.05)
    return job


def _send(w: World, method: str, path: str, role: str, ask: Ask, at: str) -> Any:
    client = w.browser() if ask.fresh_client else w.clients[role]
    token = _csrf(client) if ask.fresh_client else w.tokens[role]
    client.cookies.set("sw_branch", at)
    url = re.sub(r"\{(\w+)\}", lambda m: ask.params[m.group(1)], path)
    if method == "GET":
        return client.get(url, params=ask.query)
    files = None if ask.file is None else {"file": (*ask.file, "application/marc")}
    return client.post(url, params=ask.query, data=(ask.form or {}) | {"csrf": token}, files=files)


def _outcome(response: Any, page: Page) -> str:
    location = response.headers.get("location", "")
    if response.status_code == 303 and page.who == "public":
        return "ok"  # a login or logout lands where it sends the browser
    if response.status_code == 303 and location.startswith("/staff/login"):
        return "login"
    if response.status_code in (200, 303):
        return "ok"
    return str(response.status_code)


def _staff_routes(app: FastAPI) -> set[tuple[str, str]]:
    return {
        (method, path)
        for path, methods in _walk(app.routes)
        if path.startswith("/staff")
        for method in methods
        if method != "HEAD"
    }


def _walk(routes: list[Any]) -> Iterator[tuple[str, set[str]]]:
    """(path, methods) of every route. Recent FastAPI keeps an included router as one node
    whose routes it resolves on demand; older versions copy them into ``app.routes``."""
    for route in routes:
        contexts = getattr(route, "effective_route_contexts", None)
        if contexts is not None:
            for context in contexts():
                yield context.path, set(context.methods or ())
        elif isinstance(route, APIRoute):
            yield route.path, set(route.methods or ())


def test_every_staff_route_has_a_decision_and_a_branch_scope(world: World) -> None:
    routes = _staff_routes(world.app)
    assert routes - set(PAGES) == set(), "staff routes without an authorization decision"
    assert set(PAGES) - routes == set(), "decisions for staff routes that no longer exist"
    silent = [
        f"{m} {p}" for (m, p), page in PAGES.items() if page.who != "public" and not page.scope
    ]
    assert silent == [], "staff routes that do not state their branch scope"
    unexplained = [f"{m} {p}" for (m, p), g in PAGES.items() if g.scope == NETWORK and not g.why]
    assert unexplained == []
    unverified = [
        f"{m} {p}" for (m, p), g in PAGES.items() if g.scope == WORKING and not g.acted_at
    ]
    assert unverified == [], "working-branch pages without a check of where they acted"


def test_every_role_on_every_staff_route(world: World) -> None:
    wrong: list[str] = []
    for (method, path), page in PAGES.items():
        for role in ROLES:
            want = expected(page, role, HOME)
            response = _send(world, method, path, role, page.make(world, HOME), HOME)
            got = _outcome(response, page)
            if got != want:
                wrong.append(f"{role} {method} {path}: {got}, expected {want}")
    assert wrong == []


def test_accounts_bound_to_ngq_at_cen_on_every_staff_route(world: World) -> None:
    """The branch column: refused on BRANCH and UNSCOPED routes, served on NETWORK ones, and on
    WORKING pages served at NGQ even when the browser asks for CEN."""
    wrong: list[str] = []
    for (method, path), page in PAGES.items():
        if page.scope is None:
            continue
        for role in ("desk_ngq", "admin_ngq"):
            kind, _ = STAFF[role]
            if page.who not in ("staff", *ROLE_PERMISSIONS[kind]):
                continue
            response = _send(world, method, path, role, page.make(world, HOME), HOME)
            want = expected(page, role, HOME)
            if _outcome(response, page) != want:
                wrong.append(f"{role} at {HOME}: {method} {path} -> {_outcome(response, page)}")
            if page.acted_at is not None and want == "ok":
                complaint = page.acted_at(world, OTHER, response)
                if complaint:
                    wrong.append(f"{role} {method} {path}: {complaint}")
            if page.scope == BRANCH:
                own = _send(world, method, path, role, page.make(world, OTHER), OTHER)
                if _outcome(own, page) != "ok":
                    wrong.append(f"{role} at {OTHER}: {method} {path} -> {_outcome(own, page)}")
    assert wrong == []
