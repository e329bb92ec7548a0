"""A staged import through the staff pages, on both engines: upload, the review lists what
it would do (nothing public yet), approve half of the new records by ticking them, the
catalogue grows by exactly that half, undo, and it is back as it was; a second undo and a
second approval are refused with the page's message."""

from __future__ import annotations

import re
import time
from pathlib import Path

from fastapi.testclient import TestClient

from shelfwise.services import Services
from shelfwise.testing.records import write_records
from web.shared_demo import (  # noqa: F401 - fixtures and the hook pytest finds by name
    copied_client,
    copied_demo,
    copied_services,
    pytest_generate_tests,
    shared_demo,
)

from .test_staff_catalogue import sign_in


def _staged(client: TestClient, token: str, body: bytes) -> int:
    started = client.post(
        "/staff/catalogue/import", data={"csrf": token}, files={"file": ("vendor.mrc", body)}
    )
    assert started.status_code == 303
    url = started.headers["location"] + ".json"
    deadline = time.monotonic() + 120
    while not (job := client.get(url).json())["done"]:
        assert time.monotonic() < deadline, job
        time.sleep(0.2)
    assert job["error"] is None, job
    assert job["rate"] >= 0
    assert job["eta_seconds"] == 0
    return int(job["staging"])


def test_stage_approve_half_and_undo(
    client: TestClient, services: Services, tmp_path: Path
) -> None:
    token = sign_in(client, services, "cataloguer")
    marc = tmp_path / "vendor.mrc"
    write_records(marc, 24, seed=123)
    before = services.catalogue.counts()
    staging_id = _staged(client, token, marc.read_bytes() + b"99999not MARC\x1d")
    assert services.catalogue.counts() == before  # nothing public yet
    review = client.get(f"/staff/catalogue/staged/{staging_id}")
    assert review.status_code == 200
    counts = dict(re.findall(r'data-count="(\w+)">([\d,]+)<', review.text))
    assert counts["reject"] == "1"
    assert "An import never creates a branch." in review.text
    new = client.get(f"/staff/catalogue/staged/{staging_id}?show=add")
    seqs = re.findall(r'name="seq" value="(\d+)"', new.text)
    assert len(seqs) == int(counts["add"].replace(",", "")) >= 4
    half = seqs[: len(seqs) // 2]
    applied = client.post(
        f"/staff/catalogue/staged/{staging_id}/apply",
        data={"csrf": token, "part": "selected", "seq": half},
    )
    assert applied.headers["location"] == f"/staff/catalogue/staged/{staging_id}?done=applied"
    assert services.catalogue.counts()["records"] == before["records"] + len(half)
    done = client.get(applied.headers["location"])
    assert 'data-state="applied"' in done.text
    assert f'data-applied="added">{len(half)}<' in done.text
    again = client.post(
        f"/staff/catalogue/staged/{staging_id}/apply", data={"csrf": token, "part": "kinds"}
    )
    assert again.status_code == 409
    assert "already applied or discarded" in again.text
    undone = client.post(f"/staff/catalogue/staged/{staging_id}/undo", data={"csrf": token})
    assert undone.headers["location"].endswith("?done=undone")
    assert services.catalogue.counts()["records"] == before["records"]
    twice = client.post(f"/staff/catalogue/staged/{staging_id}/undo", data={"csrf": token})
    assert twice.status_code == 409
    listed = client.get("/staff/catalogue/staged")
    assert f'href="/staff/catalogue/staged/{staging_id}"' in listed.text
