"""Ordinary input that had been answered with a server error (issue 13 item 9).

Each is a client error with a message a person can act on, in the door's own
form: the API's error shape (422), an error page, an OAI-PMH ``badArgument`` or
``idDoesNotExist``, an SRU answer.  OAI-PMH and SRU report such errors inside an
HTTP 200, as their protocols require (OAI-PMH 2.0 3.1.2.1, SRU diagnostics).
"""

from __future__ import annotations

import string
from pathlib import Path

from fastapi.testclient import TestClient
from lxml import etree

from shelfwise import app as composition
from shelfwise.services import Services
from shelfwise.testing.demo import seed_branches
from shelfwise.testing.records import write_records

OAI = "{http://www.openarchives.org/OAI/2.0/}"
HUGE = str(2**63 + 5)
CONTROLS = [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + ["\ufffe"]


def _client(services: Services, tmp_path: Path) -> TestClient:
    seed_branches(services.catalogue)
    path = tmp_path / "records.mrc"
    write_records(path, 30)
    services.importer().import_file(path)
    services.search.check()
    return TestClient(composition.asgi_app(services), raise_server_exceptions=False)


def _oai_error(client: TestClient, params: dict[str, str]) -> str:
    response = client.get("/oai", params=params)
    assert response.status_code == 200, (params, response.text[:300])
    found = etree.fromstring(response.content).find(f"{OAI}error")
    return "" if found is None else str(found.get("code"))


def test_api_and_pages(services: Services, tmp_path: Path) -> None:
    client = _client(services, tmp_path)
    # < and > in autocomplete (they had broken the prefix automaton): every ASCII
    # punctuation character, alone and inside words
    for ch in string.punctuation:
        for q in (ch, f"a{ch}", f"{ch}b", f"li{ch}shi"):
            response = client.get("/api/v1/suggest", params={"q": q})
            assert response.status_code == 200, (q, response.text)
            assert isinstance(response.json(), list)
    assert client.get("/api/v1/suggest", params={"q": "a<b"}).status_code == 200
    # years and decades beyond what a catalogue holds, as filters and in the query
    for name in ("year", "decade"):
        for value in ("99999999999999999999", "-99999999999999999999", "12345"):
            response = client.get("/api/v1/search", params={"q": "history", name: value})
            assert response.status_code == 422, (name, value)
            assert response.json()["error"]["code"] == "request.invalid"
            assert name in response.json()["error"]["message"]
    page = client.get("/search", params={"q": "history", "decade": "99999999999999999999"})
    assert page.status_code == 422
    assert page.headers["content-type"].startswith("text/html")
    for q in ("year:99999999999999999999", "year:-99999999999999999999-5", "year:1990-99999999999"):
        response = client.get("/api/v1/search", params={"q": q})
        assert response.status_code == 200, q
    # a record id above 2^63
    for url in (f"/api/v1/records/{HUGE}", f"/api/v1/records/{HUGE}/marc", f"/record/{HUGE}"):
        response = client.get(url)
        assert response.status_code == 422, url
    assert "record_id" in client.get(f"/api/v1/records/{HUGE}").json()["error"]["message"]


def test_oai_and_sru(services: Services, tmp_path: Path) -> None:
    client = _client(services, tmp_path)
    good = {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:shelfwise.local:1"}
    assert _oai_error(client, good) == ""
    # a control character in any argument, name or value, of every verb
    arguments = [
        {"verb": "Identify"},
        {"verb": "ListMetadataFormats", "identifier": "oai:shelfwise.local:1"},
        {"verb": "ListSets"},
        {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "language:chi"},
        {"verb": "ListRecords", "metadataPrefix": "marc21", "from": "2020-01-01"},
        {"verb": "ListRecords", "resumptionToken": "abc"},
        good,
    ]
    for args in arguments:
        for name in args:
            for control in CONTROLS:
                spoiled = dict(args, **{name: args[name] + control})
                code = _oai_error(client, spoiled)
                expected = "badVerb" if name == "verb" else "badArgument"
                assert code in (expected, "badArgument"), (spoiled, code)
        assert _oai_error(client, dict(args, **{"x\x01": "1"})) == "badArgument"
    # an identifier above 2^63
    assert (
        _oai_error(client, dict(good, identifier=f"oai:shelfwise.local:{HUGE}")) == "idDoesNotExist"
    )
    # SRU: a record id above 2^63 finds nothing
    sru = client.get("/sru", params={"version": "1.2", "query": f"rec.id={HUGE}"})
    assert sru.status_code == 200
    root = etree.fromstring(sru.content)
    assert root.findtext("{http://www.loc.gov/zing/srw/}numberOfRecords") == "0"
