"""Cataloguing (``catalogue.write``): import a MARC file with live progress, a record with
its MARC fields and subfields, its items (add a copy), and merging a duplicate into it.

The progress page refreshes itself with ``<meta refresh>`` inside ``<noscript>``; with
JavaScript, ``static/staff.js`` polls the page's ``.json`` twin instead.
"""

# No `from __future__ import annotations`: FastAPI must evaluate the closures in Depends().
from typing import Annotated

from fastapi import APIRouter, Depends, Path
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile

from shelfwise.catalogue.models import RECORD_ID_MAX
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page, Web, form_text
from shelfwise.web.staff.imports import ImportJob, ImportJobs
from shelfwise.web.staff.workplace import branch_names

DONE = ("item", "merged")
RecordId = Annotated[int, Path(ge=1, le=RECORD_ID_MAX)]  # larger names no record
# The one path that takes a file larger than http_max_body_bytes (up to http_max_upload_bytes).
UPLOAD_PATH = "/staff/catalogue/import"


def router(web: Web) -> APIRouter:  # noqa: C901 - one nested function per page
    pages = APIRouter(
        route_class=web.route_class, default_response_class=HTMLResponse, include_in_schema=False
    )
    services = web.services
    jobs = ImportJobs(services)
    PageDep = Annotated[Page, Depends(web.page)]

    def job_of(job_id: str) -> ImportJob:
        job = jobs.get(job_id)
        if job is None:
            raise ShelfwiseError("request.not_found")
        return job

    @pages.get("/staff/catalogue")
    def catalogue(page: PageDep) -> Response:
        page.staff("catalogue.write")
        return web.render(page, "staff/catalogue.html", jobs=jobs.recent(), error="")

    @pages.post(UPLOAD_PATH)
    async def start_import(page: PageDep) -> Response:
        page.staff("catalogue.write")
        form = await page.request.form()
        upload = form.get("file")
        if not isinstance(upload, UploadFile) or not upload.filename:
            return web.render(
                page,
                "staff/catalogue.html",
                status=422,
                jobs=jobs.recent(),
                error=page.t("staff.cat.no_file"),
            )
        job = jobs.start(upload.filename, upload.file)
        return web.redirect(f"/staff/catalogue/import/{job.id}")

    @pages.get("/staff/catalogue/import/{job_id}.json", response_class=JSONResponse)
    def import_json(job_id: str, page: PageDep) -> Response:
        page.staff("catalogue.write")
        return JSONResponse(job_of(job_id).as_json(), headers={"Cache-Control": "no-store"})

    @pages.get("/staff/catalogue/import/{job_id}")
    def import_progress(job_id: str, page: PageDep) -> Response:
        page.staff("catalogue.write")
        return web.render(page, "staff/import.html", job=job_of(job_id))

    @pages.get("/staff/catalogue/import/{job_id}/rejects")
    def rejects(job_id: str, page: PageDep) -> Response:
        page.staff("catalogue.write")
        job = job_of(job_id)
        if job.summary is None or not job.summary.rejects_path:
            raise ShelfwiseError("request.not_found")
        return FileResponse(
            job.summary.rejects_path,
            media_type="application/x-ndjson",
            filename=f"{job.filename}.rejects.jsonl",
        )

    # --- a record --------------------------------------------------------------------

    @pages.get("/staff/catalogue/records")
    def open_record(page: PageDep, id: str = "") -> Response:
        page.staff("catalogue.write")
        if not id.strip().isdigit():
            raise ShelfwiseError("request.not_found")
        return web.redirect(f"/staff/catalogue/records/{int(id)}")

    def record_page(page: Page, record_id: int, *, notice: str = "", error: str = "") -> Response:
        page.staff("catalogue.write")
        return web.render(
            page,
            "staff/record.html",
            status=422 if error else 200,
            record=services.catalogue.get_record(record_id),
            marc=services.catalogue.get_marc(record_id),
            items=services.catalogue.items_of(record_id),
            names=branch_names(services, page),
            # One catalogue for the network: copies are catalogued centrally for every branch.
            branches=[
                (b.code, branch_name(b, page.lang)) for b in services.catalogue.list_branches()
            ],
            notice=notice,
            error=error,
        )

    @pages.get("/staff/catalogue/records/{record_id}")
    def record(record_id: RecordId, page: PageDep, done: str = "") -> Response:
        notice = page.t("staff.cat.done." + done) if done in DONE else ""
        return record_page(page, record_id, notice=notice)

    @pages.post("/staff/catalogue/records/{record_id}/items")
    async def add_item(record_id: RecordId, page: PageDep) -> Response:
        page.staff("catalogue.write")
        form = await page.request.form()
        try:
            services.catalogue.add_item(
                record_id=record_id,
                barcode=form_text(form, "barcode"),
                branch_code=form_text(form, "branch"),
                call_number=form_text(form, "call_number"),
                item_type=form_text(form, "item_type") or "book",
            )
        except ShelfwiseError as exc:
            return record_page(page, record_id, error=page.error(exc))
        return web.redirect(f"/staff/catalogue/records/{record_id}?done=item")

    @pages.post("/staff/catalogue/records/{record_id}/merge")
    async def merge(record_id: RecordId, page: PageDep) -> Response:
        page.staff("catalogue.write")
        form = await page.request.form()
        duplicate = form_text(form, "duplicate")
        try:
            if not duplicate.isdigit():
                raise ShelfwiseError("catalogue.record_not_found", record_id=duplicate)
            services.catalogue.merge(survivor_id=record_id, duplicate_id=int(duplicate))
        except ShelfwiseError as exc:
            return record_page(page, record_id, error=page.error(exc))
        return web.redirect(f"/staff/catalogue/records/{record_id}?done=merged")

    return pages
