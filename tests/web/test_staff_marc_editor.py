"""The MARC editor of the staff client, on both backends, driven as a browser without
JavaScript drives it: the form read from the page and posted back with the button pressed.
A round trip changes nothing; a title and an 856 edited and saved reach the catalogue and
the reader's record page; lint errors refuse the save and are shown beside their field;
the field buttons move, remove and extend fields; a helper writes its leader position;
an editor opened before someone else's save is refused; versions show who saved them and
an earlier one can be restored. The page shows no untranslated string in any language."""

from __future__ import annotations

import html
import re
from typing import Any

import lxml.html
import pytest
from fastapi.testclient import TestClient
from lxml.html import HtmlElement

from shelfwise.marc.description import Dialect
from shelfwise.marc.record import Record
from shelfwise.services import Services
from shelfwise.web import i18n
from shelfwise.web.security import LANG_COOKIE
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)
from web.test_untranslated import problems

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
PASSWORD = "staff-pass-1234"
TITLE_TAG = {Dialect.MARC21: "245", Dialect.KORMARC: "245", Dialect.UNIMARC: "200"}


def sign_in(client: TestClient, services: Services) -> None:
    services.access.create_staff("web-cat", "Web Cataloguer", PASSWORD, "cataloguer")
    token = CSRF.search(client.get("/staff/login").text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/staff/login",
        data={"username": "web-cat", "password": PASSWORD, "next": "/staff", "csrf": token},
    )
    assert done.status_code == 303
    client.cookies.set(LANG_COOKIE, "en")


def form_of(html: str) -> list[tuple[str, str]]:
    """What a browser would post from the editor's form (without the button)."""
    root: HtmlElement = lxml.html.document_fromstring(html)
    form = root.get_element_by_id("marced")
    return [(k, v) for k, v in form.form_values()]


def press(client: TestClient, record_id: int, fields: list[tuple[str, str]], op: str) -> Any:
    # Every name on the editor's form is unique, so a mapping holds it all.
    data = {**dict(fields), "op": op}
    return client.post(f"/staff/catalogue/records/{record_id}/marc", data=data)


def set_value(fields: list[tuple[str, str]], name: str, value: str) -> list[tuple[str, str]]:
    assert any(k == name for k, _ in fields), name
    return [(k, value if k == name else v) for k, v in fields]


def field_index(fields: list[tuple[str, str]], tag: str) -> int:
    return next(int(k[1:-4]) for k, v in fields if k.endswith(".tag") and v == tag)


def a_record(services: Services, dialect: Dialect) -> int:
    for summary in services.catalogue.iter_masters(dialect=str(dialect)):
        if services.catalogue.get_record(summary.id).state == "active":
            return summary.id
    raise AssertionError(f"no {dialect} record in the demo")


@pytest.mark.parametrize("dialect", [Dialect.MARC21, Dialect.UNIMARC])
def test_edit_the_title_and_an_856_and_the_opac_shows_them(
    client: TestClient, services: Services, dialect: Dialect
) -> None:
    sign_in(client, services)
    record_id = a_record(services, dialect)
    before = services.catalogue.get_marc(record_id)
    page = client.get(f"/staff/catalogue/records/{record_id}/marc")
    assert page.status_code == 200
    fields = form_of(page.text)

    # A check of the untouched form changes nothing and saves nothing.
    checked = press(client, record_id, fields, "check")
    assert checked.status_code == 200
    assert form_of(checked.text) == fields
    assert services.catalogue.versions(record_id) == []

    # Add an 856 (the button), fill it in, change the title proper, save.
    added = press(client, record_id, set_value(fields, "new_tag", "856"), "add")
    fields = form_of(added.text)
    new = field_index(fields, "856")
    fields = set_value(fields, f"f{new}.s0.c", "u")
    fields = set_value(fields, f"f{new}.s0.v", "https://example.org/read/1")
    fields = set_value(fields, f"f{new}.ind1", "4")
    title = field_index(fields, TITLE_TAG[dialect])
    fields = set_value(fields, f"f{title}.s0.v", "编辑后的题名")
    saved = press(client, record_id, fields, "save")
    assert saved.status_code == 303, saved.text
    assert saved.headers["location"] == f"/staff/catalogue/records/{record_id}/marc?saved=" + str(
        services.catalogue.record_version(record_id)
    )
    assert services.catalogue.get_record(record_id).title.startswith("编辑后的题名")
    after = services.catalogue.get_marc(record_id)
    link = after.get("856")
    assert link is not None
    assert link.first("u") == "https://example.org/read/1"
    assert link.indicators == "4 "
    # Nothing else moved: every other field as it was.
    untouched = [f for f in after.fields if f.tag not in ("856", TITLE_TAG[dialect])]
    assert untouched == [f for f in before.fields if f.tag != TITLE_TAG[dialect]]
    opac = client.get(f"/record/{record_id}")
    assert "编辑后的题名" in opac.text
    history = client.get(saved.headers["location"])
    assert "Saved as version" in history.text
    assert "Web Cataloguer" in history.text
    assert "as imported" in history.text


