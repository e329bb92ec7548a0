"""The catalogue's change feed for harvesters (OAI-PMH sets, SRU): each filter of a
ChangeQuery — from, until, language (a MARC code, or any), branch (one, or any) — selects exactly
the records it names."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from shelfwise.catalogue.harvest import ChangeQuery
from shelfwise.catalogue.models import BranchKind
from shelfwise.core.clock import FrozenClock
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services


def _record(control: str, title: str, lang: str | None, branch: str | None) -> bytes:
    fields = [Field("001", data=control), Field("003", data="HARV")]
    if lang:
        fields.append(Field("008", data="190101s2019" + " " * 24 + lang + " d"))
    fields.append(Field("245", "10", [("a", title)]))
    if branch:
        fields.append(Field("852", "  ", [("b", branch), ("p", f"H-{control}")]))
    return encode(Record("00000nam a2200000 a 4500", fields))


def _import(services: Services, tmp_path: Path, name: str, data: bytes) -> int:
    path = tmp_path / f"{name}.mrc"
    path.write_bytes(data)
    assert services.importer().import_file(path).added == 1
    [changed] = services.catalogue.changed_records(ChangeQuery(), limit=1000)[-1:]
    return changed.id


def test_each_filter_selects_what_it_names(
    services: Services, clock: FrozenClock, tmp_path: Path
) -> None:
    # The branches the holdings name: an import creates none.
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    services.catalogue.add_branch(code="EST", kind=BranchKind.BRANCH, name_zh="东区分馆")
    start = clock.now()
    chinese = _import(services, tmp_path, "a", _record("h1", "沈阳历史", "chi", "CEN"))
    clock.advance(timedelta(hours=1))
    english = _import(services, tmp_path, "b", _record("h2", "Mukden history", "eng", "EST"))
    clock.advance(timedelta(hours=1))
    bare = _import(services, tmp_path, "c", _record("h3", "No language, no copy", None, None))

    def ids(query: ChangeQuery) -> set[int]:
        return {r.id for r in services.catalogue.changed_records(query, limit=1000)}

    assert ids(ChangeQuery()) == {chinese, english, bare}
    assert ids(ChangeQuery(until=start + timedelta(minutes=30))) == {chinese}
    assert ids(ChangeQuery(since=start + timedelta(minutes=30))) == {english, bare}
    assert ids(ChangeQuery(since=start, until=start + timedelta(minutes=90))) == {
        chinese,
        english,
    }
    assert ids(ChangeQuery(language="*")) == {chinese, english}
    assert ids(ChangeQuery(language="eng")) == {english}
    assert ids(ChangeQuery(language="chi")) == {chinese}
    assert ids(ChangeQuery(branch="*")) == {chinese, english}
    assert ids(ChangeQuery(branch="EST")) == {english}
    assert ids(ChangeQuery(branch="EST", language="chi")) == set()
    assert ids(ChangeQuery(record_id=bare)) == {bare}
    [held] = services.catalogue.changed_records(ChangeQuery(record_id=english))
    assert held.branches == ("EST",)
    assert held.languages == ("eng",)
