"""Cataloguing (``catalogue.write``): import a MARC file with live progress, a record with
its MARC fields and subfields, its items (add a copy), and merging a duplicate into it.

The progress page refreshes itself with ``<meta refresh>`` inside ``<noscript>``; with
JavaScript, ``static/staff.js`` polls the page's ``.json`` twin instead.
"""

from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.datastructures import UploadFile

from shelfwise.catalogue.models import ITEM_TYPES, RECORD_ID_MAX, Lifecycle
from shelfwise.core.errors import ShelfwiseError
from shelfwise.web.opac import branch_name
from shelfwise.web.pages import Page, PageDep, Web, WebDep, WebRoute, form_text
from shelfwise.web.staff import items as items_pages
from shelfwise.web.staff.imports import ImportJob, ImportJobs
from shelfwise.web.staff.workplace import branch_names

DONE = ("item", "merged")
RecordId = Annotated[int, Path(ge=1, le=RECORD_ID_MAX)]  # larger names no record
# The one path that takes a file larger than http_max_body_bytes (up to http_max_upload_bytes).
UPLOAD_PATH = "/staff/catalogue/import"


router = APIRouter(
    route_class=WebRoute, default_response_class=HTMLResponse, include_in_schema=False
)


def import_jobs(request: Request) -> ImportJobs:
    """This app's MARC imports (``web.install`` keeps one registry per app)."""
    jobs = request.app.state.import_jobs
    if not isinstance(jobs, ImportJobs):
        raise RuntimeError("the web door is not installed on this app (web.install)")
    return jobs


Jobs = Annotated[ImportJobs, Depends(import_jobs)]


def job_of(jobs: ImportJobs, job_id: str) -> ImportJob:
    job = jobs.get(job_id)
    if job is None:
        raise ShelfwiseError("request.not_found")
    return job


@router.get("/staff/catalogue")
def catalogue(page: PageDep, web: WebDep, jobs: Jobs) -> Response:
    page.staff("catalogue.write")
    return web.render(page, "staff/catalogue.html", jobs=jobs.recent(), error="")


@router.post(UPLOAD_PATH)
async def start_import(page: PageDep, web: WebDep, jobs: Jobs) -> Response:
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


@router.get("/staff/catalogue/import/{job_id}.json", response_class=JSONResponse)
def import_json(job_id: str, page: PageDep, jobs: Jobs) -> Response:
    page.staff("catalogue.write")
    return JSONResponse(job_of(jobs, job_id).as_json(), headers={"Cache-Control": "no-store"})


@router.get("/staff/catalogue/import/{job_id}")
def import_progress(job_id: str, page: PageDep, web: WebDep, jobs: Jobs) -> Response:
    page.staff("catalogue.write")
    return web.render(page, "staff/import.html", job=job_of(jobs, job_id))


@router.get("/staff/catalogue/import/{job_id}/rejects")
def rejects(job_id: str, page: PageDep, jobs: Jobs) -> Response:
    page.staff("catalogue.write")
    job = job_of(jobs, job_id)
    if job.summary is None or not job.summary.rejects_path:
        raise ShelfwiseError("request.not_found")
    return FileResponse(
        job.summary.rejects_path,
        media_type="application/x-ndjson",
        filename=f"{job.filename}.rejects.jsonl",
    )


# --- a record ---------------------------------------------------------------------


@router.get("/staff/catalogue/records")
def open_record(page: PageDep, web: WebDep, id: str = "") -> Response:
    page.staff("catalogue.write")
    if not id.strip().isdigit():
        raise ShelfwiseError("request.not_found")
    return web.redirect(f"/staff/catalogue/records/{int(id)}")


def record_page(
    web: Web, page: Page, record_id: int, *, notice: str = "", error: str = ""
) -> Response:
    """The record with its MARC and its copies; the forms to add a copy and merge."""
    services = web.services
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
        branches=[(b.code, branch_name(b, page.lang)) for b in services.catalogue.list_branches()],
        location_names={loc.id: loc.name for loc in services.catalogue.list_locations()},
        places=items_pages.places(web, page),
        statuses=list(Lifecycle),
        item_types=ITEM_TYPES,
        notice=notice,
        error=error,
    )


@router.get("/staff/catalogue/records/{record_id}")
def record(record_id: RecordId, page: PageDep, web: WebDep, done: str = "") -> Response:
    notice = page.t("staff.cat.done." + done) if done in DONE else ""
    return record_page(web, page, record_id, notice=notice)


@router.post("/staff/catalogue/records/{record_id}/items")
async def add_item(record_id: RecordId, page: PageDep, web: WebDep) -> Response:
    page.staff("catalogue.write")
    form = await page.request.form()
    try:
        web.services.catalogue.add_item(
            record_id=record_id,
            barcode=form_text(form, "barcode"),
            branch_code=form_text(form, "branch"),
            call_number=form_text(form, "call_number"),
            item_type=form_text(form, "item_type") or "book",
        )
    except ShelfwiseError as exc:
        return record_page(web, page, record_id, error=page.error(exc))
    return web.redirect(f"/staff/catalogue/records/{record_id}?done=item")


@router.post("/staff/catalogue/records/{record_id}/merge")
async def merge(record_id: RecordId, page: PageDep, web: WebDep) -> Response:
    page.staff("catalogue.write")
    form = await page.request.form()
    duplicate = form_text(form, "duplicate")
    try:
        if not duplicate.isdigit():
            raise ShelfwiseError("catalogue.record_not_found", record_id=duplicate)
        web.services.catalogue.merge(survivor_id=record_id, duplicate_id=int(duplicate))
    except ShelfwiseError as exc:
        return record_page(web, page, record_id, error=page.error(exc))
    return web.redirect(f"/staff/catalogue/records/{record_id}?done=merged")
