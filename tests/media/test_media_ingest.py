"""Digital objects: ingest, content addressing, derivatives, fixity, and every bad input the
issue names refused with its own message and nothing half-stored (both engines), against
the service and through the staff's upload form (the refusal page in the cataloguer's
language, its status; a 2 GB upload refused at the door before its body is read)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from shelfwise import app as composition
from shelfwise.core.errors import ShelfwiseError
from shelfwise.core.messages import CATALOGUE
from shelfwise.media.models import Access, MediaText
from shelfwise.media.store import BlobStore
from shelfwise.services import Services
from shelfwise.storage.tables import media_files, media_objects
from shelfwise.testing import media_files as made
from shelfwise.testing.servers import live_server

RIGHTS = "http://rightsstatements.org/vocab/InC/1.0/"


def ingest(services: Services, path: Path, name: str | None = None, **more: object):  # type: ignore[no-untyped-def]
    return services.media.ingest_file(path, name, rights=RIGHTS, actor="tester", **more)


def stored_files(services: Services) -> list[Path]:
    root = services.media.store.root
    return [
        p
        for p in root.rglob("*")
        if p.is_file() and p.relative_to(root).parts[0] not in ("tmp", "cache")
    ]


def rows(services: Services) -> int:
    with services.db.read() as conn:
        objects = conn.execute(select(func.count()).select_from(media_objects)).scalar_one()
        files = conn.execute(select(func.count()).select_from(media_files)).scalar_one()
    return int(objects) + int(files)


def assert_nothing_kept(services: Services) -> None:
    assert rows(services) == 0
    assert stored_files(services) == []
    leftovers = list((services.media.store.root / "tmp").glob("*"))
    assert leftovers == [], "a refused upload left a temporary file"


def test_an_image_is_stored_by_hash_with_its_derivatives(
    services: Services, tmp_path: Path
) -> None:
    done = ingest(
        services,
        made.picture(tmp_path / "scan.png", (2400, 1600)),
        texts=[
            MediaText("zh", caption="煤城旧照", alt="一座矿井的井架"),
            MediaText("en", alt="A pithead"),
        ],
    )
    item = done.object
    assert done.created
    assert item.kind == "image"
    assert item.content_type == "image/png"
    assert (item.width, item.height) == (2400, 1600)
    assert set(item.files) == {"original", "pyramid", "web", "thumb"}
    assert max(item.files["thumb"].width or 0, item.files["thumb"].height or 0) == 400
    assert max(item.files["web"].width or 0, item.files["web"].height or 0) == 1600
    original = services.media.store.path(item.sha256)
    assert original.name == item.sha256
    assert original.read_bytes() == (tmp_path / "scan.png").read_bytes()
    assert (
        item.text("ko").alt == "一座矿井的井架"
    )  # no Korean text: the first language that has one
    assert item.text("en").alt == "A pithead"
    assert item.missing_accessibility() == []


def test_the_same_bytes_are_stored_once(services: Services, tmp_path: Path) -> None:
    path = made.picture(tmp_path / "a.jpg")
    first = ingest(services, path)
    second = ingest(services, path, "another-name.jpg")
    assert not second.created
    assert second.object.id == first.object.id
    assert len(stored_files(services)) == 4


def test_verify_media_finds_a_changed_file_and_reading_refuses_it(
    services: Services, tmp_path: Path
) -> None:
    item = ingest(services, made.picture(tmp_path / "a.png")).object
    assert services.media.verify_all().bad == []
    path = services.media.store.path(item.files["thumb"].sha256)
    data = bytearray(path.read_bytes())
    data[-10] ^= 0xFF
    path.write_bytes(bytes(data))
    report = services.media.verify_all()
    assert report.checked == 4
    assert report.bad == [item.files["thumb"].sha256]
    fresh = BlobStore(services.media.store.root)  # a process that has not read it yet
    with pytest.raises(ShelfwiseError) as refused:
        fresh.verified(item.files["thumb"].sha256)
    assert refused.value.code == "media.damaged"


def test_a_pdf_gets_its_first_page_and_audio_is_kept_as_it_is(
    services: Services, tmp_path: Path
) -> None:
    (tmp_path / "doc.pdf").write_bytes(made.pdf(pages=2))
    document = ingest(services, tmp_path / "doc.pdf").object
    assert document.kind == "pdf"
    assert "page" in document.files
    sound = ingest(services, made.wav(tmp_path / "voice.wav")).object
    assert sound.kind == "audio"
    assert set(sound.files) == {"original"}
    assert sound.missing_accessibility() == ["transcript"]
    (tmp_path / "film.mp4").write_bytes(made.mp4(b"avc1"))
    film = ingest(services, tmp_path / "film.mp4").object
    assert film.kind == "video"
    assert film.missing_accessibility() == ["captions"]


BAD: dict[str, tuple[str, str]] = {
    "text renamed .jpg": ("holiday.jpg", "media.not_image"),
    "decompression bomb": ("bomb.png", "media.bomb"),
    "SVG with script": ("drawing.svg", "media.svg"),
    "SVG renamed .png": ("drawing.png", "media.svg"),
    "PDF with JavaScript": ("form.pdf", "media.pdf_script"),
    "video in an unknown codec": ("film.mp4", "media.codec"),
    "unknown file": ("notes.bin", "media.unknown_type"),
    "truncated JPEG": ("cut.jpg", "media.broken"),
}


def _bad_file(case: str, folder: Path) -> Path:
    name = BAD[case][0]
    path = folder / name
    if case == "text renamed .jpg":
        path.write_text("this is not a picture\n" * 50)
    elif case == "decompression bomb":
        made.png_bomb(path)
    elif case.startswith("SVG"):
        path.write_bytes(made.SVG_WITH_SCRIPT)
    elif case == "PDF with JavaScript":
        path.write_bytes(made.pdf(javascript=True))
    elif case == "video in an unknown codec":
        path.write_bytes(made.mp4(b"xvid"))
    elif case == "unknown file":
        path.write_bytes(b"\x00\x01\x02 nothing anyone knows" * 20)
    else:
        whole = made.picture(folder / "whole.jpg", (800, 600)).read_bytes()
        path.write_bytes(whole[: len(whole) // 3])
    return path


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_input_is_refused_with_its_reason_and_nothing_is_kept(
    services: Services, tmp_path: Path, case: str
) -> None:
    path = _bad_file(case, tmp_path)
    with pytest.raises(ShelfwiseError) as refused:
        ingest(services, path)
    assert refused.value.code == BAD[case][1], refused.value.message("en")
    assert refused.value.message("zh") != refused.value.message("en")
    assert_nothing_kept(services)


def _zeros(total: int, counted: list[int]) -> Iterator[bytes]:
    chunk = b"\x00" * (1 << 20)
    sent = 0
    while sent < total:
        counted[0] += len(chunk)
        sent += len(chunk)
        yield chunk


def test_a_2_gb_upload_is_refused_while_it_streams(services: Services) -> None:
    counted = [0]
    with pytest.raises(ShelfwiseError) as refused:
        services.media.ingest(_zeros(2 << 30, counted), "huge.tif", rights=RIGHTS, actor="tester")
    assert refused.value.code == "media.too_large"
    assert refused.value.status == 413
    # Reading stopped just past the limit: the other 500 MB were never asked for.
    assert counted[0] <= services.media.max_bytes + (1 << 20) < 2 << 30
    assert_nothing_kept(services)


@pytest.mark.parametrize(
    "name", ["../../etc/passwd.jpg", "a/b.jpg", "c:\\x\\y.png", "..", "bell\x07.png", ""]
)
def test_a_path_or_control_character_in_the_name_is_refused(
    services: Services, tmp_path: Path, name: str
) -> None:
    data = made.picture(tmp_path / "fine.png").read_bytes()
    with pytest.raises(ShelfwiseError) as refused:
        services.media.ingest([data], name, rights=RIGHTS, actor="tester")
    assert refused.value.code == "media.bad_name"
    assert_nothing_kept(services)


def test_rights_access_and_record_are_checked_before_anything_is_stored(
    services: Services, tmp_path: Path
) -> None:
    path = made.picture(tmp_path / "fine.png")
    with pytest.raises(ShelfwiseError, match="rights"):
        services.media.ingest_file(path, rights="all mine", actor="t")
    with pytest.raises(ShelfwiseError, match="branch"):
        ingest(services, path, access=Access.ON_SITE, branch="NOWHERE")
    with pytest.raises(ShelfwiseError) as missing:
        ingest(services, path, record_id=999999)
    assert missing.value.code != "media.invalid" or "record" in str(missing.value)
    assert_nothing_kept(services)


def test_a_database_failure_after_the_files_moved_removes_them(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from shelfwise.media import repo

    def broken(*args: object) -> None:
        raise RuntimeError("the disk filled up")

    monkeypatch.setattr(repo, "insert_files", broken)
    with pytest.raises(RuntimeError):
        ingest(services, made.picture(tmp_path / "fine.png"))
    assert_nothing_kept(services)


# --- the same bad inputs through the staff's upload form (the door in front of ingest) ---

CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')
PASSWORD = "cataloguer-password"


def _cataloguer(services: Services) -> TestClient:
    services.access.create_staff("media-cat", "编目员", PASSWORD, "cataloguer")
    client = TestClient(composition.asgi_app(services), follow_redirects=False)
    client.cookies.set("sw_lang", "zh")
    token = CSRF.search(client.get("/staff/login").text)
    assert token
    form = {"username": "media-cat", "password": PASSWORD, "csrf": token.group(1)}
    assert client.post("/staff/login", data=form).status_code == 303
    return client


def _upload(client: TestClient, name: str, data: bytes) -> tuple[int, str]:
    token = CSRF.search(client.get("/staff/stories").text)
    assert token
    answer = client.post(
        "/staff/media",
        data={"csrf": token.group(1), "rights": RIGHTS, "access": "open", "alt_zh": "图"},
        files={"file": (name, data, "application/octet-stream")},
    )
    return answer.status_code, answer.text


def _fixed_words(code: str) -> str:
    """The longest stretch of the Chinese message with no parameter in it."""
    return max(re.split(r"\{[a-z_]+\}", CATALOGUE[code].text["zh"]), key=len)


def test_each_bad_file_uploaded_by_a_cataloguer_is_refused_and_nothing_kept(
    services: Services, tmp_path: Path
) -> None:
    client = _cataloguer(services)  # one sign-in for all the cases (Argon2 is slow)
    for case in sorted(BAD):
        path = _bad_file(case, tmp_path)
        status, page = _upload(client, path.name, path.read_bytes())
        code = BAD[case][1]
        assert status == CATALOGUE[code].status, (case, status)
        assert 'role="alert"' in page
        assert _fixed_words(code) in page, (case, page[-2000:])
        assert_nothing_kept(services)


def test_a_path_in_the_uploaded_file_name_is_refused(services: Services, tmp_path: Path) -> None:
    client = _cataloguer(services)
    data = made.picture(tmp_path / "fine.png").read_bytes()
    for name in ("../../etc/passwd.jpg", "a/b.jpg", "/etc/x.png"):
        status, page = _upload(client, name, data)
        assert status == CATALOGUE["media.bad_name"].status, name
        assert _fixed_words("media.bad_name") in page
        assert_nothing_kept(services)
    # The form parser (python-multipart) keeps what follows the last backslash, as old
    # browsers on Windows sent whole paths: that plain name is stored, no path.
    assert _upload(client, "c:\\scans\\y.png", data)[0] == 303
    assert [m.name for m in services.media.recent()] == ["y.png"]


def test_a_2_gb_upload_is_refused_at_the_door_before_its_body_is_read(
    services: Services,
) -> None:
    client = _cataloguer(services)
    token = CSRF.search(client.get("/staff/stories").text)
    assert token
    session = "; ".join(f"{k}={v}" for k, v in client.cookies.items())
    with live_server(services) as base:
        parts = urlsplit(base)
        head = (
            "POST /staff/media HTTP/1.1\r\nHost: x\r\n"
            "Content-Type: multipart/form-data; boundary=b\r\n"
            f"Cookie: {session}\r\nContent-Length: {2 << 30}\r\n\r\n"
        )
        start = f'--b\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{token.group(1)}\r\n'
        with socket.create_connection((parts.hostname or "", parts.port or 80), timeout=30) as s:
            s.sendall(head.encode() + start.encode())  # 2 GB announced, a few bytes sent
            answer = b""
            while b"</html>" not in answer and (chunk := s.recv(65536)):
                answer += chunk
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]
    assert _fixed_words("request.too_large").encode() in answer
    assert_nothing_kept(services)