def test_lint_errors_refuse_the_save_and_show_beside_the_field(
    client: TestClient, services: Services
) -> None:
    sign_in(client, services)
    record_id = a_record(services, Dialect.MARC21)
    title_before = services.catalogue.get_record(record_id).title
    fields = form_of(client.get(f"/staff/catalogue/records/{record_id}/marc").text)
    title = field_index(fields, "245")
    fields = set_value(fields, f"f{title}.s0.v", "")
    fields = set_value(fields, f"f{title}.s0.c", "")  # $a emptied: removed
    fields = set_value(fields, f"f{title}.ind1", "X")
    refused = press(client, record_id, fields, "save")
    assert refused.status_code == 422
    root: HtmlElement = lxml.html.document_fromstring(refused.text)
    beside = root.get_element_by_id(f"lint-{title}").text_content()
    assert "no title proper in $a" in beside
    assert "indicators 'X" in beside
    assert "not saved" in root.find_class("alert")[0].text_content()
    # The draft is shown again as typed, and nothing was stored.
    assert (f"f{title}.ind1", "X") in form_of(refused.text)
    assert services.catalogue.get_record(record_id).title == title_before
    assert services.catalogue.versions(record_id) == []


def test_the_field_buttons_and_a_leader_helper(client: TestClient, services: Services) -> None:
    sign_in(client, services)
    record_id = a_record(services, Dialect.MARC21)
    fields = form_of(client.get(f"/staff/catalogue/records/{record_id}/marc").text)
    tags = [v for k, v in fields if k.endswith(".tag")]
    title = field_index(fields, "245")

    moved = form_of(press(client, record_id, fields, f"up-{title}").text)
    assert [v for k, v in moved if k.endswith(".tag")][title - 1 : title + 1] == [
        "245",
        tags[title - 1],
    ]
    removed = form_of(press(client, record_id, fields, f"del-{title}").text)
    assert "245" not in [v for k, v in removed if k.endswith(".tag")]
    extended = form_of(press(client, record_id, fields, f"sub-{title}").text)
    count = dict(extended)[f"f{title}.n"]
    assert int(count) == int(dict(fields)[f"f{title}.n"]) + 1
    bad = press(client, record_id, set_value(fields, "new_tag", "85"), "add")
    assert bad.status_code == 422
    assert "'85' is not one" in html.unescape(bad.text)

    # The leader's type of record through its select; the raw leader is left alone.
    helper = set_value(fields, "h.ldr.06", "g")
    saved = press(client, record_id, helper, "save")
    assert saved.status_code == 303, saved.text
    assert services.catalogue.get_marc(record_id).leader[6] == "g"


def test_a_stale_editor_is_refused_and_a_version_is_restored(
    client: TestClient, services: Services
) -> None:
    sign_in(client, services)
    record_id = a_record(services, Dialect.MARC21)
    original = services.catalogue.get_record(record_id).title
    first = form_of(client.get(f"/staff/catalogue/records/{record_id}/marc").text)
    second = list(first)  # a second tab, opened at the same version
    title = field_index(first, "245")
    assert (
        press(client, record_id, set_value(first, f"f{title}.s0.v", "第一次"), "save").status_code
        == 303
    )
    stale = press(client, record_id, set_value(second, f"f{title}.s0.v", "第二次"), "save")
    assert stale.status_code == 409
    assert "after you opened it" in stale.text
    assert services.catalogue.get_record(record_id).title.startswith("第一次")

    versions = services.catalogue.versions(record_id)
    oldest = versions[-1].version
    view = client.get(f"/staff/catalogue/records/{record_id}/versions/{oldest}")
    assert view.status_code == 200
    assert original.split(" ")[0] in view.text
    token = CSRF.search(view.text).group(1)  # type: ignore[union-attr]
    current = str(services.catalogue.record_version(record_id))
    restored = client.post(
        f"/staff/catalogue/records/{record_id}/versions/{oldest}/restore",
        data={"csrf": token, "version": current},
    )
    assert restored.status_code == 303
    assert services.catalogue.get_record(record_id).title == original
    assert services.catalogue.versions(record_id)[0].restored_from == oldest
    assert client.get(f"/staff/catalogue/records/{record_id}/versions/999").status_code == 404


@pytest.mark.parametrize("language", i18n.PAGE_LANGUAGES)
def test_the_editor_speaks_the_page_language(
    client: TestClient, services: Services, language: i18n.PageLanguage
) -> None:
    sign_in(client, services)
    record_id = a_record(services, Dialect.MARC21)
    client.cookies.set(LANG_COOKIE, language)
    marc: Record = services.catalogue.get_marc(record_id)
    assert marc.get("245") is not None
    # A warning on the page, so the lint messages are scanned too.
    fields = form_of(client.get(f"/staff/catalogue/records/{record_id}/marc").text)
    fields = set_value(fields, "new_tag", "202")
    fields = form_of(press(client, record_id, fields, "add").text)
    page = press(client, record_id, fields, "check")
    assert page.status_code == 200
    assert 'class="lint-warning"' in page.text or "lint-warning" in page.text
    assert problems(page.text, language) == []
