"""The OAI-PMH repository identifier is a setting with a valid default (issue 13 item 11).

The oai-identifier scheme (OAI-PMH guidelines, its XML Schema) needs a domain-like
repositoryIdentifier; ``shelfwise`` was not one.  The default now is one, a library
sets its own domain, and a value the scheme refuses stops the server at start with
a message naming the setting.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from lxml import etree
from sickle import Sickle

from shelfwise import app as composition
from shelfwise.config import Settings, SettingsError
from shelfwise.services import Services
from shelfwise.testing.servers import live_server

OAI = "{http://www.openarchives.org/OAI/2.0/}"
IDENT = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"
# The pattern of the oai-identifier XML Schema (repositoryIdentifierType, sampleIdentifierType).
REPOSITORY = r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+"
SAMPLE = r"oai:" + REPOSITORY + r":[a-zA-Z0-9\-_\.!~\*'\(\);/\?:@&=\+$,%]+"


def _identify(services: Services) -> etree._Element:
    client = TestClient(composition.asgi_app(services))
    root = etree.fromstring(client.get("/oai", params={"verb": "Identify"}).content)
    found = root.find(f"{OAI}Identify/{OAI}description/{IDENT}oai-identifier")
    assert found is not None
    return found


def _services(tmp_path: Path, **settings: str) -> Services:
    values: dict[str, object] = {"data_dir": tmp_path / "d", **settings}
    return composition.build(Settings.load(values, environ={}))


def test_the_default_fits_the_oai_identifier_scheme(services: Services, tmp_path: Path) -> None:
    ident = _identify(services)
    repository = ident.findtext(f"{IDENT}repositoryIdentifier") or ""
    assert re.fullmatch(REPOSITORY, repository), repository
    assert re.fullmatch(SAMPLE, ident.findtext(f"{IDENT}sampleIdentifier") or "")
    assert ident.findtext(f"{IDENT}delimiter") == ":"


def test_a_library_names_its_own_domain(tmp_path: Path) -> None:
    services = _services(tmp_path, oai_repository_identifier="lib.harbin-example.cn")
    try:
        ident = _identify(services)
        assert ident.findtext(f"{IDENT}repositoryIdentifier") == "lib.harbin-example.cn"
        assert ident.findtext(f"{IDENT}sampleIdentifier") == "oai:lib.harbin-example.cn:1"
        with live_server(services) as base:
            sickle = Sickle(f"{base}/oai", max_retries=0)
            assert sickle.Identify().repositoryName
    finally:
        services.close()


@pytest.mark.parametrize("bad", ["shelfwise", "lib example.org", "1lib.org", "lib.", "lib..org"])
def test_a_name_the_scheme_refuses_stops_the_start(tmp_path: Path, bad: str) -> None:
    # Refused as the settings are read: no process of this library starts with it.
    with pytest.raises(SettingsError, match="oai_repository_identifier"):
        Settings.load({"oai_repository_identifier": bad}, environ={})
