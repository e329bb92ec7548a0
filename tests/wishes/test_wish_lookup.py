"""The wish form's lookup: our catalogue first, then another library over SRU — a second
Shelfwise library with its own catalogue, serving our SRU server over real HTTP
(interop/sru.py, in-process), asked through the shared SRU client (interop/sru_client.py).
A library that cannot be reached is named with its reason; an ISBN we hold asks no one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shelfwise import app as composition
from shelfwise.catalogue.remote import RemoteResult, Target, TargetKind, Words
from shelfwise.config import Settings
from shelfwise.core import isbn as isbns
from shelfwise.core.clock import FrozenClock
from shelfwise.core.errors import ShelfwiseError
from shelfwise.interop.remote_catalogues import RemoteCatalogues
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.testing.servers import live_server
from web.test_pages import login
from wishes.wish_helpers import WishLibrary

SANTI = "9787536692930"  # both libraries hold it
SPRING = "978061824906" + isbns.isbn13_check_digit("978061824906")  # only the other one


class Counting(RemoteCatalogues):
    """The real remote catalogues, counting the searches they are asked for."""

    asked: int = 0

    def search(self, target: Target, query: str | Words, *, maximum: int = 10) -> RemoteResult:
        self.asked += 1
        return super().search(target, query, maximum=maximum)


def _book(n: int, title: str, author: str, isbn: str) -> Record:
    return Record(
        "00000nam a2200000 a 4500",
        [
            Field("001", data=f"other-{n}"),
            Field("020", "  ", [("a", isbn)]),
            Field("100", "1 ", [("a", author)]),
            Field("245", "10", [("a", title)]),
        ],
    )


@pytest.fixture
def other_sru(tmp_path: Path, clock: FrozenClock) -> Iterator[str]:
    """Another library's SRU address: its catalogue holds both books."""
    settings = Settings.load({"data_dir": tmp_path / "other"}, environ={})
    other = composition.build(settings, clock=clock)
    try:
        path = tmp_path / "other.mrc"
        path.write_bytes(
            encode(_book(1, "Silent spring", "Carson, Rachel", SPRING))
            + encode(_book(2, "三体", "刘慈欣", SANTI))
        )
        other.importer().import_file(path)
        other.search.check()
        with live_server(other) as base:
            yield f"{base}/sru"
    finally:
        other.close()


def _remote(sru: str) -> Counting:
    return Counting(
        [
            Target("other", "南岗区图书馆", TargetKind.SRU, sru),
            Target("down", "Closed library", TargetKind.SRU, "http://127.0.0.1:9/sru"),
            Target("z", "Z39.50 only", TargetKind.Z3950, "127.0.0.1:9/db"),  # not asked
        ]
    )


def test_our_catalogue_first_then_other_libraries_over_sru(
    lib: WishLibrary, other_sru: str
) -> None:
    ours = lib.title("三体", SANTI)
    lib.services.search.check()
    remote = _remote(other_sru)
    lib.services.remote = remote
    lookup = lib.services.wish_lookup()

    spring = lookup.lookup("Silent spring")
    assert [c.record_id for c in spring.ours] == []
    (found,) = spring.elsewhere
    assert (found.title, found.author, found.isbn, found.source) == (
        "Silent spring",
        "Carson, Rachel",
        SPRING,
        "南岗区图书馆",
    )
    (down,) = spring.unreachable
    assert down.startswith("Closed library: ")
    assert remote.asked == 2  # the SRU targets; the Z39.50 one is not asked for a reader

    santi = lookup.lookup("三体")
    assert [c.record_id for c in santi.ours] == [ours]
    assert [c.isbn for c in santi.elsewhere] == []  # their 三体 is the one we hold

    remote.asked = 0
    by_isbn = lookup.lookup("978-7-5366-9293-0")
    assert [(c.record_id, c.title) for c in by_isbn.ours] == [(ours, "三体")]
    assert remote.asked == 0  # we have it: no other library is asked

    with pytest.raises(ShelfwiseError) as slip:
        lookup.lookup("9787536692931")
    assert slip.value.code == "wishes.isbn_check_digit"


def test_the_form_offers_the_hold_and_a_wish_from_another_librarys_record(
    lib: WishLibrary, other_sru: str
) -> None:
    ours = lib.title("三体", SANTI)
    lib.services.search.check()
    lib.services.remote = _remote(other_sru)
    card = lib.services.readers.register(name="读者", category="adult", pin="1234")
    with TestClient(composition.asgi_app(lib.services), follow_redirects=False) as client:
        client.cookies.set("sw_lang", "en")
        login(client, card.reader.card_number)
        page = client.get("/wishes/new", params={"find": "Silent spring"})
        assert page.status_code == 200
        link = f"/wishes/new?q=Silent+spring&amp;author=Carson%2C+Rachel&amp;isbn={SPRING}"
        assert link in page.text
        assert "Could not be asked: Closed library" in page.text
        started = client.get(link.replace("&amp;", "&"))
        assert f'name="isbn" value="{SPRING}"' in started.text
        assert 'name="author" value="Carson, Rachel"' in started.text
        held = client.get("/wishes/new", params={"find": "三体"})
        assert f'href="/record/{ours}"' in held.text
        assert client.get(f"/record/{ours}").status_code == 200
        wrong = client.get("/wishes/new", params={"find": "9787536692931"})
        assert wrong.status_code == 422
        assert 'role="alert"' in wrong.text
