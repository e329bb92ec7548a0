"""Copy cataloguing pages (web/staff/copying.py) on both engines, against a Zebra server
over Z39.50: search, review the record as MARC text, edit its title, save; the record is
in our catalogue with the edited title and none of the other library's copies; asked
again, the page says which record of ours it would join, and saving makes no duplicate.
A wrong line in the text is refused with its line number, nothing saved."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from shelfwise.catalogue.remote import Target, TargetKind
from shelfwise.interop.remote_catalogues import RemoteCatalogues
from shelfwise.services import Services
from shelfwise.testing import tools
from shelfwise.testing.records import write_records
from shelfwise.testing.zebra import ZebraServer, zebra_server
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

from .test_staff_catalogue import sign_in

TEXTAREA = re.compile(r'<textarea id="copy-marc"[^>]*>(.*?)</textarea>', re.S)


@pytest.fixture(scope="module")
def zebra(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ZebraServer]:
    tools.require_tool("yaz-client", "the Debian package yaz")
    work = tmp_path_factory.mktemp("zebra")
    write_records(work / "records.mrc", 60, seed=11)
    with zebra_server(work / "records.mrc", work / "server") as server:
        yield server


def test_copy_a_record_from_zebra_edit_and_save_once(
    client: TestClient, services: Services, zebra: ZebraServer
) -> None:
    services.remote = RemoteCatalogues(
        [Target("zebra", "Zebra", TargetKind.Z3950, zebra.z3950_address)]
    )
    token = sign_in(client, services, "cataloguer")
    assert 'href="/staff/catalogue/copy"' in client.get("/staff/catalogue").text
    found = client.get("/staff/catalogue/copy", params={"target": "zebra", "q": "history"})
    assert found.status_code == 200
    hits = re.findall(r'class="row copy-hit"', found.text)
    assert len(hits) >= 3
    review = client.get(
        "/staff/catalogue/copy/review", params={"target": "zebra", "q": "history", "n": 1}
    )
    assert review.status_code == 200
    assert "No record of ours matches it" in review.text
    text = html.unescape(TEXTAREA.search(review.text).group(1))  # type: ignore[union-attr]
    assert "=852  " not in text  # the other library's copies stay there
    edited = re.sub(r"(=245  ..\$a)", r"\1Copied: ", text, count=1)
    counts = services.catalogue.counts()
    form = {"csrf": token, "target": "zebra", "q": "history", "dialect": "marc21"}
    saved = client.post("/staff/catalogue/copy/save", data={**form, "marc": edited})
    assert saved.status_code == 303
    record_id = int(saved.headers["location"].split("/")[-1].split("?")[0])
    assert saved.headers["location"].endswith("?outcome=added")
    shown = client.get(saved.headers["location"])
    assert 'data-outcome="added"' in shown.text
    assert services.catalogue.get_record(record_id).title.startswith("Copied: ")
    assert services.catalogue.items_of(record_id) == []
    assert services.catalogue.counts()["records"] == counts["records"] + 1
    # the same record asked again: the page names the record it would join
    again = client.get(
        "/staff/catalogue/copy/review", params={"target": "zebra", "q": "history", "n": 1}
    )
    assert f'href="/staff/catalogue/records/{record_id}"' in again.text
    assert "the same source record" in again.text
    resaved = client.post("/staff/catalogue/copy/save", data={**form, "marc": edited})
    assert (
        resaved.headers["location"] == f"/staff/catalogue/copy/saved/{record_id}?outcome=unchanged"
    )
    assert services.catalogue.counts()["records"] == counts["records"] + 1
    # a wrong line: refused with its number, nothing saved
    broken = edited.replace("=245  ", "245 ", 1)
    line = next(i for i, t in enumerate(broken.splitlines(), 1) if t.startswith("245 "))
    refused = client.post("/staff/catalogue/copy/save", data={**form, "marc": broken})
    assert refused.status_code == 422
    assert f"Line {line} must start with =tag" in html.unescape(refused.text)
    assert services.catalogue.counts()["records"] == counts["records"] + 1


def test_a_target_that_does_not_answer_is_said_so(client: TestClient, services: Services) -> None:
    services.remote = RemoteCatalogues(
        [Target("gone", "Gone Library", TargetKind.SRU, "http://127.0.0.1:9/sru")]
    )
    sign_in(client, services, "cataloguer")
    answer = client.get("/staff/catalogue/copy", params={"target": "gone", "q": "history"})
    assert answer.status_code == 502
    assert "Gone Library could not answer the search: cannot connect" in answer.text
    unknown = client.get("/staff/catalogue/copy", params={"target": "nope", "q": "x"})
    assert unknown.status_code == 422
    assert "There is no copy cataloguing target &#39;nope&#39;" in unknown.text
