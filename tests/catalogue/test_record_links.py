"""The reader's record page lists a record's electronic locations (856, issue 20
done-when 1): http and https addresses only, with their words ($y, UNIMARC $2, else $3,
else the host) and note ($z); the page links with rel=noopener. Both engines for the
page; the address rule also as a property over any text."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st

from shelfwise import app as composition
from shelfwise.catalogue.display import links_of, safe_url
from shelfwise.catalogue.models import BranchKind, Cataloguer, OnlineLink
from shelfwise.marc.description import Dialect
from shelfwise.marc.iso2709 import encode
from shelfwise.marc.record import Field, Record
from shelfwise.services import Services

LEADER = "00000nam a2200000 a 4500"


def _856(*subfields: tuple[str, str]) -> Field:
    return Field("856", "40", list(subfields))


def test_only_http_and_https_addresses_become_links() -> None:
    marc = Record(
        LEADER,
        [
            _856(("u", "https://example.org/a"), ("y", "全文"), ("z", "馆内免费")),
            _856(("3", "Table of contents"), ("u", "http://example.org/toc")),
            _856(("u", "HTTPS://Example.org/upper")),
            _856(("u", "javascript:alert(1)"), ("y", "click")),
            _856(("u", "JavaScript:alert(1)")),
            _856(("u", "data:text/html,<script>alert(1)</script>")),
            _856(("u", "ftp://example.org/file")),
            _856(("u", "file:///etc/passwd")),
            _856(("u", "http:///no-host")),
            _856(("u", "https://example.org/a b")),
            _856(("u", "https://exa\u0000mple.org")),
            _856(("u", "//example.org/no-scheme")),
            _856(("y", "no address")),
        ],
    )
    assert links_of(marc, str(Dialect.MARC21)) == (
        OnlineLink("https://example.org/a", "全文", "馆内免费"),
        OnlineLink("http://example.org/toc", "Table of contents", None),
        OnlineLink("HTTPS://Example.org/upper", "example.org", None),
    )


def test_unimarc_link_text_is_subfield_2() -> None:
    marc = Record(LEADER, [_856(("u", "https://example.org/u"), ("2", "电子版"))])
    assert links_of(marc, str(Dialect.UNIMARC)) == (
        OnlineLink("https://example.org/u", "电子版", None),
    )


@given(st.text(max_size=60))
def test_a_safe_address_is_always_http_or_https_without_spaces(text: str) -> None:
    url = safe_url(text)
    if url is not None:
        assert re.match(r"(?i)https?://[^/\s]", url)
        assert not any(c.isspace() or ord(c) < 32 for c in url)


def _record(services: Services, tmp_path: Path) -> int:
    services.catalogue.add_branch(code="CEN", kind=BranchKind.CENTRAL, name_zh="总馆")
    record = Record(
        LEADER,
        [
            Field("001", data="links1"),
            Field("245", "10", [("a", "北京史")]),
            Field("852", "  ", [("b", "CEN"), ("h", "K291/1"), ("p", "LN1")]),
        ],
    )
    path = tmp_path / "one.mrc"
    path.write_bytes(encode(record))
    services.importer().import_file(path)
    return services.catalogue.get_item("LN1").record_id


def test_the_record_page_shows_an_856_saved_in_the_editor(
    services: Services, tmp_path: Path
) -> None:
    record_id = _record(services, tmp_path)
    with TestClient(composition.asgi_app(services)) as client:
        before = client.get(f"/record/{record_id}", headers={"Accept-Language": "en"})
        assert before.status_code == 200
        assert 'id="links-h"' not in before.text  # no 856, no section
        marc = services.catalogue.get_marc(record_id)
        added = [
            _856(("u", "https://example.org/beijing"), ("y", "Full text"), ("z", "free")),
            _856(("u", "javascript:alert(document.cookie)"), ("y", "Evil")),
        ]
        services.catalogue.save_marc(
            record_id,
            Record(marc.leader, [*marc.fields, *added]),
            expected_version=services.catalogue.record_version(record_id),
            by=Cataloguer(1, "Wang Fang"),
        )
        page = client.get(f"/record/{record_id}", headers={"Accept-Language": "en"}).text
    assert '<h2 id="links-h">Online</h2>' in page
    link = re.search(
        r'<a href="https://example.org/beijing" rel="([^"]+)"[^>]*>Full text</a>', page
    )
    assert link is not None, "the 856 is not linked"
    assert "noopener" in link.group(1).split()
    assert "free" in page
    assert "javascript:" not in page.lower()
    assert "Evil" not in page
