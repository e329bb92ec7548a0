"""Administration, notice templates (issue 20): an administrator edits a notice's words
per page language, previews them with a sample reader, a bad placeholder is refused with
a clear message and what was typed stays in the form; desk staff may not. Both engines."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from shelfwise.services import Services

PAGE = "/staff/admin/notices"
CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
PASSWORD = "staff-pass-1234"


def sign_in(client: TestClient, services: Services, role: str) -> str:
    username = f"web-{role}"
    services.access.create_staff(username, f"Web {role}", PASSWORD, role)
    token = CSRF.search(client.get("/staff/login").text).group(1)  # type: ignore[union-attr]
    done = client.post(
        "/staff/login",
        data={"username": username, "password": PASSWORD, "next": "/staff", "csrf": token},
    )
    assert done.status_code == 303
    client.cookies.set("sw_lang", "en")
    return token


def test_desk_staff_may_not_edit_notice_templates(client: TestClient, services: Services) -> None:
    assert client.get(PAGE).headers["location"].startswith("/staff/login")
    token = sign_in(client, services, "desk")
    assert client.get(PAGE).status_code == 403
    posted = client.post(f"{PAGE}/overdue/en", data={"csrf": token, "subject": "x", "body": "y"})
    assert posted.status_code == 403
    assert not any(t.edited for t in services.notice_templates().all())


def test_an_administrator_previews_saves_and_resets_a_template(
    client: TestClient, services: Services
) -> None:
    token = sign_in(client, services, "admin")
    listing = client.get(PAGE, params={"kind": "due_soon", "lang": "ko"})
    assert listing.status_code == 200
    assert "Notice templates" in listing.text
    assert "《{title}》의 반납일은 {due_on}입니다." in html.unescape(listing.text)  # built in
    for placeholder in ("{library}", "{reader}", "{title}", "{due_on}"):
        assert placeholder in listing.text

    words = {"subject": "반납 예정: {title}", "body": "{reader}님, 《{title}》 {due_on}까지"}
    preview = client.post(f"{PAGE}/due_soon/ko", data={"csrf": token, "action": "preview", **words})
    assert preview.status_code == 200
    shown = html.unescape(preview.text)
    assert "김민지님, 《토지》 2026-12-24까지" in shown  # the sample reader and loan
    assert "반납 예정: 토지" in shown
    assert not any(t.edited for t in services.notice_templates().all())  # a preview saves nothing

    bad = {"subject": "반납 예정", "body": "{reader}님, {shelf}까지"}
    refused = client.post(f"{PAGE}/due_soon/ko", data={"csrf": token, "action": "save", **bad})
    assert refused.status_code == 422
    text = html.unescape(refused.text)
    assert "The placeholder {shelf} is not one this notice fills" in text
    assert "{reader}님, {shelf}까지</textarea>" in text  # what was typed is kept
    assert not any(t.edited for t in services.notice_templates().all())

    saved = client.post(f"{PAGE}/due_soon/ko", data={"csrf": token, "action": "save", **words})
    assert saved.status_code == 303
    after = client.get(saved.headers["location"])
    assert "Saved: notices sent from now on use these words." in after.text
    (edited,) = [t for t in services.notice_templates().all() if t.edited]
    assert (edited.kind, edited.language, edited.body) == ("due_soon", "ko", words["body"])
    assert edited.updated_by == "Web admin"

    reset = client.post(f"{PAGE}/due_soon/ko/reset", data={"csrf": token})
    assert reset.status_code == 303
    assert not any(t.edited for t in services.notice_templates().all())


def test_an_unknown_kind_or_language_is_not_found(client: TestClient, services: Services) -> None:
    token = sign_in(client, services, "admin")
    assert client.get(PAGE, params={"kind": "birthday"}).status_code == 404
    posted = client.post(
        f"{PAGE}/due_soon/fr", data={"csrf": token, "action": "save", "subject": "a", "body": "b"}
    )
    assert posted.status_code == 404
